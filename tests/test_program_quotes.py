"""Programs are content: every quote is checked against its program file, ``content
load`` refuses what the check refuses and keeps each program's text once."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import FIXTURE_CONTENT
from valgomat.content import lifecycle
from valgomat.content.files import read_content
from valgomat.extensions import db
from valgomat.storage import models, published
from valgomat.storage.programs import program_text

PARTY = "positions/fixture/fjellvik-green.yaml"
PROGRAM = "programs/fixture/fjellvik-green-2027-2031.txt"
QUOTE = "Nærskolen er hjertet i bygda."


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def quote_line(content: Path) -> int:
    lines = (content / PARTY).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if QUOTE in line)


def check(content: Path, tmp_path: Path) -> tuple[int, str]:
    from valgomat.cli import main

    result = CliRunner().invoke(main, ["content", "check", str(content)],
                                env={"VALGOMAT_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_the_fixture_quotes_are_found_and_the_program_hash_is_kept() -> None:
    quizzes, problems = read_content(FIXTURE_CONTENT)
    assert problems == []
    green = next(q for q in quizzes if q.slug == "fixture").party("fjellvik-green")
    assert green.program.sha256 == hashlib.sha256(
        (FIXTURE_CONTENT / PROGRAM).read_bytes()).hexdigest()
    red = next(q for q in quizzes if q.slug == "fixture").party("fjellvik-red")
    assert red.program.file == red.program.sha256 == ""  # no program file: not checked


def test_a_changed_word_is_a_quote_not_found_with_the_closest_passage(
        content: Path, tmp_path: Path) -> None:
    line = quote_line(content)
    replace_in(content / PARTY, QUOTE, "Nærskolen er hjertet i byen.")
    code, output = check(content, tmp_path)
    assert code == 1
    assert output.splitlines()[0] == (
        f"{content / PARTY}:{line}: quote not found in {content / PROGRAM} "
        '(closest passage: "Nærskolen er hjertet i bygda.")')


def test_whitespace_differences_pass_and_nothing_else_does(content: Path,
                                                            tmp_path: Path) -> None:
    # The program breaks this quote over two lines; here a space is lost and two gained.
    replace_in(content / PARTY, "Billigere kollektivtrafikk skal gjøre det lett å velge bussen.",
               "Billigere  kollektivtrafikk skal gjøre det lett åvelge bussen .")
    assert check(content, tmp_path)[0] == 0
    replace_in(content / PARTY, QUOTE, QUOTE.lower())
    code, output = check(content, tmp_path)
    assert code == 1 and "quote not found" in output


def test_a_program_that_is_not_utf8_is_an_error_with_its_path(content: Path,
                                                               tmp_path: Path) -> None:
    path = content / PROGRAM
    path.write_bytes(path.read_bytes() + "Slutt på teksten.\n".encode("latin-1"))
    code, output = check(content, tmp_path)
    lines = path.read_bytes().count(b"\n")
    assert code == 1
    assert output.splitlines()[0] == f"{path}:{lines}: program file is not UTF-8 text"


def test_a_missing_or_too_large_program_is_a_problem(content: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from valgomat.content import program_files

    monkeypatch.setattr(program_files, "MAX_PROGRAM_BYTES", 100)
    code, output = check(content, tmp_path)
    size = (content / PROGRAM).stat().st_size
    assert code == 1 and output.splitlines()[0] == (
        f"{content / PROGRAM}: program file is {size:,} bytes (at most 0 MB = 100 bytes)")
    (content / PROGRAM).unlink()
    _, problems = read_content(content)
    assert [str(p) for p in problems] == [
        f"{content / PARTY}:8: program file {content / PROGRAM} not found"]


def test_a_program_file_is_a_plain_name_in_the_quizs_folder(content: Path) -> None:
    replace_in(content / PARTY, "file: fjellvik-green-2027-2031.txt",
               "file: ../../questions/fixture.yaml")
    _, problems = read_content(content)
    assert [p.message for p in problems] == [
        "program file '../../questions/fixture.yaml' must be a file name in "
        "programs/<quiz-slug>/ ending in .txt or .md (letters, digits, '.', '_' and '-'; "
        "no folders)"]


def test_publisher_date_and_language_are_checked(content: Path) -> None:
    replace_in(content / PARTY, "  file: fjellvik-green-2027-2031.txt\n",
               "  file: fjellvik-green-2027-2031.txt\n  publisher: Grønn framtid\n"
               "  date: 2027-01-31\n  language: Norsk\n")
    _, problems = read_content(content)
    assert [(p.line, p.message) for p in problems] == [
        (10, "program date must be text, got 2027-01-31 (a date) (quote it)"),
        (11, "program language 'Norsk' is not a language code (like nb, sv or en)")]
    replace_in(content / PARTY, "date: 2027-01-31", 'date: "2027-01-31"')
    replace_in(content / PARTY, "language: Norsk", "language: nb")
    quizzes, problems = read_content(content)
    program = next(q for q in quizzes if q.slug == "fixture").party("fjellvik-green").program
    assert problems == [] and (program.publisher, program.date, program.language) == (
        "Grønn framtid", "2027-01-31", "nb")


def test_load_refuses_a_quote_not_found_and_stores_nothing(app: Flask, content: Path) -> None:
    replace_in(content / PARTY, QUOTE, "Nærskolen er hjertet i byen.")
    with app.app_context():
        with pytest.raises(lifecycle.ContentError) as error:
            lifecycle.load_content(content, publish=True)
        assert [p.message.split(" (")[0] for p in error.value.problems] == [
            f"quote not found in {content / PROGRAM}"]
        assert db.session.scalar(select(func.count()).select_from(models.ProgramText)) == 0
        assert db.session.scalar(select(func.count()).select_from(models.Quiz)) == 0


def test_load_keeps_each_program_text_once_and_export_writes_it_back(
        app: Flask, content: Path, tmp_path: Path) -> None:
    text = (content / PROGRAM).read_text(encoding="utf-8")
    with app.app_context():
        lifecycle.load_content(content, publish=True)
        replace_in(content / "questions/fixture.yaml", "Fjellvik kommune (testdata)",
                   "Fjellvik kommune (testdata 2)")
        lifecycle.load_content(content, publish=True)
        assert db.session.scalar(select(func.count()).select_from(models.ProgramText)) == 1
        quiz = published.published_quiz("fixture")
        assert quiz is not None and quiz.version == 2
        sha256 = quiz.party("fjellvik-green").program.sha256
        assert program_text(sha256) == text
        lifecycle.export_content(tmp_path / "out", ["fixture"], None)
    assert (tmp_path / "out" / PROGRAM).read_text(encoding="utf-8") == text
    assert read_content(tmp_path / "out")[1] == []
