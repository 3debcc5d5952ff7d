"""A quiz's pages are offered in the languages it has content in (issue 17, item 5): the
language switcher lists only those, and a URL in another interface language redirects
to the same page in the quiz's first language (the site's index keeps every language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.small_election import publish_small_election


@pytest.fixture
def imported(app: Flask, tmp_path: Path) -> FlaskClient:
    publish_small_election(app, tmp_path / "wahl")
    return app.test_client()


def switcher(html: str) -> list[str]:
    nav = html[html.index('<ul class="languages">'):]
    return re.findall(r'hreflang="([a-z]+)"', nav[:nav.index("</ul>")])


def test_switcher_offers_the_quizs_languages_only(loaded_client: FlaskClient) -> None:
    """The fixture has texts in nb, sv and en; the interface also speaks de."""
    for url in ("/en/fixture/", "/nb/fixture/1?v=1", "/sv/fixture/result?v=1&a=e",
                "/en/fixture/method", "/en/fixture/party/fjellvik-red?v=1&a=e"):
        response = loaded_client.get(url)
        assert response.status_code == 200, url
        assert switcher(response.get_data(as_text=True)) == ["nb", "sv", "en"], url
    index = loaded_client.get("/en/").get_data(as_text=True)
    assert switcher(index) == ["nb", "sv", "en", "de"]


@pytest.mark.parametrize(("url", "target"), [
    ("/de/fixture/", "/nb/fixture/"),
    ("/de/fixture/result?v=1&a=e", "/nb/fixture/result?v=1&a=e"),
    ("/de/fixture/3?v=1&a=ee&r=review", "/nb/fixture/3?v=1&a=ee&r=review"),
    ("/embed/de/fixture/2?v=1", "/embed/nb/fixture/2?v=1"),
])
def test_a_language_without_content_redirects_to_the_quizs_first(
        loaded_client: FlaskClient, url: str, target: str) -> None:
    response = loaded_client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_an_imported_german_quiz_is_german_only(imported: FlaskClient) -> None:
    page = imported.get("/de/wahl/").get_data(as_text=True)
    assert switcher(page) == ["de"]
    response = imported.get("/en/wahl/parties?v=1&a=aaaa")
    assert response.status_code == 302
    assert response.headers["Location"] == "/de/wahl/parties?v=1&a=aaaa"
    assert imported.get("/en/wahl/nothing-here").status_code == 404  # no page: no redirect
