"""Security, framing, caching and CORS headers for every class of route."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.images import png
from valgomat.extensions import db
from valgomat.storage import models, published

PARTNER = "https://news.example"


def allow_partner(app: Flask, slug: str = "fixture") -> None:
    with app.app_context():
        quiz = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == slug))
        quiz.embed_origins = [PARTNER]
        db.session.commit()
        published.forget_live_versions()  # as the editor's allowlist page does


def csp(response) -> str:
    return response.headers["Content-Security-Policy"]


def assert_common(response, referrer: str = "no-referrer") -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == referrer
    policy = csp(response)
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_voter_pages_refuse_framing_and_cache_only_without_answers(
        loaded_client: FlaskClient) -> None:
    intro = loaded_client.get("/en/fixture/")
    assert_common(intro)
    assert "frame-ancestors 'none'" in csp(intro) and intro.headers["X-Frame-Options"] == "DENY"
    assert intro.headers["Cache-Control"] == "public, max-age=60" and intro.headers["ETag"]
    again = loaded_client.get("/en/fixture/", headers={"If-None-Match": intro.headers["ETag"]})
    assert again.status_code == 304
    for url in ("/en/fixture/result?v=1&a=ee", "/en/fixture/2?v=1&a=e",
                "/en/fixture/parties?v=1&a=eeee"):
        assert loaded_client.get(url).headers["Cache-Control"] == "no-store", url


def test_an_editors_draft_preview_is_never_cached(editor_client: FlaskClient) -> None:
    for url in ("/en/fixture/?v=0", "/embed/en/fixture/1?v=0"):
        preview = editor_client.get(url)
        assert preview.status_code == 200 and preview.headers["Cache-Control"] == "no-store", url


def test_embed_pages_are_framable_by_partners_only(loaded_app: Flask,
                                                   loaded_client: FlaskClient) -> None:
    before = loaded_client.get("/embed/en/fixture/")
    assert "frame-ancestors 'self'" in csp(before) and PARTNER not in csp(before)
    allow_partner(loaded_app)
    for url in ("/embed/en/fixture/", "/embed/en/fixture/1?v=1",
                "/embed/en/fixture/result?v=1&a=e"):
        response = loaded_client.get(url)
        assert response.status_code == 200, url
        assert_common(response)
        assert f"frame-ancestors 'self' {PARTNER}" in csp(response)
        assert "X-Frame-Options" not in response.headers
        assert 'class="site-header"' not in response.get_data(as_text=True)
    other = loaded_client.get("/embed/en/fixture-three/")
    assert PARTNER not in csp(other)
    assert "frame-ancestors 'none'" in csp(loaded_client.get("/en/fixture/"))


def test_embed_flow_stays_in_the_embed(loaded_client: FlaskClient) -> None:
    html = loaded_client.get("/embed/en/fixture/").get_data(as_text=True)
    assert 'href="/embed/en/fixture/1?v=1"' in html and "js/embed.js" in html
    step = loaded_client.get("/embed/en/fixture/8/answer?v=1&a=eeeeeee&go=skip")
    assert step.headers["Location"] == "/embed/en/fixture/review?v=1&a=eeeeeees"
    result = loaded_client.get("/embed/en/fixture/result?v=1&a=ee").get_data(as_text=True)
    assert 'value="http://localhost/en/fixture/result?v=1' in result  # shares the full site


def test_editor_pages_are_never_framed(editor_client: FlaskClient, loaded_app: Flask) -> None:
    allow_partner(loaded_app)
    for url in ("/editor/", "/editor/quizzes/fixture/", "/editor/login"):
        response = editor_client.get(url)
        assert_common(response, referrer="same-origin")  # CSRF over HTTPS needs the Referer
        assert "frame-ancestors 'none'" in csp(response)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"


def test_api_cors_for_partner_origins_only_and_etags(loaded_app: Flask,
                                                     loaded_client: FlaskClient) -> None:
    allow_partner(loaded_app)
    good = loaded_client.get("/api/v1/quizzes/fixture", headers={"Origin": PARTNER})
    assert good.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Origin" in good.headers["Vary"]
    bad = loaded_client.get("/api/v1/quizzes/fixture", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    other = loaded_client.get("/api/v1/quizzes/fixture-three", headers={"Origin": PARTNER})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = loaded_client.options("/api/v1/quizzes/fixture/match",
                                      headers={"Origin": PARTNER,
                                               "Access-Control-Request-Method": "POST"})
    assert preflight.headers["Access-Control-Allow-Origin"] == PARTNER
    etag = good.headers["ETag"]
    assert good.headers["Cache-Control"] == "public, max-age=60"
    assert loaded_client.get("/api/v1/quizzes/fixture",
                             headers={"If-None-Match": etag}).status_code == 304
    match = loaded_client.post("/api/v1/quizzes/fixture/match",
                               json={"answers": {"toll-ring": 1}})
    assert match.headers["Cache-Control"] == "no-store"
    assert_common(match)


def test_publish_changes_the_etag(loaded_app: Flask, admin_client: FlaskClient) -> None:
    etag = admin_client.get("/api/v1/quizzes/fixture").headers["ETag"]
    with loaded_app.app_context():
        statement = db.session.scalar(select(models.Statement)
                                      .where(models.Statement.slug == "toll-ring"))
        statement.weight = 3
        db.session.commit()
    admin_client.post("/editor/quizzes/fixture/publish",
                      data={"confirm": "y", "published_version": "1"})
    assert admin_client.get("/api/v1/quizzes/fixture").headers["ETag"] != etag


def test_static_assets_are_long_cached_and_usable_by_partners(loaded_client: FlaskClient) -> None:
    page = loaded_client.get("/en/").get_data(as_text=True)
    assert "/static/css/valgomat.css?v=" in page
    css = page.split("/static/css/valgomat.css?v=")[1].split('"')[0]
    assert "max-age=31536000" in loaded_client.get(
        f"/static/css/valgomat.css?v={css}").headers["Cache-Control"]
    host = loaded_client.get("/static/js/host.js?v=x")  # not its fingerprint: a short cache
    assert host.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert host.headers["Cache-Control"] == "public, max-age=300"


PNG = png(120, 40)


def test_partner_profile_themes_the_embed(loaded_app: Flask, admin_client: FlaskClient) -> None:
    import io

    url = "/editor/quizzes/fixture/embed/profiles"
    base = {"slug": "avisa", "brand_colour": "#0b3d91", "accent_colour": "#8a1538",
            "font": "serif", "radius": "12"}
    pale = admin_client.post(url, data={**base, "brand_colour": "#ffcc00"})
    assert pale.status_code == 400 and "contrast of" in pale.get_data(as_text=True)
    bad_logo = admin_client.post(url, data={**base, "logo": (io.BytesIO(b"<svg/>"), "x.svg")},
                                 content_type="multipart/form-data")
    assert bad_logo.status_code == 400 and "PNG, JPEG or WebP" in bad_logo.get_data(as_text=True)
    for field, value in (("font", "comic"), ("radius", "99"), ("slug", "Bad Slug")):
        assert admin_client.post(url, data={**base, field: value}).status_code == 400, field
    saved = admin_client.post(url, data={**base, "logo": (io.BytesIO(PNG), "logo.png")},
                              content_type="multipart/form-data")
    assert saved.status_code == 302
    page = admin_client.get("/embed/en/fixture/?t=avisa").get_data(as_text=True)
    css_url = page.split('href="/embed/theme/fixture/avisa.css')[1].split('"')[0]
    css = admin_client.get("/embed/theme/fixture/avisa.css" + css_url.replace("&amp;", "&"))
    assert css.mimetype == "text/css" and "--brand: #0b3d91" in css.get_data(as_text=True)
    assert "Georgia" in css.get_data(as_text=True)
    logo = admin_client.get("/embed/theme/fixture/avisa/logo")
    assert logo.mimetype == "image/png" and logo.data == PNG
    assert 'href="/embed/en/fixture/1?v=1&amp;t=avisa"' in page
    assert admin_client.get("/embed/theme/fixture/nope.css").status_code == 404
    snippet = admin_client.get("/editor/quizzes/fixture/embed?profile=avisa").get_data(
        as_text=True)
    assert "/embed/nb/fixture/?t=avisa" in snippet and "js/host.js" in snippet
