"""The served OpenAPI document is valid 3.1 and every response conforms to it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request


@pytest.fixture
def spec(loaded_client: FlaskClient) -> OpenAPI:
    document = loaded_client.get("/api/v1/openapi.json").get_json()
    validate(document)
    return OpenAPI.from_dict(document)


def call(client: FlaskClient, spec: OpenAPI, path: str, method: str = "GET", **kwargs):
    """Send a request and validate the response against the document."""
    request = Request(EnvironBuilder(path=path, method=method, **kwargs).get_environ())
    response = client.open(path, method=method, **kwargs)
    spec.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
    return response


def test_document_is_valid_openapi_31(loaded_client: FlaskClient, spec: OpenAPI) -> None:
    document = loaded_client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {"/api/v1/quizzes", "/api/v1/quizzes/{slug}",
                                      "/api/v1/quizzes/{slug}/match", "/api/v1/openapi.json"}


def test_successful_responses_conform(loaded_client: FlaskClient, spec: OpenAPI) -> None:
    call(loaded_client, spec, "/api/v1/quizzes")
    for slug in ("fixture", "fixture-three"):
        quiz = call(loaded_client, spec, f"/api/v1/quizzes/{slug}").get_json()
        sid, value = quiz["statements"][0]["id"], quiz["scale"]["values"][-1]
        for method in ("cityblock", "euclidean", "directional", "hybrid"):
            body = {"answers": {sid: value}, "important": [sid], "method": method,
                    "missing": "exclude"}
            response = call(loaded_client, spec, f"/api/v1/quizzes/{slug}/match", "POST",
                            json=body)
            assert response.status_code == 200


def test_error_responses_conform(loaded_client: FlaskClient, spec: OpenAPI) -> None:
    url = "/api/v1/quizzes/fixture/match"
    for path, method, kwargs in (
        ("/api/v1/quizzes/missing", "GET", {}),
        ("/api/v1/quizzes/fixture?version=0", "GET", {}),
        (url, "POST", {"data": b"{", "content_type": "application/json"}),
        (url, "POST", {"json": {"answers": {"nope": 1}}}),
        ("/api/v1/quizzes/missing/match", "POST", {"json": {"answers": {}}}),
    ):
        response = call(loaded_client, spec, path, method, **kwargs)
        assert 400 <= response.status_code < 500
