"""docs/method.md's test vectors, read from the page itself, against the Python core
and valgomat/static/js/matching.js: the normative text and both implementations cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_js_parity import run_node

from valgomat.api.documents import public_quiz
from valgomat.core.matching import Coverage, match, whole_percent
from valgomat.core.model import Party, Program, Quiz, Statement, Topic

METHOD_MD = Path(__file__).resolve().parents[1] / "docs" / "method.md"
BLOCK = re.compile(r"```json vector\n(.*?)```", re.S)

RUNNER = """
const {match} = require(process.argv[2]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  process.stdout.write(JSON.stringify(cases.map((c) => match(c.quiz, c.answers, c.important))));
});
"""


def vectors() -> list[dict[str, Any]]:
    found = [json.loads(block) for block in BLOCK.findall(METHOD_MD.read_text("utf-8"))]
    assert len(found) >= 9, "docs/method.md lost its vectors"
    return found


def build(spec: dict[str, Any]) -> Quiz:
    statements = tuple(Statement(s["id"], s["topic"], {"en": s["id"]},
                                 weight=s.get("weight", 1.0), order=i)
                       for i, s in enumerate(spec["statements"]))
    topics = tuple(Topic(t, {"en": t}) for t in dict.fromkeys(s.topic for s in statements))
    parties = tuple(Party(pid, pid, pid, "#000000", Program(pid), dict(positions))
                    for pid, positions in spec["parties"].items())
    return Quiz(slug="vector", title={"en": "Vector"}, languages=("en",), scale=spec["scale"],
                method=spec["method"], missing=spec["missing"],
                importance_multiplier=spec.get("importance_multiplier", 2.0), topics=topics,
                statements=statements, parties=parties, version=1)


def python_results(vector: dict[str, Any]) -> list[dict[str, Any]]:
    result = match(build(vector["quiz"]), vector["answers"], vector["important"])
    return [{"party": r.party, "score": r.score, "percent": whole_percent(r.score),
             "topics": r.topics, "close_to_first": r.close_to_first,
             "coverage": {"stated": r.coverage.stated, "answered": r.coverage.answered},
             "reasons": {"agree": list(r.reasons.agree), "disagree": list(r.reasons.disagree)}}
            for r in result.results]


def check(vector: dict[str, Any], results: list[dict[str, Any]], who: str) -> None:
    name = f"{vector['name']} ({who})"
    assert [r["party"] for r in results] == [e["party"] for e in vector["expect"]], name
    for expected, actual in zip(vector["expect"], results, strict=True):
        at = f"{name}, party {expected['party']}"
        for field, value in expected.items():
            if field == "score":
                assert (actual["score"] is None) == (value is None), at
                if value is not None:
                    assert actual["score"] == pytest.approx(value, abs=1e-9), at
            elif field == "topics":
                for topic, score in value.items():
                    got = actual["topics"][topic]
                    assert (got is None) == (score is None), f"{at}, topic {topic}"
                    assert score is None or got == pytest.approx(score, abs=1e-9), at
            elif field == "few":
                coverage = Coverage(**actual["coverage"])
                assert coverage.few == value, at
            else:
                assert actual[field] == value, f"{at}: {field}"


@pytest.mark.parametrize("vector", vectors(), ids=lambda v: v["name"])
def test_python_core_meets_the_vector(vector: dict[str, Any]) -> None:
    check(vector, python_results(vector), "python")


def test_matching_js_meets_every_vector(tmp_path: Path) -> None:
    cases = [{"quiz": public_quiz(build(v["quiz"])), "answers": v["answers"],
              "important": v["important"]} for v in vectors()]
    outcomes = run_node(RUNNER, tmp_path, json.dumps(cases))
    for vector, outcome in zip(vectors(), outcomes, strict=True):
        check(vector, outcome["results"], "matching.js")


def test_the_half_vector_really_is_below_the_half_in_floating_point() -> None:
    half = next(v for v in vectors() if v["name"] == "exact-half-rounds-up")
    assert python_results(half)[0]["score"] == 57.49999999999999
