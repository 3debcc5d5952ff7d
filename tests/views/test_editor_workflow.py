"""Editing, locking, publishing, rolling back and the audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from valgomat.content import lifecycle
from valgomat.content.files import read_content
from valgomat.core.model import quiz_to_dict
from valgomat.extensions import db
from valgomat.storage import models

STATEMENT = "/editor/quizzes/fixture/statements/toll-ring"
POSITION = "/editor/quizzes/fixture/positions/fjellvik-red/toll-ring"


def statement_form(lock: int, **changes: str) -> dict[str, str]:
    form = {"lock_version": str(lock), "topic": "transport", "weight": "1", "order": "70",
            "text_nb": "Kommunen bør innføre bompenger.", "text_sv": "Kommunen bör införa "
            "trängselskatt.", "text_en": "The municipality should introduce road tolls.",
            "explanation_nb": "", "explanation_sv": "", "explanation_en": ""}
    form.update(changes)
    return form


def lock_of(app: Flask, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(models.Statement.lock_version)
                                 .where(models.Statement.slug == slug))


def changes(app: Flask, **where: str) -> list[models.Change]:
    with app.app_context():
        query = select(models.Change).order_by(models.Change.id)
        for name, value in where.items():
            query = query.where(getattr(models.Change, name) == value)
        return list(db.session.scalars(query))


def test_edit_statement_is_logged_with_before_and_after(loaded_app: Flask,
                                                        editor_client: FlaskClient) -> None:
    response = editor_client.post(STATEMENT, data=statement_form(
        lock_of(loaded_app, "toll-ring"), text_en="Road tolls <b>now</b>."))
    assert response.status_code == 302
    entry = changes(loaded_app, entity="statement")[-1]
    assert entry.user_email == "editor@example.org" and entry.action == "update"
    assert entry.after["text"]["en"] == "Road tolls <b>now</b>."  # plain text, kept as typed
    assert entry.before["text"]["en"] != entry.after["text"]["en"]
    log = editor_client.get("/editor/changes?entity=statement").get_data(as_text=True)
    assert "fixture/toll-ring" in log and "Road tolls" in log and "<b>now" not in log


def test_second_save_with_a_stale_lock_is_refused(loaded_app: Flask,
                                                  editor_client: FlaskClient,
                                                  admin_client: FlaskClient) -> None:
    lock = lock_of(loaded_app, "toll-ring")
    first = editor_client.post(STATEMENT, data=statement_form(lock, text_en="First wins."))
    assert first.status_code == 302
    second = admin_client.post(STATEMENT, data=statement_form(lock, text_en="Second loses."))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else saved this" in page and "editor@example.org" in page
    assert "First wins." in page and "Second loses." in page
    # Their text shown per language, as text, never as a Python dict.
    assert '<dt>Text (en), saved now</dt><dd lang="en">First wins.</dd>' in page
    assert "{&#39;" not in page and "{'" not in page
    with loaded_app.app_context():
        text = db.session.scalar(select(models.Statement.text)
                                 .where(models.Statement.slug == "toll-ring"))
    assert text["en"] == "First wins."


def test_bad_statement_input_stores_nothing(loaded_app: Flask,
                                            editor_client: FlaskClient) -> None:
    before = len(changes(loaded_app))
    for bad in ({"weight": "-1"}, {"text_en": ""}, {"topic": "nope"}, {"weight": "lots"},
                {"text_en": "x" * 600}):
        response = editor_client.post(STATEMENT, data=statement_form(
            lock_of(loaded_app, "toll-ring"), **bad))
        assert response.status_code == 400, bad
        assert 'class="field-error"' in response.get_data(as_text=True)
    new = editor_client.post("/editor/quizzes/fixture/statements/new",
                             data={**statement_form(0), "slug": "Not A Slug"})
    assert new.status_code == 400
    assert len(changes(loaded_app)) == before


def test_new_statement_deactivate_and_reorder(loaded_app: Flask,
                                              editor_client: FlaskClient) -> None:
    response = editor_client.post("/editor/quizzes/fixture/statements/new",
                                  data={**statement_form(0), "slug": "new-bridge", "order": ""})
    assert response.status_code == 302
    assert editor_client.post("/editor/quizzes/fixture/statements/new-bridge/up").status_code \
        == 302
    assert editor_client.post(
        "/editor/quizzes/fixture/statements/toll-ring/deactivate").status_code == 302
    with loaded_app.app_context():
        from valgomat.storage.drafts import draft_to_quiz

        row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "fixture"))
        ids = [s.id for s in draft_to_quiz(row).statements]
        everything = [s.slug for s in sorted(row.statements, key=lambda s: s.order)]
    assert "toll-ring" not in ids and "new-bridge" in ids
    assert everything[-2:] == ["new-bridge", "toll-ring"]  # moved up past toll-ring
    assert {c.action for c in changes(loaded_app, entity="statement")} >= {
        "create", "reorder", "deactivate"}


def test_position_needs_evidence_and_nothing_is_stored_without_it(
        loaded_app: Flask, editor_client: FlaskClient) -> None:
    bare = {"value": "2", "quote": "", "source": "", "confidence": "",
            "justification_nb": "", "justification_sv": "", "justification_en": ""}
    response = editor_client.post(POSITION, data=bare)
    assert response.status_code == 400 and "Needed for a stated position." in \
        response.get_data(as_text=True)
    assert changes(loaded_app, entity="position") == []
    full = {**bare, "quote": "Vi vil ha bompenger.", "source": "Samferdsel",
            "confidence": "high", "justification_nb": "Sier det.", "justification_sv": "Säger "
            "det.", "justification_en": "Says so."}
    with loaded_app.app_context():
        position = db.session.scalar(select(models.Position).join(models.Statement)
                                     .join(models.Party).where(
            models.Statement.slug == "toll-ring", models.Party.slug == "fjellvik-red"))
        full["lock_version"] = str(position.lock_version) if position else ""
    assert editor_client.post(POSITION, data=full).status_code == 302
    assert changes(loaded_app, entity="position")[-1].after["value"] == 2


def test_publish_rollback_and_pinned_versions(loaded_app: Flask, admin_client: FlaskClient,
                                              editor_client: FlaskClient) -> None:
    editor_client.post(STATEMENT, data=statement_form(lock_of(loaded_app, "toll-ring"),
                                                      text_en="Tolls, edited."))
    page = admin_client.get("/editor/quizzes/fixture/publish").get_data(as_text=True)
    assert "Audit of this draft" in page and 'role="img"' in page
    refused = admin_client.post("/editor/quizzes/fixture/publish")
    assert refused.status_code == 400 and "tick this box" in refused.get_data(as_text=True)
    assert admin_client.post("/editor/quizzes/fixture/publish",
                             data={"confirm": "y", "published_version": "1"}).status_code == 302
    api = admin_client.get("/api/v1/quizzes/fixture").get_json()
    assert api["version"] == 2
    assert any(s["text"]["en"] == "Tolls, edited." for s in api["statements"])
    old = admin_client.get("/api/v1/quizzes/fixture?version=1").get_json()
    assert not any(s["text"]["en"] == "Tolls, edited." for s in old["statements"])
    assert admin_client.post("/editor/quizzes/fixture/versions/1/rollback").status_code == 400
    assert admin_client.post("/editor/quizzes/fixture/versions/1/rollback",
                             data={"published_version": "2"}).status_code == 302
    assert admin_client.get("/api/v1/quizzes/fixture").get_json()["version"] == 1
    assert admin_client.post("/editor/quizzes/fixture/versions/9/rollback",
                             data={"published_version": "1"}).status_code == 404
    actions = [c.action for c in changes(loaded_app, entity="version")]
    assert actions == ["publish", "rollback"]
    versions = admin_client.get("/editor/quizzes/fixture/versions").get_data(as_text=True)
    assert "admin@example.org" in versions and "(live)" in versions


def test_invalid_draft_cannot_be_published(loaded_app: Flask, admin_client: FlaskClient) -> None:
    with loaded_app.app_context():
        party = db.session.scalar(select(models.Party).where(models.Party.slug ==
                                                             "fjellvik-red"))
        stated = next(p for p in party.positions if p.value is not None)
        stated.quote = ""
        db.session.commit()
    page = admin_client.get("/editor/quizzes/fixture/publish").get_data(as_text=True)
    assert "cannot be published" in page
    assert admin_client.post("/editor/quizzes/fixture/publish").status_code == 400
    assert admin_client.get("/api/v1/quizzes/fixture").get_json()["version"] == 1


def test_create_quiz_party_and_settings(loaded_app: Flask, admin_client: FlaskClient) -> None:
    form = {"slug": "byvalg", "languages_field": "nb, en", "title_nb": "Byvalg",
            "title_en": "City vote", "description_nb": "", "description_en": "", "scale": "3",
            "method": "cityblock", "missing": "neutral", "importance_multiplier": "2",
            "topic_slug": "byen", "topic_nb": "Byen", "topic_en": "The city"}
    assert admin_client.post("/editor/quizzes/new", data={**form, "slug": "fixture"}
                             ).status_code == 400
    assert admin_client.post("/editor/quizzes/new", data=form).status_code == 302
    party = {"slug": "lista", "name": "Lista", "short_name": "L", "colour": "#123456",
             "program_title": "Program", "program_url": ""}
    assert admin_client.post("/editor/quizzes/byvalg/parties/new",
                             data={**party, "colour": "red"}).status_code == 400
    assert admin_client.post("/editor/quizzes/byvalg/parties/new", data=party).status_code \
        == 302
    settings = {**form, "lock_version": "1", "method": "hybrid"}
    assert admin_client.post("/editor/quizzes/byvalg/settings", data=settings).status_code \
        == 302
    assert admin_client.post("/editor/quizzes/byvalg/settings", data=settings).status_code \
        == 409
    page = admin_client.get("/editor/quizzes/byvalg/").get_data(as_text=True)
    assert "no active statements" in page and "hybrid" in page


def test_export_load_round_trip_of_the_demo_quiz(app: Flask, runner, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    with app.app_context():
        lifecycle.load_content(root, publish=True)
    out = tmp_path / "export"
    result = runner.invoke(args=["content", "export", str(out), "--quiz", "lokalvalg"])
    assert result.exit_code == 0, result.output
    exported, problems = read_content(out)
    original, _ = read_content(root)
    assert problems == [] and quiz_to_dict(exported[0]) == quiz_to_dict(original[0])
    versioned = runner.invoke(args=["content", "export", str(tmp_path / "v1"), "--quiz",
                                    "lokalvalg", "--version", "1"])
    assert versioned.exit_code == 0
    assert runner.invoke(args=["content", "export", str(tmp_path / "x"), "--version", "1"]
                         ).exit_code == 2
    missing = runner.invoke(args=["content", "export", str(tmp_path / "y"), "--quiz", "nope"])
    assert missing.exit_code == 1 and "No quiz nope" in missing.output


def test_two_editors_creating_the_same_position_do_not_overwrite(
        loaded_app: Flask, editor_client: FlaskClient, admin_client: FlaskClient) -> None:
    url = "/editor/quizzes/fixture/positions/fjellvik-red/cheaper-buses"
    with loaded_app.app_context():
        party = db.session.scalar(select(models.Party).where(models.Party.slug ==
                                                             "fjellvik-red"))
        assert not any(p.statement.slug == "cheaper-buses" for p in party.positions)
    form = {"value": "1", "quote": "Q.", "source": "S", "confidence": "low",
            "justification_nb": "J", "justification_sv": "J", "justification_en": "J",
            "lock_version": ""}
    assert editor_client.post(url, data=form).status_code == 302
    assert admin_client.post(url, data={**form, "value": "-2"}).status_code == 409
    assert changes(loaded_app, entity="position")[-1].after["value"] == 1


def test_audit_page_and_badge(admin_client: FlaskClient) -> None:
    page = admin_client.get("/editor/quizzes/fixture/audit").get_data(as_text=True)
    assert "First places" in page and "Distances between parties" in page
    assert page.count('role="img"') == 2 and "<title" in page
    overview = admin_client.get("/editor/quizzes/fixture/").get_data(as_text=True)
    assert re.search(r"Audit: \d+ warnings?", overview)


def test_stale_topic_rename_is_refused_with_their_values(
        loaded_app: Flask, editor_client: FlaskClient, admin_client: FlaskClient) -> None:
    url = "/editor/quizzes/fixture/topics"
    page = editor_client.get(f"{url}?topic=schools").get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page)
    assert lock and 'value="Skole"' in page
    names = {"slug": "schools", "lock_version": lock.group(1), "name_sv": "Skola"}
    assert editor_client.post(url, data={**names, "name_nb": "Skoler", "name_en": "School"}
                              ).status_code == 302
    late = admin_client.post(url, data={**names, "name_nb": "Grunnskole",
                                        "name_en": "Primary school"})
    assert late.status_code == 409
    body = late.get_data(as_text=True)
    assert "Someone else saved this" in body and "editor@example.org" in body
    assert "Skoler" in body and "Primary school" in body
    assert changes(loaded_app, entity="topic")[-1].after["name"]["nb"] == "Skoler"
    unseen = admin_client.post(url, data={"slug": "schools", "name_nb": "X", "name_sv": "X",
                                          "name_en": "X"})
    assert unseen.status_code == 409  # an existing topic renamed without having seen it


def test_stale_partner_origins_and_profile_are_refused(
        loaded_app: Flask, editor_client: FlaskClient, admin_client: FlaskClient) -> None:
    url = "/editor/quizzes/fixture/embed"
    page = editor_client.get(url).get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    assert editor_client.post(url, data={"origins": "https://a.example",
                                         "lock_version": lock}).status_code == 302
    late = admin_client.post(url, data={"origins": "https://b.example", "lock_version": lock})
    assert late.status_code == 409
    assert "https://a.example" in late.get_data(as_text=True)
    profile = {"slug": "avisa", "brand_colour": "#00338d", "accent_colour": "#00338d",
               "font": "system", "radius": "6", "lock_version": ""}
    assert editor_client.post(f"{url}/profiles", data=profile).status_code == 302
    opened = editor_client.get(f"{url}?profile=avisa").get_data(as_text=True)
    assert 'value="#00338d"' in opened
    seen = re.findall(r'name="lock_version" type="hidden" value="(\d+)"', opened)[-1]
    assert editor_client.post(f"{url}/profiles", data={**profile, "lock_version": seen,
                                                       "radius": "12"}).status_code == 302
    stale = admin_client.post(f"{url}/profiles", data={**profile, "lock_version": seen,
                                                       "brand_colour": "#7a0019"})
    assert stale.status_code == 409 and "Someone else saved this" in stale.get_data(
        as_text=True)
    with loaded_app.app_context():
        row = db.session.scalar(select(models.EmbedProfile))
        origins = db.session.scalar(select(models.Quiz.embed_origins)
                                    .where(models.Quiz.slug == "fixture"))
    assert (row.brand_colour, row.radius, origins) == ("#00338d", 12, ["https://a.example"])


def test_publish_and_rollback_from_an_outdated_page_are_refused(
        loaded_app: Flask, admin_client: FlaskClient, editor_client: FlaskClient) -> None:
    publish = "/editor/quizzes/fixture/publish"
    page = admin_client.get(publish).get_data(as_text=True)
    assert 'name="published_version" type="hidden" value="1"' in page
    editor_client.post(STATEMENT, data=statement_form(lock_of(loaded_app, "toll-ring"),
                                                      text_en="Tolls, edited."))
    assert admin_client.post(publish, data={"confirm": "y", "published_version": "1"}
                             ).status_code == 302
    editor_client.post(STATEMENT, data=statement_form(lock_of(loaded_app, "toll-ring"),
                                                      text_en="Tolls, edited again."))
    late = admin_client.post(publish, data={"confirm": "y", "published_version": "1"})
    assert late.status_code == 409
    body = late.get_data(as_text=True)
    assert "version 2 was published by someone else (admin@example.org" in body
    assert 'name="published_version" type="hidden" value="2"' in body
    rollback = "/editor/quizzes/fixture/versions/1/rollback"
    assert admin_client.post(rollback, data={"published_version": "1"}).status_code == 409
    assert admin_client.post(rollback, data={"published_version": "2"}).status_code == 302
    assert [c.action for c in changes(loaded_app, entity="version")] == ["publish", "rollback"]


def test_a_publish_that_does_not_say_what_was_live_is_refused(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    admin_client.post(STATEMENT, data=statement_form(lock_of(loaded_app, "toll-ring"),
                                                      text_en="Tolls, unreviewed."))
    blind = admin_client.post("/editor/quizzes/fixture/publish", data={"confirm": "y"})
    assert blind.status_code == 409 and "nothing was changed" in blind.get_data(as_text=True)
    assert admin_client.get("/api/v1/quizzes/fixture").get_json()["version"] == 1
