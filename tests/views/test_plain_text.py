"""Editor text is plain text, stored exactly as typed and escaped wherever it is shown."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.browser_form import form_values
from valgomat.extensions import db
from valgomat.storage import models

STATEMENT = "/editor/quizzes/fixture/statements/toll-ring"
POSITION = "/editor/quizzes/fixture/positions/fjellvik-red/toll-ring"
ENTITY_MARKUP = "&lt;img src=x onerror=alert(1)&gt;"
LITERAL_TEXTS = ("a<b og c>d", "<<Sitat>>", "Fish &amp; chips", "x &lt; y", "<b>bold</b>")


def statement_text(app: Flask) -> dict[str, str]:
    with app.app_context():
        return db.session.scalar(select(models.Statement.text)
                                 .where(models.Statement.slug == "toll-ring"))


def position_row(app: Flask) -> tuple[str, str, dict[str, str]]:
    with app.app_context():
        row = db.session.scalar(select(models.Position).join(models.Statement).join(
            models.Party).where(models.Statement.slug == "toll-ring",
                                models.Party.slug == "fjellvik-red"))
        return row.quote, row.source, row.justification


def change_count(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(select(models.Change.id)).all())


def save_statement(client: FlaskClient, **texts: str) -> None:
    values = form_values(client.get(STATEMENT).get_data(as_text=True))
    response = client.post(STATEMENT, data={**values, **texts})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_entities_are_stored_as_typed_and_never_become_markup(
        loaded_app: Flask, editor_client: FlaskClient) -> None:
    save_statement(editor_client, text_en=ENTITY_MARKUP)
    assert statement_text(loaded_app)["en"] == ENTITY_MARKUP
    pages = [editor_client.get(f"/en/fixture/{number}?v=0").get_data(as_text=True)
             for number in range(1, 11)]
    assert any("&amp;lt;img src=x onerror=alert(1)&amp;gt;" in page for page in pages)
    assert not any("<img src=x" in page for page in pages)


def test_text_with_angle_brackets_is_kept_whole(loaded_app: Flask,
                                                editor_client: FlaskClient) -> None:
    for text in LITERAL_TEXTS:
        save_statement(editor_client, text_en=text)
        assert statement_text(loaded_app)["en"] == text
    values = form_values(editor_client.get(POSITION).get_data(as_text=True))
    response = editor_client.post(POSITION, data={
        **values, "value": "2", "confidence": "high", "quote": "«Vi sier <<nei>> til a<b og c>d»",
        "source": "Kapittel <3>", "justification_en": "Says a<b og c>d.",
        "justification_nb": "Sier <ja>.", "justification_sv": "Säger &amp;."})
    assert response.status_code == 302
    assert position_row(loaded_app) == ("«Vi sier <<nei>> til a<b og c>d»", "Kapittel <3>", {
        "en": "Says a<b og c>d.", "nb": "Sier <ja>.", "sv": "Säger &amp;."})


def test_resaving_an_unchanged_form_changes_nothing(loaded_app: Flask,
                                                   editor_client: FlaskClient) -> None:
    save_statement(editor_client, text_en="&lt;b&gt; and <i>\nsecond line",
                   explanation_en="  Line one.\r\nLine two.  ")
    stored = statement_text(loaded_app)
    assert stored["en"] == "&lt;b&gt; and <i>\nsecond line"
    logged = change_count(loaded_app)
    for _ in range(2):
        save_statement(editor_client)  # exactly what the browser shows, sent back
        assert statement_text(loaded_app) == stored
    assert change_count(loaded_app) == logged  # nothing changed, nothing logged


def test_control_characters_are_refused_with_a_message(loaded_app: Flask,
                                                       editor_client: FlaskClient) -> None:
    values = form_values(editor_client.get(STATEMENT).get_data(as_text=True))
    before = statement_text(loaded_app)
    for bad in ("nul\x00byte", "bell\x07"):
        response = editor_client.post(STATEMENT, data={**values, "text_en": bad})
        assert response.status_code == 400
        assert "control character" in response.get_data(as_text=True)
    assert statement_text(loaded_app) == before


def test_the_api_document_tells_consumers_to_escape(client: FlaskClient) -> None:
    description = client.get("/api/v1/openapi.json").get_json()["info"]["description"]
    assert "plain text" in description and "escape it" in description


MARKUP = "<script>alert(1)</script>"


def mark_every_text(app: Flask) -> None:
    """Markup in every kind of editor text, published as version 2."""
    from valgomat.content import lifecycle
    from valgomat.storage import published

    with app.app_context():
        quiz = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "fixture"))
        quiz.title = {lang: f"Title {MARKUP}" for lang in quiz.languages}
        quiz.description = {lang: f"About {MARKUP}" for lang in quiz.languages}
        for topic in quiz.topics:
            topic.name = {lang: f"{topic.slug} {MARKUP}" for lang in quiz.languages}
        for statement in quiz.statements:
            statement.text = {lang: f"{statement.slug} {MARKUP}" for lang in quiz.languages}
            statement.explanation = {lang: f"Means {MARKUP}" for lang in quiz.languages}
        for party in quiz.parties:
            party.name, party.short_name = f"{party.slug} {MARKUP}", f"{party.slug[-4:]}{MARKUP}"
            party.program = {**party.program, "title": f"Program {MARKUP}"}
            for position in party.positions:
                if not party.program.get("sha256"):  # else the quote must stand in the program
                    position.quote = f"Quote {MARKUP}"
                position.source = f"Section {MARKUP}"
                position.justification = {lang: f"Because {MARKUP}" for lang in quiz.languages}
        db.session.commit()
        publication = lifecycle.publish_quiz("fixture", accept_audit="Checking every text.")
        assert publication is not None and publication.number == 2
        db.session.commit()
        published.forget_live_versions()


def test_markup_in_any_text_is_shown_as_text_on_every_page(loaded_app: Flask,
                                                          admin_client: FlaskClient) -> None:
    mark_every_text(loaded_app)
    pages = ["/en/", "/en/fixture/", "/en/fixture/1", "/en/fixture/parties?v=2&a=eDcsbAaa",
             "/en/fixture/result?v=2&a=eDcsbAaa", "/en/fixture/method?v=2",
             "/embed/en/fixture/result?v=2&a=eDcsbAaa", "/en/fixture/compare?v=2&a=eDcsbAaa",
             "/en/fixture/party/fjellvik-blue?v=2&a=eDcsbAaa", "/editor/",
             "/editor/quizzes/fixture/",
             "/editor/quizzes/fixture/statements", "/editor/quizzes/fixture/parties",
             "/editor/quizzes/fixture/grid", "/editor/quizzes/fixture/audit", POSITION,
             STATEMENT, "/editor/quizzes/fixture/settings", "/editor/quizzes/fixture/topics",
             "/editor/quizzes/fixture/embed",
             "/editor/quizzes/fixture/publish"]
    for url in pages:
        response = admin_client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "alert(1)" in page, url  # shown, as text (the snippet escapes it twice)
        assert "<script>alert" not in page, url
    api = admin_client.get("/api/v1/quizzes/fixture").get_json()
    assert api["statements"][0]["text"]["en"].endswith(MARKUP)  # a plain string, as typed


def test_every_edit_form_saved_unchanged_logs_nothing(loaded_app: Flask,
                                                      admin_client: FlaskClient) -> None:
    pages = [STATEMENT, "/editor/quizzes/fixture/positions/fjellvik-blue/free-choice-home-care",
             "/editor/quizzes/fixture/settings", "/editor/quizzes/fixture/parties/fjellvik-red",
             "/editor/quizzes/fixture/embed"]
    logged = change_count(loaded_app)
    for url in pages:
        response = admin_client.post(url, data=form_values(admin_client.get(url).get_data(
            as_text=True)))
        assert response.status_code == 302, url
        assert change_count(loaded_app) == logged, url


def test_a_control_character_in_a_program_url_is_a_form_error(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    url = "/editor/quizzes/fixture/parties/fjellvik-red"
    values = form_values(admin_client.get(url).get_data(as_text=True))
    response = admin_client.post(url, data={**values,
                                            "program_url": "https://party.example/a\x00b"})
    assert response.status_code == 400
