"""Lost updates under real concurrency: two editors, each with its own test client in
its own thread, save the same record (or publish the same draft) at the same moment,
eight pairs in a row, on SQLite and PostgreSQL. Exactly one save of each pair wins;
the other is told of the conflict (409) and stores nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import EDITOR_PASSWORD, login
from tests.views.test_editor_workflow import statement_form as workflow_statement_form
from valgomat.content import lifecycle
from valgomat.editor.auth import create_user
from valgomat.extensions import db
from valgomat.storage import locking, models

PAIRS = 8
QUIZ = "/editor/quizzes/fixture"


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def scalar(app: Flask, query: Any) -> Any:
    with app.app_context():
        return db.session.scalar(query)


def fixture_quiz(app: Flask) -> models.Quiz:
    return scalar(app, select(models.Quiz).where(models.Quiz.slug == "fixture"))


def settings_form(app: Flask, title: str) -> dict[str, str]:
    quiz = fixture_quiz(app)
    form = {"lock_version": str(quiz.lock_version), "languages_field": "nb, sv, en",
            "scale": "5", "method": "cityblock", "missing": "neutral",
            "importance_multiplier": "2"}
    for lang in ("nb", "sv", "en"):
        form[f"title_{lang}"] = f"{title} ({lang})"
        form[f"description_{lang}"] = ""
    return form


def topic_form(app: Flask, title: str) -> dict[str, str]:
    lock = scalar(app, select(models.Topic.lock_version).where(models.Topic.slug == "schools"))
    return {"slug": "schools", "lock_version": str(lock), "name_nb": title, "name_sv": title,
            "name_en": title}


def new_topic_form(app: Flask, title: str) -> dict[str, str]:
    """Both editors add the same new topic (one per pair), neither has seen it."""
    slug = "new-" + "".join(c for c in title if c.isdigit())
    return {"slug": slug, "lock_version": "", "name_nb": title, "name_sv": title,
            "name_en": title}


def origins_form(app: Flask, title: str) -> dict[str, str]:
    return {"lock_version": str(fixture_quiz(app).origins_lock_version),
            "origins": f"https://{title.lower()}.example"}


def profile_form(app: Flask, title: str) -> dict[str, str]:
    lock = scalar(app, select(models.EmbedProfile.lock_version)
                  .where(models.EmbedProfile.slug == "avisa"))
    colour = "#00338d" if title.startswith("A") else "#7a0019"
    digits = "".join(c for c in title if c.isdigit())
    radius = int(digits) + (0 if title.startswith("A") else 12) if digits else 24
    return {"slug": "avisa", "lock_version": "" if lock is None else str(lock),
            "brand_colour": colour, "accent_colour": colour, "font": "system",
            "radius": str(radius)}


def statement_form(app: Flask, title: str) -> dict[str, str]:
    lock = scalar(app, select(models.Statement.lock_version)
                  .where(models.Statement.slug == "toll-ring"))
    return workflow_statement_form(lock, text_en=title)


def saved_settings(app: Flask) -> str:
    return fixture_quiz(app).title["en"]


def saved_topic(app: Flask) -> str:
    return scalar(app, select(models.Topic.name).where(models.Topic.slug == "schools"))["en"]


def saved_new_topic(app: Flask) -> str:
    newest = select(models.Topic.name).order_by(models.Topic.id.desc()).limit(1)
    return scalar(app, newest)["en"]


def saved_origins(app: Flask) -> str:
    return fixture_quiz(app).embed_origins[0]


def saved_statement(app: Flask) -> str:
    return scalar(app, select(models.Statement.text)
                  .where(models.Statement.slug == "toll-ring"))["en"]


def saved_profile(app: Flask) -> str:
    profile = scalar(app, select(models.EmbedProfile).where(models.EmbedProfile.slug == "avisa"))
    return f"{profile.brand_colour} {profile.radius}"


WINNING_VALUE: dict[str, Callable[[dict[str, str]], str]] = {
    "settings": lambda form: form["title_en"], "topic": lambda form: form["name_en"],
    "new-topic": lambda form: form["name_en"],
    "origins": lambda form: form["origins"], "statement": lambda form: form["text_en"],
    "profile": lambda form: f"{form['brand_colour']} {form['radius']}",
}
ENTITIES = {
    "settings": (f"{QUIZ}/settings", settings_form, saved_settings),
    "topic": (f"{QUIZ}/topics", topic_form, saved_topic),
    "new-topic": (f"{QUIZ}/topics", new_topic_form, saved_new_topic),
    "origins": (f"{QUIZ}/embed", origins_form, saved_origins),
    "profile": (f"{QUIZ}/embed/profiles", profile_form, saved_profile),
    "statement": (f"{QUIZ}/statements/toll-ring", statement_form, saved_statement),
}


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_two_simultaneous_saves_one_wins_one_is_told(
        loaded_app: Flask, editor_client: FlaskClient, admin_client: FlaskClient,
        entity: str) -> None:
    url, form_of, saved = ENTITIES[entity]
    if entity == "profile":  # the profile exists before the races
        assert editor_client.post(url, data=profile_form(loaded_app, "Start")).status_code == 302
    outcomes = []
    for pair in range(PAIRS):
        first, second = form_of(loaded_app, f"A{pair}"), form_of(loaded_app, f"B{pair}xx")
        responses = race(partial(editor_client.post, url, data=first),
                         partial(admin_client.post, url, data=second))
        statuses = [r.status_code for r in responses]
        outcomes.append(statuses)
        if sorted(statuses) != [302, 409]:
            continue
        winner, loser = (first, responses[1]) if statuses[0] == 302 else (second, responses[0])
        page = loser.get_data(as_text=True)
        assert "Someone else saved this" in page, entity
        now = saved(loaded_app)
        assert now == WINNING_VALUE[entity](winner), (entity, pair)
    assert all(sorted(statuses) == [302, 409] for statuses in outcomes), outcomes


def admin_two(app: Flask) -> FlaskClient:
    with app.app_context():
        create_user("admin2@example.org", EDITOR_PASSWORD, "admin")
    client = app.test_client()
    assert login(client, "admin2@example.org").status_code == 302
    return client


def change_draft(app: Flask, text: str) -> None:
    with app.app_context():
        statement = db.session.scalar(select(models.Statement).where(
            models.Statement.slug == "toll-ring"))
        statement.text = {**statement.text, "en": text}
        db.session.commit()


def version_count(app: Flask) -> int:
    return scalar(app, select(func.count(models.QuizVersion.id)).join(models.Quiz)
                  .where(models.Quiz.slug == "fixture"))


def test_two_simultaneous_publishes_make_one_version(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    other = admin_two(loaded_app)
    url = f"{QUIZ}/publish"
    outcomes = []
    for pair in range(PAIRS):
        change_draft(loaded_app, f"Road tolls, draft {pair}.")
        before = version_count(loaded_app)
        seen = str(fixture_quiz(loaded_app).published_version)
        form = {"confirm": "y", "published_version": seen}
        responses = race(partial(admin_client.post, url, data=form),
                         partial(other.post, url, data=form))
        statuses = sorted(r.status_code for r in responses)
        outcomes.append((statuses, version_count(loaded_app) - before))
        if statuses == [302, 409]:
            told = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
            assert "was published by someone else" in told
    assert all(outcome == ([302, 409], 1) for outcome in outcomes), outcomes
    live = fixture_quiz(loaded_app).published_version
    assert live == 1 + PAIRS


def test_two_simultaneous_command_line_publishes_make_one_version(loaded_app: Flask) -> None:
    """The path of ``content load --publish`` and imports: ``lifecycle.publish_quiz``."""

    def publish() -> str:
        with loaded_app.app_context():
            try:
                publication = lifecycle.publish_quiz("fixture")
            except locking.AlreadyPublished as exc:
                db.session.rollback()
                return f"already {exc.live}"
            db.session.commit()
            return "published" if publication else "nothing"

    outcomes = []
    for pair in range(PAIRS):
        change_draft(loaded_app, f"Road tolls, command line {pair}.")
        before = version_count(loaded_app)
        outcomes.append((sorted(race(publish, publish)), version_count(loaded_app) - before))
    # The loser is told the draft went live under it, or, when it started only after the
    # winner's commit, finds the draft already live and publishes nothing: one version.
    assert all(results[1] == "published" and added == 1
               and (results[0].startswith("already") or results[0] == "nothing")
               for results, added in outcomes), outcomes
    assert any(results[0].startswith("already") for results, _ in outcomes), outcomes


def test_list_buttons_racing_an_edit_never_fail(
        loaded_app: Flask, editor_client: FlaskClient, admin_client: FlaskClient) -> None:
    """Deactivate, reactivate or move a statement while another editor saves it: the
    first to commit wins, the other is refused with a 409 (the button bumps the lock
    too), never a 500; an edit that is accepted is what is stored."""
    statement = f"{QUIZ}/statements/toll-ring"
    outcomes = []
    for pair in range(4 * PAIRS):  # a lost race here was a 500 in about one pair of eight
        action = ("deactivate", "activate", "up", "down")[pair % 4]
        text = f"Edited while listed {pair}."
        responses = race(partial(editor_client.post, statement,
                                 data=statement_form(loaded_app, text)),
                         partial(admin_client.post, f"{statement}/{action}"))
        statuses = [r.status_code for r in responses]
        outcomes.append(statuses)
        if statuses[0] == 302:
            assert saved_statement(loaded_app) == text
    assert all(set(statuses) <= {302, 409} and 302 in statuses for statuses in outcomes), \
        outcomes


def test_two_editors_creating_the_same_quiz_at_once(
        loaded_app: Flask, editor_client: FlaskClient, admin_client: FlaskClient) -> None:
    outcomes = []
    for pair in range(PAIRS):
        form = {"slug": f"byvalg-{pair}", "languages_field": "en", "title_en": "City vote",
                "description_en": "", "scale": "3", "method": "cityblock",
                "missing": "neutral", "importance_multiplier": "2", "topic_slug": "city",
                "topic_en": "The city"}
        responses = race(partial(editor_client.post, "/editor/quizzes/new", data=form),
                         partial(admin_client.post, "/editor/quizzes/new", data=form))
        outcomes.append(sorted(r.status_code for r in responses))
    assert all(statuses in ([302, 400], [302, 409]) for statuses in outcomes), outcomes
    created = scalar(loaded_app, select(func.count(models.Change.id))
                     .where(models.Change.action == "create", models.Change.entity == "quiz"))
    assert created == PAIRS


def test_a_publish_puts_out_only_the_draft_the_admin_reviewed(
        loaded_app: Flask, admin_client: FlaskClient, editor_client: FlaskClient) -> None:
    url = f"{QUIZ}/publish"
    page = admin_client.get(url).get_data(as_text=True)
    digest = page.split('name="draft_digest" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert len(digest) == 32
    change_draft(loaded_app, "Road tolls, changed after the admin read the audit.")
    before = version_count(loaded_app)
    late = admin_client.post(url, data={"confirm": "y", "published_version": "1",
                                        "draft_digest": digest})
    assert late.status_code == 409
    told = late.get_data(as_text=True)
    assert "the draft changed since this page was shown" in told
    assert version_count(loaded_app) == before
    fresh = told.split('name="draft_digest" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert fresh != digest  # the page now shows the draft as it is, to review again
    again = admin_client.post(url, data={"confirm": "y", "published_version": "1",
                                         "draft_digest": fresh})
    assert again.status_code == 302 and version_count(loaded_app) == before + 1


def test_two_admins_deactivating_each_other_leave_one_admin(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    other = admin_two(loaded_app)
    ids = {email: scalar(loaded_app, select(models.User.id).where(models.User.email == email))
           for email in ("admin@example.org", "admin2@example.org")}
    for _pair in range(PAIRS):
        responses = race(
            partial(admin_client.post, f"/editor/users/{ids['admin2@example.org']}/deactivate"),
            partial(other.post, f"/editor/users/{ids['admin@example.org']}/deactivate"))
        statuses = sorted(r.status_code for r in responses)
        active = scalar(loaded_app, select(func.count(models.User.id)).where(
            models.User.role == "admin", models.User.active.is_(True)))
        assert active >= 1 and statuses[0] < 500, (statuses, active)
        with loaded_app.app_context():  # both admins again for the next pair
            for user in db.session.scalars(select(models.User)):
                user.active = True
            db.session.commit()
        for client, email in ((admin_client, "admin@example.org"), (other, "admin2@example.org")):
            if client.get("/editor/").status_code != 200:
                assert login(client, email).status_code == 302
