"""`content load` never overwrites (or publishes over) a draft that editors changed in
the browser since the last load, unless told to with --force; `make run`'s own load
keeps such drafts and still succeeds (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import FIXTURE_CONTENT
from tests.views.test_editor_workflow import STATEMENT, lock_of, statement_form
from valgomat.extensions import db
from valgomat.storage import models

ROOT = Path(__file__).resolve().parents[1]
EDITED = "Road tolls, as the editor wrote it."


def make_run_load_args() -> list[str]:
    """The arguments of the `valgomat content load` that `make run` runs on every start."""
    recipe = (ROOT / "Makefile").read_text()
    line = re.search(r"^\t\$\(BIN\)/valgomat (content load[^\n]*)$", recipe, re.M)
    assert line, "make run no longer loads the content"
    return shlex.split(line.group(1))


def toll_ring_text(app: Flask) -> str:
    with app.app_context():
        return db.session.scalar(select(models.Statement.text)
                                 .where(models.Statement.slug == "toll-ring"))["en"]


def versions(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(models.QuizVersion.id)))


def loads(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(models.ContentLoad.id)))


def edit_in_the_browser(app: Flask, client: FlaskClient, text: str = EDITED) -> None:
    response = client.post(STATEMENT, data=statement_form(lock_of(app, "toll-ring"),
                                                          text_en=text))
    assert response.status_code == 302 and "/statements" in response.headers["Location"]
    assert toll_ring_text(app) == text


def changed_files(tmp_path: Path) -> Path:
    """A copy of the fixture content with the other quiz changed (as after a git pull)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    questions = root / "questions" / "fixture-three.yaml"
    questions.write_text(questions.read_text().replace("Libraries should open on Sundays.",
                                                       "Libraries should open every day."))
    return root


@pytest.mark.parametrize("publish", [[], ["--publish"]])
def test_a_plain_load_refuses_to_overwrite_an_edited_draft(
        loaded_app: Flask, editor_client: FlaskClient, tmp_path: Path,
        publish: list[str]) -> None:
    edit_in_the_browser(loaded_app, editor_client)
    before_versions, before_loads = versions(loaded_app), loads(loaded_app)
    result = loaded_app.test_cli_runner().invoke(
        args=["content", "load", str(changed_files(tmp_path)), *publish])
    assert result.exit_code == 1, result.output
    assert "fixture: its draft was changed in the editor since its last content load" \
        in result.output
    assert re.search(r"statement fixture/toll-ring: update by editor@example\.org at "
                     r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", result.output)
    assert "--force" in result.output and "Nothing was loaded or published" in result.output
    assert toll_ring_text(loaded_app) == EDITED
    assert versions(loaded_app) == before_versions and loads(loaded_app) == before_loads


def test_make_runs_load_keeps_edited_drafts_and_loads_the_rest(
        loaded_app: Flask, editor_client: FlaskClient, tmp_path: Path) -> None:
    edit_in_the_browser(loaded_app, editor_client)
    root, runner = changed_files(tmp_path), loaded_app.test_cli_runner()
    args = make_run_load_args()
    assert "--publish" in args
    before = versions(loaded_app)
    first = runner.invoke(args=[*args, str(root)])
    assert first.exit_code == 0, first.output
    assert "Kept the editors' draft of fixture" in first.output
    assert "statement fixture/toll-ring" in first.output and "--force" in first.output
    assert "fixture-three: published version 2" in first.output
    assert toll_ring_text(loaded_app) == EDITED
    assert versions(loaded_app) == before + 1  # fixture-three only, not the editor's draft
    second = runner.invoke(args=[*args, str(root)])  # make run again
    assert second.exit_code == 0, second.output
    assert toll_ring_text(loaded_app) == EDITED and versions(loaded_app) == before + 1
    with loaded_app.app_context():
        kept = db.session.scalars(select(models.Change).where(
            models.Change.action == "keep", models.Change.quiz_slug == "fixture")).all()
    assert len(kept) == 1


def test_force_takes_the_files_and_later_loads_are_free_again(
        loaded_app: Flask, editor_client: FlaskClient, tmp_path: Path) -> None:
    edit_in_the_browser(loaded_app, editor_client)
    runner = loaded_app.test_cli_runner()
    forced = runner.invoke(args=["content", "load", str(FIXTURE_CONTENT), "--force"])
    assert forced.exit_code == 0, forced.output
    assert toll_ring_text(loaded_app) != EDITED
    again = runner.invoke(args=["content", "load", str(changed_files(tmp_path))])
    assert again.exit_code == 0, again.output
    both = runner.invoke(args=["content", "load", "--force", "--keep-edited"])
    assert both.exit_code == 2 and "not both" in both.output


def test_an_edited_draft_that_equals_the_files_is_not_in_the_way(
        loaded_app: Flask, editor_client: FlaskClient, tmp_path: Path) -> None:
    """The editors' work exported and merged into the files loads without --force, and
    those edits no longer count against later loads."""
    edit_in_the_browser(loaded_app, editor_client)
    runner, merged = loaded_app.test_cli_runner(), tmp_path / "merged"
    assert runner.invoke(args=["content", "export", str(merged)]).exit_code == 0
    taken = runner.invoke(args=["content", "load", str(merged)])
    assert taken.exit_code == 0, taken.output
    edit_in_the_browser(loaded_app, editor_client, "Road tolls, edited once more.")
    result = runner.invoke(args=["content", "load", str(FIXTURE_CONTENT)])
    assert result.exit_code == 1
    assert "(1 change(s))" in result.output  # the edit taken in no longer counts


def test_a_load_moves_open_settings_forms_out_of_date(loaded_app: Flask) -> None:
    with loaded_app.app_context():
        row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "fixture"))
        row.method, seen = "hybrid", row.lock_version
        db.session.commit()
    result = loaded_app.test_cli_runner().invoke(
        args=["content", "load", str(FIXTURE_CONTENT)])
    assert result.exit_code == 0, result.output
    with loaded_app.app_context():
        row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "fixture"))
        assert row.method == "cityblock" and row.lock_version == seen + 1
