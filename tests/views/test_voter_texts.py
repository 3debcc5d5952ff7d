"""Voter texts that must read the same way everywhere: the method page's numbers in the
language's own format, and one privacy notice with one wording (issue 17, defects)."""

from __future__ import annotations

import html as html_text
import re

import pytest
from flask.testing import FlaskClient

#: The words that say answers are not kept, in each interface language.
NOT_STORED = {"nb": "lagret", "sv": "sparas", "en": "stored", "de": "gespeichert"}


def main_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    return html_text.unescape(re.sub(r"<[^>]+>", " ", body))


def page_main(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    main = body[body.index("<main"):body.index("</main>")]
    return html_text.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("lang", ["nb", "sv", "de"])
def test_method_page_writes_decimals_with_the_languages_comma(loaded_client: FlaskClient,
                                                              lang: str) -> None:
    text = page_main(loaded_client, f"/{lang}/method")
    assert re.findall(r"\d\.\d", text) == []
    assert "0,5" in text and "2,5" in text and "68,75" in text  # the sentence and the tables


def test_method_page_writes_decimals_with_a_point_in_english(loaded_client: FlaskClient) -> None:
    text = page_main(loaded_client, "/en/method")
    assert re.findall(r"\d,\d", text) == []
    assert "distance on D is 0.5" in text and "= 2.5," in text and "68.75" in text


@pytest.mark.parametrize("lang", sorted(NOT_STORED))
def test_intro_has_one_privacy_notice(loaded_client: FlaskClient, lang: str) -> None:
    # The fixture has no German texts, so its German intro is not offered: the index's.
    text = main_text(loaded_client, f"/{lang}/fixture/" if lang != "de" else "/de/")
    assert text.count(NOT_STORED[lang]) == 1, text
