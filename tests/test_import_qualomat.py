"""Importing Wahl-O-Mat elections (qual-o-mat-data format) from ../shared/data."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from valgomat.content import lifecycle
from valgomat.content.files import read_content
from valgomat.content.importers.qualomat import clean_justification
from valgomat.core.model import quiz_to_dict
from valgomat.storage import published

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "qual-o-mat"
ELECTIONS = ["2019/bremen", "2025/deutschland"]
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"{DATA} (shared test data) absent")


def raw(election: str, name: str) -> list:
    return json.loads((DATA / election / f"{name}.json").read_text(encoding="utf-8"))


def official_score(voter: dict[int, str | None], important: set[int],
                   party: dict[int, str]) -> float:
    """The Wahl-O-Mat's points: 2 same, 1 when one side is neutral, 0 opposite; doubled
    when important; as a share of the maximum. Written from the rules, not our core."""
    points = maximum = 0
    for statement, answer in voter.items():
        if answer is None:
            continue
        factor = 2 if statement in important else 1
        theirs = party[statement]
        if answer == theirs:
            gained = 2
        elif "Neutral" in (answer, theirs):
            gained = 1
        else:
            gained = 0
        points += factor * gained
        maximum += factor * 2
    return 100 * points / maximum


def import_election(runner: FlaskCliRunner, election: str, *args: str):
    return runner.invoke(args=["import", "qual-o-mat", str(DATA / election), *args])


@pytest.mark.parametrize("election", ELECTIONS)
def test_election_imports_and_scores_like_the_wahl_o_mat(
        runner: FlaskCliRunner, client: FlaskClient, election: str) -> None:
    result = import_election(runner, election, "--publish", "--slug", "wahl")
    assert result.exit_code == 0, result.output
    quiz = client.get("/api/v1/quizzes/wahl").get_json()
    statements, parties = raw(election, "statement"), raw(election, "party")
    assert len(quiz["statements"]) == len(statements) and len(quiz["parties"]) == len(parties)
    assert quiz["languages"] == ["de"] and quiz["scale"]["values"] == [-1, 0, 1]
    messages = {a["id"]: a["message"] for a in raw(election, "answer")}
    positions: dict[int, dict[int, str]] = {}
    for opinion in raw(election, "opinion"):
        positions.setdefault(opinion["party"], {})[opinion["statement"]] = \
            messages[opinion["answer"]]
    ids = [s["id"] for s in quiz["statements"]]
    names = {p["name"]: p["id"] for p in quiz["parties"]}
    value = {"Stimme zu": 1, "Neutral": 0, "Stimme nicht zu": -1, None: None}
    rng = random.Random(election)
    for _ in range(25):
        voter = {s["id"]: rng.choice(["Stimme zu", "Neutral", "Stimme nicht zu", None])
                 for s in statements}
        voter[statements[0]["id"]] = "Stimme zu"
        important = {s["id"] for s in statements if rng.random() < 0.2}
        body = {"answers": {ids[i]: value[voter[s["id"]]] for i, s in enumerate(statements)},
                "important": [ids[i] for i, s in enumerate(statements) if s["id"] in important]}
        scores = {r["party"]: r["score"] for r in
                  client.post("/api/v1/quizzes/wahl/match", json=body).get_json()["results"]}
        for party in parties:
            expected = official_score(voter, important, positions[party["id"]])
            assert scores[names[party["longname"]]] == pytest.approx(expected, abs=1e-9)


def test_import_export_load_round_trip(app: Flask, runner: FlaskCliRunner,
                                       tmp_path: Path) -> None:
    assert import_election(runner, "2025/deutschland", "--publish").exit_code == 0
    exported = runner.invoke(args=["content", "export", str(tmp_path), "--quiz",
                                   "bundestagswahl2025"])
    assert exported.exit_code == 0, exported.output
    quizzes, problems = read_content(tmp_path)
    assert problems == []
    with app.app_context():
        live = published.published_quiz("bundestagswahl2025")
        assert live is not None and quiz_to_dict(quizzes[0]) == quiz_to_dict(live)
        report = lifecycle.load_content(tmp_path, publish=True)
        assert "0 changed" in report[0]


def test_justifications_are_cleaned(app: Flask, runner: FlaskCliRunner) -> None:
    assert import_election(runner, "2025/deutschland", "--publish").exit_code == 0
    with app.app_context():
        quiz = published.published_quiz("bundestagswahl2025")
    texts = [e.justification.get("de", "") for p in quiz.parties for e in p.evidence.values()]
    assert texts and not any(t.startswith('"') and t.endswith('"') for t in texts)
    assert not any("<" in t and ">" in t for t in texts)
    assert any("nach der Veröffentlichung des Wahl-O-Mat" in t for t in texts)
    assert all(e.quote == "" and e.confidence is None for p in quiz.parties
               for e in p.evidence.values())


def test_clean_justification_rules() -> None:
    assert clean_justification('"Wir sind dafür."') == "Wir sind dafür."
    assert clean_justification("Zu dieser These hat die Partei keine Begründung vorgelegt.") \
        == ""
    assert clean_justification('"Zu dieser These hat die Partei keine Begründung vorgelegt."') \
        == ""
    assert clean_justification("") == "" and clean_justification(None) == ""
    assert clean_justification('"A &amp; B <b>fett</b><script>x()</script>"') == "A & B fett"


def test_reimport_is_refused_unless_replace(runner: FlaskCliRunner) -> None:
    assert import_election(runner, "2019/bremen", "--publish").exit_code == 0
    again = import_election(runner, "2019/bremen")
    assert again.exit_code == 1 and "--replace" in again.output
    assert import_election(runner, "2019/bremen", "--replace").exit_code == 0


def broken_copy(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "election"
    shutil.copytree(DATA / "2019/bremen", folder)
    path = folder / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(edit(data)), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("name", "edit", "message"), [
    ("opinion", lambda d: d + [{**d[0], "id": 9999, "party": 77}], "unknown party 77"),
    ("opinion", lambda d: [o for o in d if o["statement"] != 3], "statement 3"),
    ("answer", lambda d: d + [{"id": 9, "message": "Vielleicht"}], "unknown answer"),
    ("statement", lambda d: {"not": "a list"}, "expected a list"),
    ("opinion", lambda d: d + [{**d[0], "id": 9998}], "repeats party"),
])
def test_inconsistent_files_are_reported(runner: FlaskCliRunner, tmp_path: Path,
                                         name: str, edit, message: str) -> None:
    result = runner.invoke(args=["import", "qual-o-mat", str(broken_copy(tmp_path, name, edit))])
    assert result.exit_code == 1 and message in result.output, result.output


def test_not_an_election_folder(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import", "qual-o-mat", str(tmp_path)])
    assert result.exit_code == 1 and "not a qual-o-mat election folder" in result.output
    (tmp_path / "x").mkdir()
    for name in ("overview", "statement", "party", "answer", "opinion", "comment"):
        (tmp_path / "x" / f"{name}.json").write_text("{broken")
    result = runner.invoke(args=["import", "qual-o-mat", str(tmp_path / "x")])
    assert result.exit_code == 1 and "not valid UTF-8 JSON" in result.output


def test_imported_quiz_is_taken_in_german(runner: FlaskCliRunner, client: FlaskClient) -> None:
    assert import_election(runner, "2019/bremen", "--publish").exit_code == 0
    assert 'href="/de/bremen2019/"' in client.get("/de/").get_data(as_text=True)
    step = client.get("/de/bremen2019/1?v=1").get_data(as_text=True)
    assert '<html lang="de">' in step
    for label in ("Stimme zu", "Neutral", "Stimme nicht zu", "Wichtig für mich",
                  "These überspringen"):
        assert label in step
    assert "Die Bremer Außenweser soll für große Schiffe weiter vertieft werden." in step
    result = client.get("/de/bremen2019/result?v=1&a=cba").get_data(as_text=True)
    assert "Sozialdemokratische Partei Deutschlands" in result and " %</span>" in result
