"""The served OpenAPI document is valid 3.1 and every response conforms to it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate


@pytest.fixture
def spec(loaded_client: FlaskClient) -> OpenAPI:
    document = loaded_client.get("/api/v1/openapi.json").get_json()
    validate(document)
    return OpenAPI.from_dict(document)


def conforms(spec: OpenAPI, response) -> None:
    spec.validate_response(WerkzeugOpenAPIRequest(response.request),
                           WerkzeugOpenAPIResponse(response))


def test_document_is_valid_openapi_31(loaded_client: FlaskClient, spec: OpenAPI) -> None:
    document = loaded_client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {"/api/v1/quizzes", "/api/v1/quizzes/{slug}",
                                      "/api/v1/quizzes/{slug}/match", "/api/v1/openapi.json"}


def test_successful_responses_conform(loaded_client: FlaskClient, spec: OpenAPI) -> None:
    conforms(spec, loaded_client.get("/api/v1/quizzes"))
    for slug in ("fixture", "fixture-three"):
        quiz = loaded_client.get(f"/api/v1/quizzes/{slug}")
        conforms(spec, quiz)
        sid = quiz.get_json()["statements"][0]["id"]
        value = quiz.get_json()["scale"]["values"][-1]
        for method in ("cityblock", "euclidean", "directional", "hybrid"):
            conforms(spec, loaded_client.post(f"/api/v1/quizzes/{slug}/match", json={
                "answers": {sid: value}, "important": [sid], "method": method,
                "missing": "exclude"}))


def test_error_responses_conform(loaded_client: FlaskClient, spec: OpenAPI) -> None:
    url = "/api/v1/quizzes/fixture/match"
    for response in (
        loaded_client.get("/api/v1/quizzes/missing"),
        loaded_client.get("/api/v1/quizzes/fixture?version=0"),
        loaded_client.post(url, data=b"{", content_type="application/json"),
        loaded_client.post(url, json={"answers": {"nope": 1}}),
        loaded_client.post("/api/v1/quizzes/missing/match", json={"answers": {}}),
    ):
        assert 400 <= response.status_code < 500
        conforms(spec, response)
