"""Every bad request gets the one JSON error shape and a 4xx, never a 5xx."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import HOSTILE_NUMBERS, examples, fuzz

MATCH = "/api/v1/quizzes/fixture/match"


def assert_error(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def first_statement(client: FlaskClient) -> str:
    return client.get("/api/v1/quizzes/fixture").get_json()["statements"][0]["id"]


@pytest.mark.parametrize("raw", [b"", b"{", b"[1,2]", b"null", b"\xff\xfe", b"{\"answers\": NaN}",
                                 b"[" * 5000, b"\"answers\""])
def test_malformed_json_is_400(loaded_client: FlaskClient, raw: bytes) -> None:
    response = loaded_client.post(MATCH, data=raw, content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize("body", [
    {}, {"answers": []}, {"answers": {"x": "1"}}, {"answers": {"x": 1.5}},
    {"answers": {"x": True}}, {"answers": {}, "important": "x"},
    {"answers": {}, "important": [1]}, {"answers": {}, "method": 3},
    {"answers": {}, "parties": "a"}, {"answers": {}, "version": 0},
    {"answers": {}, "surprise": 1},
])
def test_wrong_types_are_400(loaded_client: FlaskClient, body: dict) -> None:
    assert_error(loaded_client.post(MATCH, json=body), 400)


def test_semantic_errors_are_422(loaded_client: FlaskClient) -> None:
    sid = first_statement(loaded_client)
    cases = [
        ({"answers": {"no-such-statement": 1}}, "unknown_statement"),
        ({"answers": {sid: 3}}, "value_not_on_scale"),
        ({"answers": {sid: -7}}, "value_not_on_scale"),
        ({"answers": {sid: 1}, "method": "manhattan"}, "unknown_method"),
        ({"answers": {sid: 1}, "missing": "ignore"}, "unknown_missing_policy"),
        ({"answers": {sid: 1}, "parties": ["no-such-party"]}, "unknown_party"),
        ({"answers": {sid: 1}, "important": ["no-such-statement"]}, None),
        ({"answers": {sid: None}}, "nothing_answered"),
        ({"answers": {}}, "nothing_answered"),
    ]
    for body, code in cases:
        assert_error(loaded_client.post(MATCH, json=body), 422, code)


def test_off_scale_zero_on_scale_three_is_fine_but_zero_on_four_is_not(
        loaded_client: FlaskClient) -> None:
    quiz = loaded_client.get("/api/v1/quizzes/fixture-three").get_json()
    sid = quiz["statements"][0]["id"]
    response = loaded_client.post("/api/v1/quizzes/fixture-three/match",
                                  json={"answers": {sid: 0}})
    assert response.status_code == 200
    assert_error(loaded_client.post("/api/v1/quizzes/fixture-three/match",
                                    json={"answers": {sid: 2}}), 422, "value_not_on_scale")


def test_unknown_quiz_and_version_are_404(loaded_client: FlaskClient) -> None:
    assert_error(loaded_client.get("/api/v1/quizzes/nope"), 404)
    assert_error(loaded_client.get("/api/v1/quizzes/fixture?version=99"), 404)
    assert_error(loaded_client.post("/api/v1/quizzes/nope/match", json={"answers": {}}), 404)
    assert_error(loaded_client.get("/api/v1/no-such-route"), 404)


def test_bad_version_argument_is_400(loaded_client: FlaskClient) -> None:
    for raw in ["0", "x", "-1", "1" * 30, *HOSTILE_NUMBERS]:
        assert_error(loaded_client.get(f"/api/v1/quizzes/fixture?version={raw}"), 400)


def test_wrong_method_is_405(loaded_client: FlaskClient) -> None:
    response = loaded_client.get(MATCH)
    assert_error(response, 405)
    assert "POST" in response.headers["Allow"]
    assert_error(loaded_client.delete("/api/v1/quizzes"), 405)


def test_oversized_body_is_413(loaded_client: FlaskClient) -> None:
    huge = json.dumps({"answers": {f"s{i}": 1 for i in range(20000)}})
    assert_error(loaded_client.post(MATCH, data=huge, content_type="application/json"), 413)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
statement_like = st.sampled_from(["a", "", "fixture", "s1"]) | st.text(max_size=6)
near_valid = st.fixed_dictionaries(
    {"answers": st.dictionaries(statement_like, json_values, max_size=4)},
    optional={"important": json_values, "method": json_values, "missing": json_values,
              "parties": json_values, "version": json_values})


@fuzz
@settings(max_examples=examples(300), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | near_valid)
def test_generated_bodies_never_cause_5xx(loaded_client: FlaskClient, body: object) -> None:
    response = loaded_client.post(MATCH, data=json.dumps(body), content_type="application/json")
    assert response.status_code < 500
    if response.status_code != 200:
        assert set(response.get_json()["error"]) == {"code", "message"}


@fuzz
@settings(max_examples=examples(100), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=64))
def test_generated_bytes_never_cause_5xx(loaded_client: FlaskClient, raw: bytes) -> None:
    response = loaded_client.post(MATCH, data=raw, content_type="application/json")
    assert response.status_code < 500


@fuzz
@settings(max_examples=examples(50), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.integers(1, 20_000), sign=st.sampled_from(["", "-"]),
       field=st.sampled_from(["answer", "version", "important", "extra"]))
def test_generated_long_integers_never_cause_5xx(loaded_client: FlaskClient, digits: int,
                                                 sign: str, field: str) -> None:
    """Integers of any length up to the body limit, where json.dumps cannot write them."""
    number = sign + "7" * digits
    body = {"answer": f'{{"answers": {{"toll-ring": {number}}}}}',
            "version": f'{{"answers": {{"toll-ring": 1}}, "version": {number}}}',
            "important": f'{{"answers": {{"toll-ring": 1}}, "important": [{number}]}}',
            "extra": f'{{"answers": {{"toll-ring": 1}}, "x": {{"y": [{number}]}}}}'}[field]
    response = loaded_client.post(MATCH, data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert set(response.get_json()["error"]) == {"code", "message"}
