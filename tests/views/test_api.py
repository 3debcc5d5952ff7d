"""JSON API v1 against docs/api.md, the OpenAPI document and docs/method.md."""

from __future__ import annotations

import itertools

import pytest
from flask.testing import FlaskClient

from tools.reference import reference_score

METHODS = ["cityblock", "euclidean", "directional", "hybrid"]
POLICIES = ["neutral", "exclude", "farthest"]


def quiz_json(client: FlaskClient, slug: str = "fixture") -> dict:
    response = client.get(f"/api/v1/quizzes/{slug}")
    assert response.status_code == 200
    return response.get_json()


def test_lists_published_quizzes(loaded_client: FlaskClient) -> None:
    body = loaded_client.get("/api/v1/quizzes").get_json()
    slugs = [q["slug"] for q in body["quizzes"]]
    assert slugs == ["fixture", "fixture-three"]
    assert all(q["version"] == 1 for q in body["quizzes"])
    assert set(body["quizzes"][0]) == {"slug", "title", "languages", "version"}


def test_no_quizzes_before_publishing(client: FlaskClient) -> None:
    assert client.get("/api/v1/quizzes").get_json() == {"quizzes": []}


def test_quiz_document_follows_the_contract(loaded_client: FlaskClient) -> None:
    quiz = quiz_json(loaded_client)
    assert quiz["slug"] == "fixture" and quiz["version"] == 1
    assert quiz["scale"] == {"values": [-2, -1, 0, 1, 2], "top": 2, "letters": "abcde",
                             "important_letters": "ABCDE",
                             "words": ["strongly_disagree", "disagree", "neutral", "agree",
                                       "strongly_agree"]}
    assert quiz["method"] == "cityblock" and quiz["missing"] == "neutral"
    statement_ids = [s["id"] for s in quiz["statements"]]
    for party in quiz["parties"]:
        assert set(party["positions"]) == set(statement_ids)
        stated = {sid for sid, value in party["positions"].items() if value is not None}
        assert set(party["evidence"]) == stated
        for evidence in party["evidence"].values():
            assert evidence["confidence"] in {"high", "medium", "low"}
            assert set(evidence["justification"]) == set(quiz["languages"])


def _answers_for(quiz: dict, seed: int) -> tuple[dict, list]:
    values = quiz["scale"]["values"] + [None]
    ids = [s["id"] for s in quiz["statements"]]
    answers = {sid: values[(seed * 7 + i * 3) % len(values)] for i, sid in enumerate(ids)}
    if all(v is None for v in answers.values()):
        answers[ids[0]] = values[0]
    return answers, ids[seed % len(ids)::3]


@pytest.mark.parametrize(("method", "missing"), list(itertools.product(METHODS, POLICIES)))
def test_match_scores_exactly_as_matching_md(loaded_client: FlaskClient, method: str,
                                             missing: str) -> None:
    quiz = quiz_json(loaded_client)
    weights = {s["id"]: s["weight"] for s in quiz["statements"]}
    for seed in range(4):
        answers, important = _answers_for(quiz, seed)
        response = loaded_client.post("/api/v1/quizzes/fixture/match", json={
            "answers": answers, "important": important, "method": method, "missing": missing})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert (body["version"], body["method"], body["missing"]) == (1, method, missing)
        for result in body["results"]:
            party = next(p for p in quiz["parties"] if p["id"] == result["party"])
            expected = reference_score(answers, set(important), party["positions"], weights,
                                       scale=5, method=method, missing=missing)
            assert result["score"] == pytest.approx(expected, abs=1e-9)


def test_results_are_ranked_and_topics_present(loaded_client: FlaskClient) -> None:
    quiz = quiz_json(loaded_client)
    answers, _ = _answers_for(quiz, 1)
    body = loaded_client.post("/api/v1/quizzes/fixture/match",
                              json={"answers": answers}).get_json()
    scores = [r["score"] for r in body["results"] if r["score"] is not None]
    assert scores == sorted(scores, reverse=True)
    topic_ids = {t["id"] for t in quiz["topics"]}
    assert all(set(r["topics"]) == topic_ids for r in body["results"])
    assert (body["method"], body["missing"]) == ("cityblock", "neutral")


def test_answering_as_a_party_gives_it_100(loaded_client: FlaskClient) -> None:
    quiz = quiz_json(loaded_client)
    party = quiz["parties"][0]
    answers = {sid: (0 if v is None else v) for sid, v in party["positions"].items()}
    body = loaded_client.post("/api/v1/quizzes/fixture/match",
                              json={"answers": answers}).get_json()
    scores = {r["party"]: r["score"] for r in body["results"]}
    assert scores[party["id"]] == 100
    assert body["results"][0]["score"] == 100


def test_party_selection_limits_results(loaded_client: FlaskClient) -> None:
    quiz = quiz_json(loaded_client)
    chosen = [quiz["parties"][-1]["id"]]
    answers, _ = _answers_for(quiz, 2)
    body = loaded_client.post("/api/v1/quizzes/fixture/match",
                              json={"answers": answers, "parties": chosen}).get_json()
    assert [r["party"] for r in body["results"]] == chosen


def test_omitted_statements_count_as_skipped(loaded_client: FlaskClient) -> None:
    quiz = quiz_json(loaded_client)
    first = quiz["statements"][0]["id"]
    short = {"answers": {first: 2}}
    explicit = {"answers": {s["id"]: None for s in quiz["statements"]} | {first: 2}}
    url = "/api/v1/quizzes/fixture/match"
    assert (loaded_client.post(url, json=short).get_json()
            == loaded_client.post(url, json=explicit).get_json())
