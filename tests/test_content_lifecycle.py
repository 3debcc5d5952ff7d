"""Loading content files into the database and publishing versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import FIXTURE_CONTENT
from valgomat.content import lifecycle
from valgomat.content.files import read_content
from valgomat.core.model import quiz_to_dict
from valgomat.extensions import db
from valgomat.storage import models, published


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def test_load_reproduces_the_files(app: Flask) -> None:
    with app.app_context():
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        expected, _ = read_content(FIXTURE_CONTENT)
        for quiz in expected:
            live = published.published_quiz(quiz.slug)
            assert live is not None and live.version == 1
            assert quiz_to_dict(live) == quiz_to_dict(quiz)


def test_load_is_idempotent(app: Flask) -> None:
    with app.app_context():
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        rows = {m: count(m) for m in (models.Quiz, models.Statement, models.Position)}
        report = lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        assert "0 changed" in report[0]
        assert {m: count(m) for m in rows} == rows
        assert count(models.QuizVersion) == 2  # one per quiz, not one per load
        assert count(models.ContentLoad) == 2


def test_load_without_publish_changes_only_the_draft(app: Flask) -> None:
    with app.app_context():
        lifecycle.load_content(FIXTURE_CONTENT)
        assert published.published_quizzes() == []
        assert count(models.Quiz) == 2


def test_changed_files_publish_a_new_version_and_old_ones_stay(app: Flask,
                                                               tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    with app.app_context():
        lifecycle.load_content(content, publish=True)
        before = published.published_quiz("fixture")
        path = content / "questions" / "fixture.yaml"
        path.write_text(path.read_text().replace("weight: 2", "weight: 3"))
        report = lifecycle.load_content(content, publish=True)
        assert "fixture: published version 2" in report
        assert published.published_quiz("fixture").version == 2
        assert published.published_quiz("fixture", 1) == before


def test_old_versions_leave_the_cache_but_the_live_one_stays(app: Flask, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from valgomat.storage import published

    monkeypatch.setattr(published, "MAX_CACHED_VERSIONS", 2)
    content = copy_content(tmp_path)
    path = content / "questions" / "fixture.yaml"
    with app.app_context():
        for weight in (3, 4, 5):  # versions 1 to 4 of "fixture"
            lifecycle.load_content(content, publish=True)
            path.write_text(path.read_text().replace(f"weight: {weight - 1}",
                                                     f"weight: {weight}"))
        lifecycle.load_content(content, publish=True)
        assert published.published_quiz("fixture").version == 4
        for number in (1, 2, 3, 1):
            assert published.published_quiz("fixture", number).version == number
        cached = app.extensions[published.SNAPSHOT_KEY]
        assert len(cached) == 2  # the live version and the most recently used old one
        assert published.published_quiz("fixture").version == 4
        assert set(cached) == {("fixture", 1), ("fixture", 4)}


def test_removed_statement_and_party_are_removed(app: Flask, tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    with app.app_context():
        lifecycle.load_content(content, publish=True)
        party_files = sorted((content / "positions" / "fixture").glob("*.yaml"))
        party_files[0].unlink()
        lifecycle.load_content(content, publish=True)
        quiz = published.published_quiz("fixture")
        assert party_files[0].stem not in [p.id for p in quiz.parties]
        assert count(models.Party) == len(quiz.parties) + 2  # fixture-three has two


def test_invalid_content_stores_nothing(app: Flask, tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    with app.app_context():
        lifecycle.load_content(content, publish=True)
        before = quiz_to_dict(published.published_quiz("fixture"))
        path = content / "questions" / "fixture.yaml"
        path.write_text(path.read_text().replace("scale: 5", "scale: 7"))
        with pytest.raises(lifecycle.ContentError) as error:
            lifecycle.load_content(content, publish=True)
        assert any("scale" in str(p) for p in error.value.problems)
        assert quiz_to_dict(published.published_quiz("fixture")) == before
        assert count(models.ContentLoad) == 1


def test_if_changed_skips_unchanged_files(app: Flask) -> None:
    with app.app_context():
        lifecycle.load_content(FIXTURE_CONTENT, publish=True, if_changed=True)
        report = lifecycle.load_content(FIXTURE_CONTENT, publish=True, if_changed=True)
        assert "unchanged" in report[0]
        assert count(models.ContentLoad) == 1


def test_cli_load_and_check(runner, app: Flask) -> None:
    result = runner.invoke(args=["content", "load", str(FIXTURE_CONTENT), "--publish"])
    assert result.exit_code == 0, result.output
    assert "published version 1" in result.output
    result = runner.invoke(args=["content", "check", str(FIXTURE_CONTENT)])
    assert result.exit_code == 0, result.output
