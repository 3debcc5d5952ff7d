"""Size limits of content files, and `content check` refusing all that `content load` would.

Every case here passed `content check` (or read the whole file first) before the
limits existed; `content load` then failed in the database, or stored it all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from valgomat.content.files import read_content
from valgomat.core.content.limits import (
    MAX_FILE_BYTES,
    MAX_FOLDER_BYTES,
    MAX_PARTIES,
    MAX_STATEMENTS,
    MAX_TOPICS,
    capped,
    text_problem,
)

CONTENT = Path(__file__).parent / "data" / "content"
QUIZ = "questions/fixture-three.yaml"
PARTY = "positions/fixture-three/party-a.yaml"
LONG_ID = "a" + "b" * 100


def three(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the fixture-three quiz with (file, old, new) replacements."""
    root = tmp_path / "content"
    (root / "questions").mkdir(parents=True)
    shutil.copy(CONTENT / QUIZ, root / QUIZ)
    shutil.copytree(CONTENT / "positions/fixture-three", root / "positions/fixture-three")
    for name, old, new in edits:
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, old
        (root / name).write_text(text.replace(old, new), encoding="utf-8")
    return root


SUNDAYS = '"Libraries should open on Sundays."'
CASES = {
    "statement id beyond the column": (
        [(QUIZ, "id: longer-opening-hours", f"id: {LONG_ID}")],
        f"fixture-three.yaml:12: statement '{LONG_ID}' id is 101 characters long (at most 100)"),
    "topic id beyond the column": (
        [(QUIZ, "general", "g" * 101)],
        f"fixture-three.yaml:9: topic '{'g' * 101}' id is 101 characters long (at most 100)"),
    "party name beyond the column": (
        [(PARTY, "name: Party A", "name: " + "N" * 201)],
        "party-a.yaml:2: name is 201 characters long (at most 200)"),
    "short name beyond the column": (
        [(PARTY, "short_name: A", "short_name: " + "S" * 51)],
        "party-a.yaml:3: short_name is 51 characters long (at most 50)"),
    "order beyond 32 bits": (
        [(QUIZ, "    weight: 0.5", "    weight: 0.5\n    order: 3000000000")],
        "statement 'more-bike-lanes' order must be between -2,147,483,648 and 2,147,483,647"),
    "NUL in a name": (
        [(PARTY, "name: Party A", 'name: "Party\\0A"')],
        "party-a.yaml:2: name contains the character U+0000, which cannot be stored"),
    "NUL in a quote": (
        [(PARTY, '"Open libraries every day."', '"Open\\0every day."')],
        "position 'longer-opening-hours' quote contains the character U+0000"),
    "lone surrogate in a statement": (
        [(QUIZ, SUNDAYS, '"Libraries \\ud800 open"')],
        "statement 'longer-opening-hours' text.en contains the character U+D800"),
    "statement text too long": (
        [(QUIZ, SUNDAYS, "x" * 1001)],
        "statement 'longer-opening-hours' text.en is 1,001 characters long (at most 1,000)"),
    "justification too long": (
        [(PARTY, "{en: Wants daily opening.}", "{en: " + "j" * 2001 + "}")],
        "position 'longer-opening-hours' justification.en is 2,001 characters long "
        "(at most 2,000)"),
}


@pytest.mark.parametrize("case", CASES)
def test_check_refuses_what_load_could_not_store(runner: FlaskCliRunner, tmp_path: Path,
                                                 case: str) -> None:
    edits, message = CASES[case]
    root = three(tmp_path, *edits)
    checked = runner.invoke(args=["content", "check", str(root)])
    assert checked.exit_code == 1 and message in checked.output, checked.output
    loaded = runner.invoke(args=["content", "load", str(root), "--publish"])
    assert loaded.exit_code == 1 and message in loaded.output, loaded.output
    assert "Traceback" not in loaded.output and "database refused" not in loaded.output


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    root = three(tmp_path)
    with open(root / PARTY, "ab") as party:  # sparse: the size is there, the bytes are not
        party.truncate(MAX_FILE_BYTES + 1)
    quizzes, problems = read_content(root)
    assert quizzes == []
    assert [str(p) for p in problems] == [
        f"{root / PARTY}: is 1,048,577 bytes (at most 1 MB = 1,048,576 bytes)"]


def test_a_folder_over_the_limit_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    root = three(tmp_path)
    for number in range(MAX_FOLDER_BYTES // MAX_FILE_BYTES + 1):
        with open(root / f"positions/fixture-three/p{number}.yaml", "wb") as party:
            party.truncate(MAX_FILE_BYTES)
    quizzes, problems = read_content(root)
    assert quizzes == []
    total = sum(p.stat().st_size for p in root.rglob("*.yaml"))
    assert total > MAX_FOLDER_BYTES
    assert [str(p) for p in problems] == [
        f"{root}: the content files together is {total:,} bytes (at most 8 MB = "
        "8,388,608 bytes)"]


def statements_yaml(count: int) -> str:
    return "\n".join(f"  - {{id: s{n}, topic: general, text: {{en: S{n}}}}}"
                     for n in range(count))


def test_too_many_statements_is_one_problem(tmp_path: Path) -> None:
    root = three(tmp_path)
    quiz = root / QUIZ
    text = quiz.read_text(encoding="utf-8").split("statements:")[0]
    quiz.write_text(f"{text}statements:\n{statements_yaml(MAX_STATEMENTS + 1)}\n")
    shutil.rmtree(root / "positions")
    _, problems = read_content(root)
    assert [p.message for p in problems] == [
        f"statements has {MAX_STATEMENTS + 1} entries (at most {MAX_STATEMENTS})"]


def test_too_many_topics_and_party_files(tmp_path: Path) -> None:
    root = three(tmp_path)
    topics = "\n".join(f"  - {{id: t{n}, name: {{en: T{n}}}}}" for n in range(MAX_TOPICS + 1))
    text = (root / QUIZ).read_text(encoding="utf-8")
    (root / QUIZ).write_text(text.replace("topics:\n", f"topics:\n{topics}\n"))
    for number in range(MAX_PARTIES):
        shutil.copy(root / PARTY, root / f"positions/fixture-three/p{number}.yaml")
    _, problems = read_content(root)
    assert [p.message for p in problems] == [
        f"has {MAX_PARTIES + 2} party files (at most {MAX_PARTIES})",
        f"topics has {MAX_TOPICS + 2} entries (at most {MAX_TOPICS})"]


def test_cli_shows_the_first_fifty_problems(runner: FlaskCliRunner, tmp_path: Path) -> None:
    root = three(tmp_path)
    quiz = root / QUIZ
    text = quiz.read_text(encoding="utf-8").split("statements:")[0]
    quiz.write_text(f"{text}statements:\n{statements_yaml(120).replace('general', 'nope')}\n")
    for command in (["content", "check"], ["content", "load"]):
        result = runner.invoke(args=[*command, str(root)])
        lines = result.output.splitlines()
        assert result.exit_code == 1 and len(lines) == 51, result.output
        assert lines[-1] == "… and 74 more"


def test_capped_and_text_problem() -> None:
    assert capped(["a", "b"], 2) == ["a", "b"]
    assert capped(["a", "b", "c"], 2) == ["a", "b", "… and 1 more"]
    assert text_problem("tab\tand\nnewline", 100) is None
    assert text_problem("x" * 11, 10) == "is 11 characters long (at most 10)"
    assert "U+007F" in str(text_problem("del\x7f", 10))


def test_a_folder_named_like_a_content_file_is_skipped_by_check_and_load(
        runner: FlaskCliRunner, tmp_path: Path) -> None:
    """`content load` hashed every `*.yaml` path and crashed on a folder that check skips."""
    root = three(tmp_path)
    (root / "positions/fixture-three/notes.yaml").mkdir()
    assert runner.invoke(args=["content", "check", str(root)]).exit_code == 0
    loaded = runner.invoke(args=["content", "load", str(root)])
    assert loaded.exit_code == 0 and loaded.exception is None, loaded.output


def test_a_file_of_countless_tiny_values_is_refused_before_it_is_composed(
        tmp_path: Path) -> None:
    """25,000 statements in 1 MB took 25 s and 0.3 GB to compose before one line said
    'statements has 25,227 entries'."""
    root = three(tmp_path)
    quiz = root / QUIZ
    text = quiz.read_text(encoding="utf-8").split("statements:")[0]
    quiz.write_text(f"{text}statements:\n{statements_yaml(12_000)}\n")
    _, problems = read_content(root)
    assert [str(p) for p in problems] == [
        f"{quiz}: has more than 50,000 YAML values (keys, texts, lists); no quiz needs that "
        "many"]
