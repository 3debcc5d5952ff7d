"""Schemathesis against the API's own OpenAPI document (docs/api.md), through the WSGI app.

Every operation in ``/api/v1/openapi.json`` gets schema-driven positive and
negative cases; every response must be no 5xx, have a documented status code and
content type, and conform to the documented response schema. Many cases are
pointed at the published fixture quizzes (and many match bodies at their real
statement and party ids), so the 200 paths are exercised, not only the 404s.

The cases are drawn with ``APIOperation.as_strategy`` under our own ``@given``
rather than ``schema.parametrize()``: Schemathesis' pytest integration reads
``Node._nodeid``, which pytest 9.2 no longer has.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode

from tests.fuzzing import HOSTILE_NUMBERS, examples, fuzz
from valgomat.api.openapi import openapi_document

SLUGS = ("fixture", "fixture-three")
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]
# Schemathesis sends requests' "Accept-Encoding: gzip, deflate, br, zstd" but its WSGI
# transport does not decode a compressed body (Flask-Compress answers with br).
IDENTITY = {"Accept-Encoding": "identity"}
MAX_EXAMPLES = examples(300)  # per operation and generation mode
MIN_CASES = 1000  # in total, per database backend
# Negative data needs something to make invalid: operations without parameters or a body
# only get positive cases.
RUNS = [(operation["operationId"], mode)
        for path in openapi_document()["paths"].values() for operation in path.values()
        for mode in GenerationMode
        if mode.is_positive or operation.get("parameters") or operation.get("requestBody")]
# Cases run, by (backend, operationId, generation mode); test_enough_cases_ran sums it.
RUN: Counter[tuple[str, str, GenerationMode]] = Counter()
LARGEST_VERSION_STORED = 2**31 - 1  # quiz_versions.number is a 32-bit INTEGER


def _published(app: Flask) -> dict[str, dict[str, Any]]:
    client = app.test_client()
    return {slug: client.get(f"/api/v1/quizzes/{slug}").get_json() for slug in SLUGS}


def _mostly(valid: list[Any], invalid: list[Any]) -> st.SearchStrategy[Any]:
    """One of ``valid`` 19 times in 20, else one of ``invalid``."""
    return st.sampled_from([*valid] * 19 * len(invalid) + [*invalid] * len(valid))


def _real_query(quiz: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A real version, now and then one that does not exist or is written in digits that
    are not ASCII (¹ ₁ ٣ ７ Ⅻ) or too many."""
    return st.fixed_dictionaries({}, optional={"version": _mostly(
        [quiz["version"]], [quiz["version"] + 1, *HOSTILE_NUMBERS])})


def _real_match_body(quiz: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Match bodies built from one real quiz: mostly valid, some off-scale or unknown ids."""
    statements = [s["id"] for s in quiz["statements"]]
    parties = [p["id"] for p in quiz["parties"]]
    statement = _mostly(statements, ["no-such-statement"])
    value = _mostly([*quiz["scale"]["values"], None], [-7, 99])
    return st.fixed_dictionaries(
        {"answers": st.dictionaries(statement, value, min_size=1, max_size=len(statements))},
        optional={
            "important": st.lists(statement, max_size=3),
            "method": _mostly(["cityblock", "euclidean", "directional", "hybrid"],
                              ["manhattan"]),
            "missing": _mostly(["neutral", "exclude", "farthest"], ["ignore"]),
            "parties": st.lists(_mostly(parties, ["no-such-party"]), max_size=len(parties)),
            "version": _mostly([quiz["version"]], [quiz["version"] + 1]),
        })


def _with_real_data(quizzes: dict[str, dict[str, Any]]) -> Any:
    """For ``.flatmap``: the case as generated, with a real slug, or wholly realistic."""
    slugs = st.sampled_from(sorted(quizzes))

    def real(case: Any) -> st.SearchStrategy[Any]:
        if "slug" not in (case.path_parameters or {}):
            return st.just(case)
        path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
        if path is not None and path.mode == GenerationMode.NEGATIVE:
            return st.just(case)  # the invalid slug is what this case tests
        match = case.operation.definition.raw.get("operationId") == "matchQuiz"
        positive = case.meta is None or case.meta.generation.mode.is_positive

        def aim(slug: str) -> Any:
            case.path_parameters = {**case.path_parameters, "slug": slug}
            return case

        def realistic(slug: str, data: dict[str, Any]) -> Any:
            if match:
                case.body = data
            else:
                case.query = data
            return aim(slug)

        options = [slugs.map(aim), st.just(case)]
        if positive:  # a realistic body or query would undo a negative case's point
            real_data = _real_match_body if match else _real_query
            options.insert(0, slugs.flatmap(
                lambda slug: real_data(quizzes[slug]).map(lambda data: realistic(slug, data))))
        return st.one_of(options)

    return real


@pytest.fixture
def api_app(loaded_app: Flask) -> Flask:
    loaded_app.config["MATCH_RATE_LIMIT"] = "100000 per minute"
    return loaded_app


@fuzz
@pytest.mark.parametrize(("operation_id", "mode"), RUNS)
def test_api_conforms_to_its_openapi_document(api_app: Flask, operation_id: str,
                                              mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operation = schema.find_operation_by_id(operation_id)
    strategy = operation.as_strategy(generation_mode=mode).flatmap(
        _with_real_data(_published(api_app)))
    backend = api_app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    ran = Counter[str]()
    statuses = Counter[int]()

    @settings(max_examples=MAX_EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call_and_validate(headers=IDENTITY, checks=CHECKS)
        ran[str(case.meta.generation.mode)] += 1
        statuses[response.status_code] += 1

    check()
    RUN.update({(backend, operation_id, GenerationMode(m)): n for m, n in ran.items()})
    assert ran, f"no {mode} case was generated for {operation_id}"
    if mode.is_positive:  # the real slugs and bodies reach the quizzes, not only 404s
        assert statuses[200] >= sum(statuses.values()) // 10, statuses


def test_huge_match_version_is_a_clear_400(api_app: Flask) -> None:
    statement = _published(api_app)["fixture"]["statements"][0]["id"]
    client = api_app.test_client()
    statuses = {version: client.post("/api/v1/quizzes/fixture/match", json={
        "answers": {statement: 1}, "version": version}).status_code
        for version in (LARGEST_VERSION_STORED + 1, 2**63)}
    assert set(statuses.values()) == {400}, statuses


@fuzz
def test_enough_cases_ran() -> None:
    """At least MIN_CASES per backend, when the whole test above ran (not a -k subset)."""
    backends = {b for b, _, _ in RUN}
    complete = [b for b in backends
                if {(op, mode) for (b2, op, mode) in RUN if b2 == b} == set(RUNS)]
    if not complete:
        pytest.skip("test_api_conforms_to_its_openapi_document did not fully run")
    for backend in complete:
        ran = {(op, mode): n for (b, op, mode), n in RUN.items() if b == backend}
        assert sum(ran.values()) >= MIN_CASES, ran
