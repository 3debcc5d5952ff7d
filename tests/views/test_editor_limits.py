"""Editor uploads and big forms: logos up to 200 KB and 2000 × 2000 px, every valid form
under the body limit, and what an editor typed kept when the CSRF check fails."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from tests.browser_form import form_values
from tests.images import jpeg_header, png, webp_header
from valgomat.extensions import db
from valgomat.storage import models

PROFILES = "/editor/quizzes/fixture/embed/profiles"
PROFILE = {"slug": "avisa", "brand_colour": "#0b3d91", "accent_colour": "#8a1538",
           "font": "serif", "radius": "12"}
POSITION = "/editor/quizzes/fixture/positions/fjellvik-red/toll-ring"
STATEMENT = "/editor/quizzes/fixture/statements/toll-ring"
WIDE = "\U0001f5f3"  # 🗳: four bytes in UTF-8, twelve once percent-encoded in a form


def upload(client: FlaskClient, data: bytes, name: str = "logo.png"):
    return client.post(PROFILES, data={**PROFILE, "logo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def stored_logo(app: Flask) -> bytes | None:
    with app.app_context():
        return db.session.scalar(select(models.EmbedProfile.logo)
                                 .where(models.EmbedProfile.slug == "avisa"))


def test_a_logo_of_190_KB_is_accepted(loaded_app: Flask, admin_client: FlaskClient) -> None:
    logo = png(440, 440, noise=True)
    assert 180_000 < len(logo) <= 200 * 1024
    response = upload(admin_client, logo)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert stored_logo(loaded_app) == logo


def test_a_logo_over_200_KB_is_a_form_error_not_a_413(loaded_app: Flask,
                                                       admin_client: FlaskClient) -> None:
    response = upload(admin_client, png(470, 470, noise=True))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "at most 200 KB" in page
    assert 'value="#0b3d91"' in page  # the rest of the form is kept
    assert stored_logo(loaded_app) is None


@pytest.mark.parametrize("make", [lambda: png(20000, 20000, bit_depth=1),
                                  lambda: jpeg_header(4000, 3000), lambda: webp_header(2001, 10)],
                         ids=["png", "jpeg", "webp"])
def test_logos_with_too_many_pixels_are_refused(loaded_app: Flask, admin_client: FlaskClient,
                                                make: Callable[[], bytes]) -> None:
    image = make()
    assert len(image) < 64 * 1024
    response = upload(admin_client, image)
    assert response.status_code == 400
    assert "at most 2000 × 2000 pixels" in response.get_data(as_text=True)
    assert stored_logo(loaded_app) is None


@pytest.mark.parametrize("image", [png(2000, 300), jpeg_header(1200, 400), webp_header(800, 200)],
                         ids=["png", "jpeg", "webp"])
def test_logos_within_the_pixel_limit_are_kept(loaded_app: Flask, admin_client: FlaskClient,
                                               image: bytes) -> None:
    assert upload(admin_client, image).status_code == 302
    assert stored_logo(loaded_app) == image


def test_a_truncated_image_is_refused(admin_client: FlaskClient) -> None:
    response = upload(admin_client, png(100, 100)[:20])
    assert response.status_code == 400 and "PNG, JPEG or WebP" in response.get_data(as_text=True)


def position_at_maximum(client: FlaskClient) -> dict[str, str]:
    values = form_values(client.get(POSITION).get_data(as_text=True))
    justifications = {name: WIDE * 2000 for name in values if name.startswith("justification")}
    return {**values, "value": "2", "confidence": "high", "quote": WIDE * 5000,
            "source": WIDE * 500, **justifications}


def test_a_form_with_every_field_at_its_maximum_is_saved(loaded_app: Flask,
                                                         editor_client: FlaskClient) -> None:
    data = position_at_maximum(editor_client)
    assert sum(len(v.encode()) * 3 for v in data.values()) > 64 * 1024
    response = editor_client.post(POSITION, data=data)
    assert response.status_code == 302


def test_a_field_over_its_maximum_is_a_form_error_with_the_input_kept(
        editor_client: FlaskClient) -> None:
    data = {**position_at_maximum(editor_client), "quote": WIDE * 5001}
    response = editor_client.post(POSITION, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "longer than 5000 characters" in page and WIDE * 5001 in page


def test_only_an_absurd_body_gets_413(editor_client: FlaskClient) -> None:
    response = editor_client.post(POSITION, data={"quote": "x" * (1024 * 1024)})
    assert response.status_code == 413


def change_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(models.Change.id)))


def test_an_expired_csrf_token_keeps_what_was_typed(csrf_client: tuple[Flask, FlaskClient],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    app, client = csrf_client
    thirteen_hours_ago = int(time.time()) - 13 * 3600
    now = TimestampSigner.get_timestamp

    def csrf_signed_long_ago(signer: TimestampSigner) -> int:
        return thirteen_hours_ago if signer.salt == b"wtf-csrf-token" else now(signer)

    with monkeypatch.context() as past:  # the form was opened long ago
        past.setattr(TimestampSigner, "get_timestamp", csrf_signed_long_ago)
        typed = form_values(client.get(STATEMENT).get_data(as_text=True))
    typed["text_en"] = "Typed over a long lunch."
    logged = change_count(app)
    response = client.post(STATEMENT, data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was saved" in page and "Typed over a long lunch." in page
    assert change_count(app) == logged
    again = form_values(page)
    assert again["csrf_token"] != typed["csrf_token"]
    assert client.post(STATEMENT, data=again).status_code == 302
    assert change_count(app) == logged + 1


def test_a_missing_csrf_token_never_saves_on_any_form_page(
        csrf_client: tuple[Flask, FlaskClient]) -> None:
    app, client = csrf_client
    pages = [STATEMENT, POSITION, "/editor/quizzes/fixture/settings",
             "/editor/quizzes/fixture/topics", "/editor/quizzes/new",
             "/editor/quizzes/fixture/parties/fjellvik-red", "/editor/account",
             "/editor/quizzes/fixture/embed"]
    logged = change_count(app)
    for url in pages:
        typed = {**form_values(client.get(url).get_data(as_text=True)), "csrf_token": "stale"}
        response = client.post(url, data=typed)
        assert response.status_code == 400, url
        assert "Nothing was saved" in response.get_data(as_text=True), url
    assert change_count(app) == logged
    assert client.post("/editor/logout", data={}).status_code == 400
    assert client.get("/editor/").status_code == 200  # still logged in


def test_a_failed_csrf_check_on_a_page_that_refuses_keeps_its_status(
        csrf_client: tuple[Flask, FlaskClient]) -> None:
    _, client = csrf_client
    stale = {"csrf_token": "stale"}
    assert client.post("/editor/quizzes/nope/settings", data=stale).status_code == 404
    assert client.post("/editor/users", data=stale).status_code == 403  # an editor, not admin
    assert client.post("/editor/quizzes/fixture/positions/nope/toll-ring",
                       data=stale).status_code == 404
