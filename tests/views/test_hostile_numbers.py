"""Numbers in URLs, query arguments and bodies: Unicode digits (which ``str.isdigit``
accepts and ``int`` may not) and integers too long for Python to convert are a clear
4xx on every voter, embed and API route, never a 5xx."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.fuzzing import HOSTILE_NUMBERS, UNICODE_DIGITS, huge_integer_body
from tests.views.test_api_errors import MATCH, assert_error

VOTER_PATHS = ["/", "/1", "/1/answer", "/parties", "/result", "/method"]
PREFIXES = ["/en/fixture", "/embed/en/fixture"]


def short(value: object) -> str:
    text = str(value)
    return text if len(text) < 12 else f"{text[:3]}…({len(text)} chars)"


@pytest.mark.parametrize("number", HOSTILE_NUMBERS, ids=short)
def test_hostile_version_on_voter_and_embed_pages_is_a_clear_400(
        loaded_client: FlaskClient, number: str) -> None:
    for prefix in PREFIXES:
        for path in VOTER_PATHS:
            url = f"{prefix}{path}"
            response = loaded_client.get(url, query_string={"v": number, "a": "e"})
            assert response.status_code == 400, (url, short(number), response.status_code)
            html = response.get_data(as_text=True)
            assert "The link names no valid version of this quiz." in html, url
            assert "<h1" in html and "Traceback" not in html


@pytest.mark.parametrize("number", HOSTILE_NUMBERS, ids=short)
def test_hostile_version_argument_on_the_api_is_a_clear_400(
        loaded_client: FlaskClient, number: str) -> None:
    response = loaded_client.get("/api/v1/quizzes/fixture", query_string={"version": number})
    assert_error(response, 400, "bad_version")
    assert "positive integer" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("digit", UNICODE_DIGITS)
def test_unicode_digits_in_the_statement_number_are_not_found(
        loaded_client: FlaskClient, digit: str) -> None:
    for prefix in PREFIXES:
        response = loaded_client.get(f"{prefix}/{digit}?v=1")
        assert response.status_code == 404, (prefix, digit)
    huge = loaded_client.get(f"/en/fixture/{'9' * 5000}?v=1")
    assert huge.status_code == 404


@pytest.mark.parametrize("field", ["answers", "version", "important", "method"])
def test_a_huge_integer_in_a_match_body_is_a_clear_400(loaded_client: FlaskClient,
                                                       field: str) -> None:
    response = loaded_client.post(MATCH, data=huge_integer_body(field),
                                  content_type="application/json")
    assert_error(response, 400, "malformed_json")
    assert "digits" in response.get_json()["error"]["message"]


def test_integers_are_capped_below_what_python_converts(loaded_client: FlaskClient) -> None:
    """Up to 100 digits reach the usual checks (here: the version's range); more are
    refused while parsing, whatever their length up to the body limit."""
    for digits, code in ((100, "wrong_type"), (101, "malformed_json"), (4000, "malformed_json")):
        body = b'{"answers": {"toll-ring": 1}, "version": ' + b"9" * digits + b"}"
        response = loaded_client.post(MATCH, data=body, content_type="application/json")
        assert_error(response, 400, code)


@pytest.mark.parametrize("number", HOSTILE_NUMBERS, ids=short)
def test_hostile_lock_versions_in_editor_forms_are_no_5xx(admin_client: FlaskClient,
                                                          number: str) -> None:
    """A hidden counter (lock_version) is read as a number too: never a 500."""
    response = admin_client.post("/editor/quizzes/fixture/topics", data={
        "slug": "health", "name_en": "Health", "name_nb": "Helse", "name_sv": "Hälsa",
        "lock_version": number})
    assert response.status_code < 500, response.status_code
