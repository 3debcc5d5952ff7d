"""The publish gate in the editor: refusal in plain words, publishing anyway with a reason
(admins only), and the reason on the version's method page (SQLite and PostgreSQL)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import DATA_DIR
from valgomat.content import lifecycle
from valgomat.extensions import db
from valgomat.storage import models

SKEWED = DATA_DIR / "gate" / "skewed"
PUBLISH = "/editor/quizzes/skewed/publish"
FIRST_REASON = "Version 1 went out before the twin parties were told apart."
REASON = "Both twin parties confirmed identical answers; readers are told on the page."


def skewed_live_with_new_draft(app: Flask) -> None:
    """The skewed quiz live as version 1 (published despite the gate), and a changed draft."""
    with app.app_context():
        lifecycle.load_content(SKEWED, publish=True, accept_audit=FIRST_REASON)
        statement = db.session.scalar(select(models.Statement).where(
            models.Statement.slug == "night-buses"))
        statement.text = {"en": "Buses should run all night on Fridays and Saturdays."}
        db.session.commit()


def version_numbers(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(models.QuizVersion.number).join(models.Quiz)
                                       .where(models.Quiz.slug == "skewed")
                                       .order_by(models.QuizVersion.number)))


def live_version(app: Flask) -> int | None:
    with app.app_context():
        return db.session.scalar(select(models.Quiz.published_version)
                                 .where(models.Quiz.slug == "skewed"))


def test_the_gate_refuses_a_skewed_draft_and_lists_its_warnings(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    skewed_live_with_new_draft(loaded_app)
    page = admin_client.get(PUBLISH).get_data(as_text=True)
    assert "The publish gate refuses this draft" in page
    assert "Twin A can never be the only first place" in page
    assert "Other audit warnings (these do not block publishing)" in page
    assert 'name="reason"' in page and 'maxlength="500"' in page
    for data in ({}, {"confirm": "y"}, {"reason": "   "}, {"reason": "short"}):
        refused = admin_client.post(PUBLISH, data={**data, "published_version": "1"})
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, data
        assert "Give a reason of 10 to 500 characters" in body
        assert "Twin B can never be the only first place" in body
    too_long = admin_client.post(PUBLISH, data={"reason": "x" * 501})
    assert too_long.status_code == 400
    assert version_numbers(loaded_app) == [1] and live_version(loaded_app) == 1


def test_an_admin_publishes_anyway_with_a_reason(loaded_app: Flask,
                                                 admin_client: FlaskClient) -> None:
    skewed_live_with_new_draft(loaded_app)
    response = admin_client.post(PUBLISH, data={"reason": f"  {REASON} <b>ok</b>",
                                                "published_version": "1"})
    assert response.status_code == 302
    assert version_numbers(loaded_app) == [1, 2] and live_version(loaded_app) == 2
    stored = f"{REASON} <b>ok</b>"  # plain text, as typed (ends trimmed)
    shown = f"{REASON} &lt;b&gt;ok&lt;/b&gt;"  # and escaped on every page
    with loaded_app.app_context():
        version = db.session.scalar(select(models.QuizVersion).where(
            models.QuizVersion.number == 2).join(models.Quiz)
            .where(models.Quiz.slug == "skewed"))
        assert version.published_despite == stored
        assert version.published_by == "admin@example.org"
        assert {w["party"] for w in version.gate_warnings} == {"twin-a", "twin-b"}
        entry = db.session.scalars(select(models.Change).where(
            models.Change.entity == "version", models.Change.quiz_slug == "skewed")
            .order_by(models.Change.id)).all()[-1]
        assert entry.user_email == "admin@example.org" and entry.action == "publish"
        assert entry.after["version"] == 2 and entry.after["published_despite"] == stored
        assert any("Twin A can never be" in text for text in entry.after["gate_warnings"])
    versions_page = admin_client.get("/editor/quizzes/skewed/versions").get_data(as_text=True)
    assert f"Published despite the publish gate: {shown}" in versions_page

    method = admin_client.get("/en/skewed/method?v=2")
    page = method.get_data(as_text=True)
    assert method.status_code == 200
    assert f"Published despite: {shown}" in page
    assert "Twin A can never come first on its own, whatever the answers." in page
    assert "city-block distance" in page and "count as neutral" in page
    first = admin_client.get("/en/skewed/method?v=1").get_data(as_text=True)
    assert f"Published despite: {FIRST_REASON}" in first and shown not in first
    # The quiz is in English only, so its pages are not offered in Norwegian; translated
    # warnings: tests/test_publish_gate_cli.py (an imported German quiz).
    norwegian = admin_client.get("/nb/skewed/method?v=2")
    assert norwegian.status_code == 302 and norwegian.location == "/en/skewed/method?v=2"
    embed = admin_client.get("/embed/en/skewed/method?v=2").get_data(as_text=True)
    assert f"Published despite: {shown}" in embed


def test_plain_editors_cannot_publish_even_with_a_reason(
        loaded_app: Flask, editor_client: FlaskClient) -> None:
    skewed_live_with_new_draft(loaded_app)
    assert editor_client.get(PUBLISH).status_code == 403
    assert editor_client.post(PUBLISH, data={"reason": REASON}).status_code == 403
    assert version_numbers(loaded_app) == [1]


def test_a_draft_that_passes_publishes_without_a_reason(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    with loaded_app.app_context():
        statement = db.session.scalar(select(models.Statement).where(
            models.Statement.slug == "toll-ring"))
        statement.text = {**statement.text, "en": "Road tolls, edited."}
        db.session.commit()
    page = admin_client.get("/editor/quizzes/fixture/publish").get_data(as_text=True)
    assert "The publish gate refuses this draft" not in page and 'name="reason"' not in page
    assert admin_client.post("/editor/quizzes/fixture/publish",
                             data={"confirm": "y", "published_version": "1"}).status_code == 302
    with loaded_app.app_context():
        version = db.session.scalar(select(models.QuizVersion).where(
            models.QuizVersion.number == 2))
        assert version.published_despite is None and version.gate_warnings == []
    method = admin_client.get("/en/fixture/method?v=2").get_data(as_text=True)
    assert "This version passed the check." in method and "Published despite" not in method


def test_the_generic_method_page_still_works(loaded_client: FlaskClient) -> None:
    page = loaded_client.get("/en/method")
    assert page.status_code == 200 and "A worked example" in page.get_data(as_text=True)
    assert loaded_client.get("/en/fixture/method?v=99").status_code == 404
    assert loaded_client.get("/en/fixture/method?v=x").status_code == 400
    assert loaded_client.get("/en/nothing/method").status_code == 404
