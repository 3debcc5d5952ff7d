"""Importing qual-o-mat folders from the small synthetic fixtures in tests/data/qualomat.

They run without the shared Wahl-O-Mat data: a 2002-like election without
comment.json, placeholder justifications, and malformed copies of both.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.test_static_export import parse, ui_data
from valgomat.content import lifecycle
from valgomat.core.model import Evidence, Party, Program, Quiz, Statement, Topic
from valgomat.storage import published

FIXTURES = Path(__file__).parent / "data" / "qualomat"
OLD, PLACEHOLDERS = FIXTURES / "2002", FIXTURES / "placeholders"


def run_import(runner: FlaskCliRunner, folder: Path, *args: str):
    result = runner.invoke(args=["import", "qual-o-mat", str(folder), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def justifications(app: Flask, slug: str) -> dict[tuple[str, str], str]:
    with app.app_context():
        quiz = published.published_quiz(slug)
    return {(p.id, sid): e.justification.get("de", "")
            for p in quiz.parties for sid, e in p.evidence.items()}


def test_2002_election_without_comment_json_imports(
        app: Flask, runner: FlaskCliRunner, client: FlaskClient) -> None:
    result = run_import(runner, OLD, "--publish")
    assert result.exit_code == 0, result.output
    quiz = client.get("/api/v1/quizzes/bundestagswahl2002").get_json()
    assert quiz["title"] == {"de": "Bundestagswahl 2002"}
    assert [len(quiz["statements"]), len(quiz["parties"])] == [4, 3]
    assert set(justifications(app, "bundestagswahl2002").values()) == {""}


def test_placeholders_count_as_no_justification(app: Flask, runner: FlaskCliRunner) -> None:
    assert run_import(runner, PLACEHOLDERS, "--publish").exit_code == 0
    kept = {key: text for key, text in justifications(app, "musterland2021").items() if text}
    assert kept == {("rot", "oekosteuer"): "Wir sind für eine ökologische Steuerreform.",
                    ("gruen", "oekosteuer"): "Hierzu hat die Partei noch keine Position.",
                    ("gruen", "zuwanderung"): "Wir wollen gebührenfreie Bildung."}


def test_no_confidence_is_invented(app: Flask, runner: FlaskCliRunner,
                                   client: FlaskClient) -> None:
    assert run_import(runner, PLACEHOLDERS, "--publish").exit_code == 0
    quiz = client.get("/api/v1/quizzes/musterland2021").get_json()
    confidences = {e["confidence"] for p in quiz["parties"] for e in p["evidence"].values()}
    assert confidences == {None}
    page = "".join(client.get(f"/de/musterland2021/party/{party['id']}?v=1&a=cbab")
                   .get_data(as_text=True) for party in quiz["parties"])
    assert "Wir sind für eine ökologische Steuerreform." in page
    # parties' own answers, no program quotes: no source line, no confidence (issue 17)
    assert "Quelle" not in page and 'class="source"' not in page
    assert "Sicherheit" not in page and "„“" not in page
    assert "<blockquote><p></p></blockquote>" not in page  # no quote: no empty quote block
    assert '<p lang="de"></p>' not in page  # a placeholder leaves no empty paragraph


def edited(tmp_path: Path, source: Path, name: str,
           edit: Callable[[object], object]) -> Path:
    folder = tmp_path / "election"
    shutil.copytree(source, folder)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(edit(json.loads(path.read_text(encoding="utf-8")))),
                    encoding="utf-8")
    return folder


def test_a_missing_opinion_is_an_error_not_neutral(runner: FlaskCliRunner,
                                                   tmp_path: Path) -> None:
    folder = edited(tmp_path, PLACEHOLDERS, "opinion",
                    lambda d: [o for o in d if (o["party"], o["statement"]) != (1, 2)])
    result = run_import(runner, folder)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{folder}/opinion.json: party 1 ('Blau') has no opinion on statement 2 "
        "('Die Zuwanderung soll begrenzt werden.')"]


def replace_file(name: str, content: bytes | None) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / name).unlink()
        if content is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(content)
    return change


def edit_json(name: str, edit: Callable[[list], object]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / name
        path.write_text(json.dumps(edit(json.loads(path.read_text(encoding="utf-8")))))
    return change


def oversized(folder: Path) -> None:
    with open(folder / "comment.json", "ab") as comments:  # sparse: never really written
        comments.truncate(50 * 1024 * 1024)


def first(key: str, value: object) -> Callable[[list], list]:
    return lambda records: [{**records[0], key: value}, *records[1:]]


MALFORMED = {
    "missing file": (lambda f: (f / "party.json").unlink(),
                     "{f}: not a qual-o-mat election folder (missing party.json)"),
    "a folder for a file": (replace_file("statement.json", None),
                            "{f}/statement.json: is not a file"),
    "empty file": (replace_file("answer.json", b""), "{f}/answer.json: is empty (expected JSON)"),
    "not UTF-8": (replace_file("party.json", '[{"id": 0, "name": "Grün"}]'.encode("latin-1")),
                  "{f}/party.json: not valid UTF-8 JSON (not UTF-8 at byte 22)"),
    "overview a list": (edit_json("overview.json", lambda d: [d]),
                        "{f}/overview.json: expected an object with a title, got a list"),
    "statements an object": (edit_json("statement.json", lambda d: {"a": d}),
                             "{f}/statement.json: expected a list of records, got an object"),
    "text an object": (edit_json("statement.json", first("text", {"de": "x"})),
                       "{f}/statement.json: record 1 'text' must be text, got an object"),
    "party id a list": (edit_json("opinion.json", first("party", [1])),
                        "{f}/opinion.json: record 1 'party' must be a whole number, got a list"),
    "id as text": (edit_json("party.json", first("id", "0")),
                   "{f}/party.json: record 1 'id' must be a whole number, got text"),
    "id a boolean": (edit_json("answer.json", first("id", True)),
                     "{f}/answer.json: record 1 'id' must be a whole number, got the boolean true"),
    "negative id": (edit_json("comment.json", first("id", -4)),
                    "{f}/comment.json: record 1 'id' must not be negative, got -4"),
    "record not an object": (edit_json("party.json", lambda d: [*d, "Gelb"]),
                             "{f}/party.json: record 4 must be an object, got text"),
    "file over the limit": (oversized, "{f}/comment.json: is 52,428,800 bytes "
                  "(at most 2 MB = 2,097,152 bytes)"),
    "too many statements": (
        edit_json("statement.json", lambda d: [{"id": n, "text": f"These {n}"}
                                               for n in range(201)]),
        "{f}/statement.json: has 201 records (at most 200)"),
    "statement text too long": (
        edit_json("statement.json", first("text", "x" * 1001)),
        "{f}/statement.json: statement 0: text is 1,001 characters long (at most 1,000)"),
    "justification too long": (
        edit_json("comment.json", first("text", "j" * 2001)),
        "{f}/comment.json: comment 0: text is 2,001 characters long (at most 2,000)"),
    "party name over its column": (
        edit_json("party.json", first("name", "N" * 51)),
        "{f}/party.json: party 0: name is 51 characters long (at most 50)"),
    "half a surrogate pair in a comment": (
        edit_json("comment.json", first("text", "Wir\ud800sind dafür")),
        "{f}/comment.json: comment 0: text contains the character U+D800"),
    "NUL in a statement": (
        edit_json("statement.json", first("text", "Die\u0000These")),
        "{f}/statement.json: statement 0: text contains the character U+0000"),
    "unknown category": (edit_json("statement.json", first("category", 9)),
                         "{f}/statement.json: statement 0 names unknown category 9"),
    "empty party name": (edit_json("party.json", first("name", "  ")),
                         "{f}/party.json: party 0: name is empty"),
    "huge integer": (replace_file("party.json", b'[{"id": ' + b"9" * 5000 + b', "name": "X"}]'),
                     "{f}/party.json: an integer of 5000 digits (at most 9)"),
    "id beyond 32 bits": (edit_json("statement.json", first("id", 2**40)),
                          "{f}/statement.json: an integer of 13 digits (at most 9)"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_folders_name_the_source_file(runner: FlaskCliRunner, tmp_path: Path,
                                                case: str) -> None:
    folder = tmp_path / "election"
    shutil.copytree(PLACEHOLDERS, folder)
    change, message = MALFORMED[case]
    change(folder)
    result = run_import(runner, folder)
    assert result.exit_code == 1
    assert message.format(f=folder) in result.output, result.output
    assert all(line.startswith(str(folder)) for line in result.output.splitlines())


def test_opinion_naming_a_comment_without_comment_json(runner: FlaskCliRunner,
                                                       tmp_path: Path) -> None:
    folder = edited(tmp_path, OLD, "opinion", first("comment", 7))
    result = run_import(runner, folder)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{folder}/opinion.json: opinion 0 names unknown comment 7 (there is no comment.json)"]


def test_conversion_problems_name_the_source_not_a_temporary_file(app: Flask) -> None:
    """The importer converts to content files in a temporary folder and checks them like
    `content check`; what that finds is shown at the folder the user gave."""
    party = Party("rot", "Partei der Roten", " ", "#b3261e", Program("Programm"), {"s": 1},
                  {"s": Evidence("", "", None, {})})
    quiz = Quiz("wahl", {"de": "Wahl"}, ("de",), 3, "cityblock", "neutral", 2.0,
                (Topic("t", {"de": "Thesen"}),), (Statement("s", "t", {"de": "These"}),),
                (party,), quotes_required=False)
    with app.app_context(), pytest.raises(lifecycle.ContentError) as raised:
        lifecycle.import_quiz(quiz, source="/data/wahl", publish=False, replace=False)
    assert [str(p) for p in raised.value.problems] == [
        "/data/wahl: short_name is empty (converted positions/wahl/rot.yaml, line 3)"]


def test_static_export_names_only_the_known_parts_of_a_source(
        runner: FlaskCliRunner, tmp_path: Path) -> None:
    """standalone.js picks the source line by whether a section and a confidence exist."""
    assert run_import(runner, PLACEHOLDERS, "--publish").exit_code == 0
    assert runner.invoke(args=["export-static", "musterland2021",
                               str(tmp_path / "out")]).exit_code == 0
    sources = ui_data(parse(tmp_path / "out" / "index.html"))["texts"]["sources"]
    assert sources == {
        "11": "Quelle: {program}, „{section}“. Sicherheit der Einordnung: {confidence}.",
        "10": "Quelle: {program}, „{section}“.",
        "01": "Quelle: {program}. Sicherheit der Einordnung: {confidence}.",
        "00": "Quelle: {program}."}
    quiz = json.loads((tmp_path / "out" / "quiz.json").read_text(encoding="utf-8"))
    assert {e["confidence"] for p in quiz["parties"] for e in p["evidence"].values()} == {None}


def test_categories_become_topics(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    folder = edited(tmp_path, OLD, "statement",
                    lambda d: [{**s, "category": 1 if s["id"] < 2 else None} for s in d])
    (folder / "category.json").write_text('[{"id": 1, "label": "Umwelt & Verteidigung"}]',
                                          encoding="utf-8")
    assert run_import(runner, folder, "--publish").exit_code == 0
    with app.app_context():
        quiz = published.published_quiz("bundestagswahl2002")
    assert [(t.id, t.name["de"]) for t in quiz.topics] == [
        ("umwelt-verteidigung", "Umwelt & Verteidigung"), ("thesen", "Thesen")]
    assert [s.topic for s in quiz.statements] == ["umwelt-verteidigung"] * 2 + ["thesen"] * 2
