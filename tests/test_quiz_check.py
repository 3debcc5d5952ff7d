"""Drafts checked in memory: the same problems as their content files would have."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from valgomat.content.files import read_content, read_content_and_programs, write_content
from valgomat.content.quiz_check import quiz_problems
from valgomat.core.content.limits import MAX_PARTIES
from valgomat.core.model import Evidence, Quiz

CONTENT = Path(__file__).parent / "data" / "content"


def fixture() -> Quiz:
    quizzes, problems = read_content(CONTENT)
    assert problems == []
    return quizzes[0]


def _statement_changed(quiz: Quiz, **changes: object) -> Quiz:
    first = dataclasses.replace(quiz.statements[0], **changes)
    return dataclasses.replace(quiz, statements=(first, *quiz.statements[1:]))


def _red_changed(quiz: Quiz, **changes: object) -> Quiz:
    return dataclasses.replace(quiz, parties=tuple(
        dataclasses.replace(p, **changes) if p.id == "fjellvik-red" else p
        for p in quiz.parties))


def _unquoted_position(quiz: Quiz) -> Quiz:
    red, sid = quiz.party("fjellvik-red"), quiz.statements[0].id
    return _red_changed(quiz, colour="red", positions={**red.positions, sid: 1},
                        evidence={**red.evidence, sid: Evidence("", "", "high", {})})


BROKEN = {
    "missing language": lambda q: _statement_changed(q, text={"nb": "x", "sv": "y"}),
    "blank title": lambda q: dataclasses.replace(q, title={**q.title, "en": " "}),
    "control character and foreign language": lambda q: _statement_changed(
        q, explanation={"nb": "a\x00", "sv": "b", "en": "c", "de": "d"}),
    "unknown topic, negative weight": lambda q: _statement_changed(q, topic="nope",
                                                                   weight=-1.0),
    "no statements": lambda q: dataclasses.replace(q, statements=()),
    "no topics": lambda q: dataclasses.replace(q, topics=()),
    "unquoted position, bad colour": _unquoted_position,
    "bad party id, empty name": lambda q: dataclasses.replace(q, parties=(
        *q.parties, dataclasses.replace(q.party("fjellvik-red"), id="Bad_id", name=""))),
}


def test_a_valid_quiz_has_no_problems() -> None:
    assert quiz_problems(fixture()) == []


@pytest.mark.parametrize("name", BROKEN)
def test_problems_are_those_of_the_written_files(name: str, tmp_path: Path) -> None:
    quiz = BROKEN[name](fixture())
    write_content(quiz, tmp_path, read_content_and_programs(CONTENT)[2].get)
    _, in_files = read_content(tmp_path)
    found = quiz_problems(quiz)
    assert in_files and [p.message for p in found] == [p.message for p in in_files]
    assert all(p.line is None for p in found)


def test_problems_name_the_record_instead_of_a_file() -> None:
    found = [str(p) for p in quiz_problems(_unquoted_position(fixture()))]
    assert found[0] == "party 'fjellvik-red': colour 'red' is not a #rrggbb colour " \
                       "(like \"#c8102e\")"
    found = [str(p) for p in quiz_problems(BROKEN["blank title"](fixture()))]
    assert found == ["quiz 'fixture': title.en is empty"]


def test_too_many_parties_is_one_problem() -> None:
    quiz = fixture()
    red = quiz.party("fjellvik-red")
    many = dataclasses.replace(quiz, parties=tuple(
        dataclasses.replace(red, id=f"p{i}") for i in range(MAX_PARTIES + 1)))
    assert [str(p) for p in quiz_problems(many)] == [
        f"quiz 'fixture': has {MAX_PARTIES + 1} parties (at most {MAX_PARTIES})"]


def test_a_draft_too_large_for_its_files_is_refused_as_the_files_would_be(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file size limit applies to the YAML the draft would be written as, exactly:
    a limit of that size passes, one byte less is the files' own problem."""
    from valgomat.content import files, quiz_check

    quiz = fixture()
    write_content(quiz, tmp_path)
    sizes = sorted((path.stat().st_size, path.stem) for path in tmp_path.rglob("*.yaml"))
    (size, largest), (second, _) = sizes[-1], sizes[-2]
    assert second < size - 1  # one byte less makes exactly one file too large
    for limit, expected in ((size, 0), (size - 1, 1)):
        monkeypatch.setattr(files, "MAX_FILE_BYTES", limit)
        monkeypatch.setattr(quiz_check, "MAX_FILE_BYTES", limit)
        found = [p for p in quiz_problems(quiz) if "bytes" in p.message]
        _, in_files = read_content(tmp_path)
        assert len(found) == len([p for p in in_files if "bytes" in p.message]) == expected
    record = f"quiz '{quiz.slug}'" if largest == quiz.slug else f"party '{largest}'"
    assert str(found[0]) == f"{record}: would be written as a content file that is " \
                            f"{size:,} bytes (at most 0 MB = {size - 1:,} bytes)"


def test_a_draft_too_large_for_the_content_folder_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from valgomat.content import quiz_check

    quiz = fixture()
    write_content(quiz, tmp_path)
    total = sum(path.stat().st_size for path in tmp_path.rglob("*.yaml"))
    monkeypatch.setattr(quiz_check, "MAX_FOLDER_BYTES", total)
    assert quiz_problems(quiz) == []
    monkeypatch.setattr(quiz_check, "MAX_FOLDER_BYTES", total - 1)
    assert [str(p) for p in quiz_problems(quiz)] == [
        f"quiz '{quiz.slug}': would be written as content files that together are "
        f"{total:,} bytes (at most {total - 1:,} bytes)"]


def test_a_drafts_quotes_are_checked_against_the_stored_program_text() -> None:
    """Without the program text (no storage at hand) a draft's quotes go unchecked; with
    it, a quote the program lacks is a problem of the party's record."""
    quizzes, _, texts = read_content_and_programs(CONTENT)
    quiz = quizzes[0]
    green = quiz.party("fjellvik-green")
    sid = "free-choice-home-care"
    assert green.evidence[sid].quote == "Velferd skal ikke være et marked."
    changed = dataclasses.replace(green.evidence[sid], quote="Velferd skal aldri være et marked.")
    quiz = dataclasses.replace(quiz, parties=tuple(
        dataclasses.replace(p, evidence={**p.evidence, sid: changed})
        if p.id == "fjellvik-green" else p for p in quiz.parties))
    assert quiz_problems(quiz) == []
    assert quiz_problems(quiz, {}.get) == []
    assert [str(p) for p in quiz_problems(quiz, texts.get)] == [
        "party 'fjellvik-green': quote not found in "
        "programs/fixture/fjellvik-green-2027-2031.txt "
        "(closest passage: \"Velferd skal ikke være et marked.\")"]
