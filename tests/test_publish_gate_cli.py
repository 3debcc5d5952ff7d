"""The publish gate on the command line: ``content load --publish [--accept-audit]`` and
the Wahl-O-Mat import with ``--publish`` (SQLite and PostgreSQL, no mocks)."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from tests.conftest import DATA_DIR, FIXTURE_CONTENT
from tests.fuzzing import many_party_quiz
from valgomat.extensions import db
from valgomat.storage import models, published

SKEWED = DATA_DIR / "gate" / "skewed"
QUALOMAT_SKEWED = DATA_DIR / "gate" / "qualomat-skewed"
REASON = "The parties asked for these statements; reviewed by the desk on 2 December."


def load(runner: FlaskCliRunner, folder: Path, *args: str):
    return runner.invoke(args=["content", "load", str(folder), *args])


def versions(app: Flask, slug: str) -> list[models.QuizVersion]:
    with app.app_context():
        rows = db.session.scalars(select(models.QuizVersion).join(models.Quiz)
                                  .where(models.Quiz.slug == slug)
                                  .order_by(models.QuizVersion.number)).all()
        db.session.expunge_all()
        return list(rows)


def publish_changes(app: Flask, slug: str) -> list[models.Change]:
    with app.app_context():
        rows = db.session.scalars(select(models.Change).where(
            models.Change.quiz_slug == slug, models.Change.entity == "version")
            .order_by(models.Change.id)).all()
        db.session.expunge_all()
        return list(rows)


def test_a_skewed_quiz_is_refused_with_its_warnings_and_nothing_is_stored(
        app: Flask, runner: FlaskCliRunner) -> None:
    result = load(runner, SKEWED, "--publish")
    assert result.exit_code == 1
    assert "skewed: the publish gate refuses this quiz" in result.output
    assert "Twin A can never be the only first place" in result.output
    assert "Twin B can never be the only first place" in result.output
    assert "Other audit warnings (these do not block publishing):" in result.output
    assert '--accept-audit "REASON"' in result.output and "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "skewed")) \
            is None  # not even the draft: a refused load stores nothing
        assert db.session.scalar(select(models.ContentLoad)) is None


def test_accept_audit_publishes_and_keeps_the_reason(app: Flask, runner: FlaskCliRunner,
                                                     tmp_path: Path) -> None:
    result = load(runner, SKEWED, "--publish", "--accept-audit", REASON)
    assert result.exit_code == 0, result.output
    assert "skewed: published version 1" in result.output
    assert f"Published despite the publish gate; reason: {REASON}" in result.output
    [version] = versions(app, "skewed")
    assert version.published_despite == REASON
    assert [w["code"] for w in version.gate_warnings] == ["unreachable", "unreachable"]
    [entry] = publish_changes(app, "skewed")
    assert entry.action == "publish" and entry.user_email == "content load"
    assert entry.after["published_despite"] == REASON
    assert entry.after["gate_warnings"][0].startswith("Twin A can never be")
    page = app.test_client().get("/en/skewed/method?v=1").get_data(as_text=True)
    assert f"Published despite: {REASON}" in page
    assert "Twin A can never come first on its own" in page

    # A changed draft is refused again without a reason: the live version stays.
    changed = tmp_path / "content"
    shutil.copytree(SKEWED, changed)
    quiz_file = changed / "questions" / "skewed.yaml"
    quiz_file.write_text(quiz_file.read_text().replace("all night", "all night long"))
    refused = load(runner, changed, "--publish")
    assert refused.exit_code == 1 and "Nothing was stored" in refused.output
    assert [v.number for v in versions(app, "skewed")] == [1]
    with app.app_context():
        assert published.published_quiz("skewed").version == 1
        row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "skewed"))
        assert not any("all night long" in s.text["en"] for s in row.statements)


def test_bad_accept_audit_use_exits_1_with_a_message(app: Flask,
                                                     runner: FlaskCliRunner) -> None:
    short = load(runner, SKEWED, "--publish", "--accept-audit", "ok")
    assert short.exit_code == 1 and "Give a reason of 10 to 500 characters" in short.output
    alone = load(runner, SKEWED, "--accept-audit", REASON)
    assert alone.exit_code == 1 and "--accept-audit only applies with --publish" in alone.output
    assert versions(app, "skewed") == []


def test_a_quiz_that_passes_publishes_without_a_reason(app: Flask,
                                                      runner: FlaskCliRunner) -> None:
    result = load(runner, FIXTURE_CONTENT, "--publish")
    assert result.exit_code == 0, result.output
    assert "fixture: published version 1" in result.output
    assert "publish gate" not in result.output
    [version] = versions(app, "fixture")
    assert version.published_despite is None and version.gate_warnings == []
    page = app.test_client().get("/en/fixture/method").get_data(as_text=True)
    assert "This version passed the check." in page and "Published despite" not in page


def test_a_reason_is_not_kept_where_the_gate_passes(app: Flask,
                                                    runner: FlaskCliRunner) -> None:
    result = load(runner, FIXTURE_CONTENT, "--publish", "--accept-audit", REASON)
    assert result.exit_code == 0, result.output
    assert all(v.published_despite is None for v in versions(app, "fixture"))


def test_an_import_of_the_parties_own_answers_publishes_with_the_warnings_printed(
        app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["import", "qual-o-mat", str(QUALOMAT_SKEWED), "--publish"])
    assert result.exit_code == 0, result.output
    assert "schiefstadt2026: published version 1" in result.output
    assert "so the audit's warnings do not block publishing" in result.output
    assert "Zwillingspartei A can never be the only first place" in result.output
    [version] = versions(app, "schiefstadt2026")
    assert version.published_despite is None
    assert [w["code"] for w in version.gate_warnings] == ["unreachable", "unreachable"]
    assert publish_changes(app, "schiefstadt2026")[0].after["published_despite"] is None
    page = app.test_client().get("/de/schiefstadt2026/method").get_data(as_text=True)
    assert "Die Parteien haben diese Antworten selbst gegeben" in page
    assert "Zwillingspartei A kann nie allein auf Platz eins kommen" in page


def test_a_quiz_the_audit_cannot_simulate_is_refused_in_words(
        app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    """More parties than the audit handles: no traceback, a refusal that says why, and
    publishing only with a reason."""
    folder = many_party_quiz(tmp_path / "many", 66)
    result = load(runner, folder, "--publish")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "The audit cannot check this quiz: The audit handles at most 62 parties." \
        in result.output
    assert versions(app, "skewed") == []
    result = load(runner, folder, "--publish", "--accept-audit", REASON)
    assert result.exit_code == 0, result.output
    assert [v.published_despite for v in versions(app, "skewed")] == [REASON]
