"""valgomat/static/js/matching.js against the Python core: same scores, same ranking.

The browser may score a voter itself, so its result must be the server's. Every
quiz below is scored on the same random voters by ``valgomat.core.matching.match``
and by ``matching.js`` under node (one node process for the whole batch), for
every method x missing policy, and the results must agree: identical rankings and
scores within 1e-9 (the JS replicates the core's order of additions, so in
practice they are bit-identical; the largest difference is printed, see ``-s``).

Quizzes: the shipped demo quiz, the two fixture quizzes (scale 5 and 3) and a
hand-built scale-4 quiz with weights 0/0.5/2, null positions, a party with no
positions at all and an empty topic. Every quiz also gets copies of one party
under names that tie on score and exercise each tie-breaker: casefolded name
(``ß``/``SS``), name as written, party id, and code-point (not UTF-16) order.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from valgomat.api.documents import public_quiz
from valgomat.content.files import read_content
from valgomat.core.matching import match, whole_percent
from valgomat.core.model import (
    METHODS,
    MISSING_POLICIES,
    Party,
    Program,
    Quiz,
    Statement,
    Topic,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CONTENT = Path(__file__).parent / "data" / "content"
MATCHING_JS = REPO_ROOT / "valgomat" / "static" / "js" / "matching.js"
CASES_PER_COMBINATION = 100
TOLERANCE = 1e-9

# Names that tie on score with each other: casefold equal ("strasse"), then by
# name as written, then by id; U+FF21 sorts before U+1F600 by code point but
# after it by UTF-16 unit (a surrogate), so JS's `<` would get it wrong.
TIE_NAMES = [("tie-a", "Straße"), ("tie-b", "STRASSE"), ("tie-c", "Straße"),
             ("tie-d", "strasse"), ("tie-e", "Ærlig"), ("tie-f", "ærlig"),
             ("tie-g", "Parti \uff21"), ("tie-h", "Parti \U0001f600"),
             ("tie-i", "ΣΊΣΥΦΟΣ"), ("tie-j", "σίσυφος")]

RUNNER = """
const {match} = require(process.argv[2]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const {quizzes, cases} = JSON.parse(input);
  const out = cases.map((c) => match(quizzes[c.quiz], c.answers, c.important, c.options));
  process.stdout.write(JSON.stringify(out));
});
"""

FOLD_RUNNER = """
const {casefold} = require(process.argv[2]);
const out = [];
for (let n = 0; n < 0x110000; n++) {
  if (n >= 0xd800 && n < 0xe000) continue;
  const c = String.fromCodePoint(n), f = casefold(c);
  if (f !== c) out.push([n, f]);
}
process.stdout.write(JSON.stringify(out));
"""


def node_binary() -> str:
    node = shutil.which("node")
    if node is None:
        reason = "node is not installed: static/js/matching.js cannot be checked"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return node


def run_node(script: str, tmp: Path, stdin: str = "") -> Any:
    path = tmp / "runner.js"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([node_binary(), str(path), str(MATCHING_JS)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", check=False,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- the quizzes ------------------------------------------------------------------------

def with_ties(quiz: Quiz) -> Quiz:
    """``quiz`` plus copies of its first party under the tie-breaking names."""
    model = quiz.parties[0]
    copies = tuple(dataclasses.replace(model, id=party_id, name=name, evidence={})
                   for party_id, name in TIE_NAMES)
    return dataclasses.replace(quiz, parties=quiz.parties + copies, version=1)


def scale_four_quiz() -> Quiz:
    """Scale 4, weights 0/0.5/2 and more, null positions, an empty topic.

    Weights 0.3/0.7/1.1 and the multiplier 1.7 are not binary fractions, so sums
    depend on the order of additions here (on the other quizzes they are exact).
    """
    weights = [1.0, 0.0, 0.5, 2.0, 0.3, 0.5, 2.0, 0.0, 1.1, 2.0, 0.7]
    topics = ["econ", "econ", "climate", "climate", "econ", "social", "social", "climate",
              "social", "econ", "climate"]
    statements = tuple(Statement(f"s{i}", topic, {"en": f"Statement {i}"}, weight=weight,
                                 order=i)
                       for i, (weight, topic) in enumerate(zip(weights, topics, strict=True)))
    rows: dict[str, list[int | None]] = {
        "Venstrealliansen": [2, -2, 1, None, -1, 2, None, 1, -2, 2, 1],
        "Høyrefolket": [-2, 2, None, -1, 1, -2, 2, None, 1, -1, -2],
        "Midtpartiet": [1, -1, -1, 1, None, None, 1, -1, -1, 1, None],
        "Grønne Liste": [None, None, 2, 2, None, 1, -1, 2, None, None, 2],
        "Tomt parti": [None] * len(weights),
        "Ukjent liste": [None] * len(weights),
    }
    parties = tuple(Party(name.lower().replace(" ", "-"), name, name[:3], "#000000",
                          Program(name), {s.id: v for s, v in zip(statements, row, strict=True)})
                    for name, row in rows.items())
    return Quiz(slug="scale-four", title={"en": "Scale four"}, languages=("en",), scale=4,
                method="euclidean", missing="farthest", importance_multiplier=1.7,
                topics=(Topic("econ", {"en": "Economy"}), Topic("climate", {"en": "Climate"}),
                        Topic("social", {"en": "Social"}), Topic("empty", {"en": "Empty"})),
                statements=statements, parties=parties, version=1)


@cache
def quizzes() -> dict[str, Quiz]:
    shipped, problems = read_content(REPO_ROOT)
    assert not problems, problems
    fixtures, problems = read_content(FIXTURE_CONTENT)
    assert not problems, problems
    found = {quiz.slug: quiz for quiz in shipped + fixtures}
    assert {"lokalvalg", "fixture", "fixture-three"} <= found.keys()
    assert {found["fixture"].scale, found["fixture-three"].scale} == {5, 3}
    return {slug: with_ties(found[slug]) for slug in ("lokalvalg", "fixture", "fixture-three")
            } | {"scale-four": with_ties(scale_four_quiz())}


# --- the random voters ------------------------------------------------------------------

def random_case(quiz: Quiz, rng: random.Random, options: dict[str, Any]) -> dict[str, Any]:
    """One voter: answers (some skipped or left out), importance, maybe a party subset."""
    ids = [s.id for s in quiz.statements]
    skip = rng.choice([0.0, 0.2, 0.5, 0.9])
    answers: dict[str, int | None] = {}
    for sid in ids:
        value = None if rng.random() < skip else rng.choice(quiz.scale_values)
        if value is not None or rng.random() < 0.5:  # a skip is null or left out
            answers[sid] = value
    if all(value is None for value in answers.values()):  # the core refuses: nothing_answered
        answers[rng.choice(ids)] = rng.choice(quiz.scale_values)
    important = [sid for sid in ids if rng.random() < rng.choice([0.0, 0.2, 0.6])]
    options = dict(options)
    if rng.random() < 0.2:
        party_ids = [p.id for p in quiz.parties]
        options["parties"] = rng.sample(party_ids, rng.randint(1, len(party_ids)))
    return {"answers": answers, "important": important, "options": options}


@cache
def all_cases() -> list[dict[str, Any]]:
    rng = random.Random(20240611)
    cases = []
    for key, quiz in quizzes().items():
        combinations = [{"method": m, "missing": p} for m in METHODS for p in MISSING_POLICIES]
        for options in combinations + [{}]:  # {}: the quiz's own method and policy
            count = CASES_PER_COMBINATION if options else CASES_PER_COMBINATION // 5
            cases += [{"quiz": key} | random_case(quiz, rng, options) for _ in range(count)]
    return cases


def python_result(case: dict[str, Any]) -> dict[str, Any]:
    options = case["options"]
    result = match(quizzes()[case["quiz"]], case["answers"], case["important"],
                   method=options.get("method"), missing=options.get("missing"),
                   parties=options.get("parties"))
    return {"method": result.method, "missing": result.missing,
            "results": [{"party": r.party, "score": r.score, "topics": r.topics,
                         "percent": whole_percent(r.score),
                         "coverage": {"stated": r.coverage.stated,
                                      "answered": r.coverage.answered},
                         "close_to_first": r.close_to_first,
                         "reasons": {"agree": list(r.reasons.agree),
                                     "disagree": list(r.reasons.disagree)}}
                        for r in result.results]}


@pytest.fixture(scope="module")
def js_results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    documents = {key: public_quiz(quiz) for key, quiz in quizzes().items()}
    payload = json.dumps({"quizzes": documents, "cases": all_cases()}, allow_nan=False)
    results: list[dict[str, Any]] = run_node(RUNNER, tmp_path_factory.mktemp("js"), payload)
    assert len(results) == len(all_cases())
    return results


def difference(expected: float | None, actual: float | None, where: str) -> float:
    """|expected - actual|; fails when only one of them is null."""
    assert (expected is None) == (actual is None), f"{where}: {expected!r} != {actual!r}"
    if expected is None or actual is None:
        return 0.0
    assert math.isfinite(actual), where
    return abs(expected - actual)


@pytest.mark.parametrize("key", ["lokalvalg", "fixture", "fixture-three", "scale-four"])
def test_js_matches_python(key: str, js_results: list[dict[str, Any]]) -> None:
    largest, checked, exact, tied, nulls, near = 0.0, 0, 0, 0, 0, 0
    combos = set()
    for number, (case, js) in enumerate(zip(all_cases(), js_results, strict=True)):
        if case["quiz"] != key:
            continue
        py = python_result(case)
        where = f"case {number} ({key}, {case['options']})"
        assert (js["method"], js["missing"]) == (py["method"], py["missing"]), where
        assert [r["party"] for r in js["results"]] == [r["party"] for r in py["results"]], \
            f"{where}: ranking differs"
        for expected, actual in zip(py["results"], js["results"], strict=True):
            at = f"{where}, party {expected['party']}"
            largest = max(largest, difference(expected["score"], actual["score"], at))
            exact += expected["score"] == actual["score"]
            nulls += expected["score"] is None
            for field in ("percent", "coverage", "close_to_first", "reasons"):
                assert actual[field] == expected[field], f"{at}: {field}"
            near += expected["close_to_first"]
            assert list(actual["topics"]) == list(expected["topics"]), at
            for topic, score in expected["topics"].items():
                largest = max(largest, difference(score, actual["topics"][topic],
                                                  f"{at}, topic {topic}"))
        scores = [r["score"] for r in py["results"] if r["score"] is not None]
        tied += len(scores) != len(set(scores))
        combos.add((py["method"], py["missing"]))
        checked += 1
    assert largest <= TOLERANCE, f"{key}: largest difference {largest!r}"
    assert combos == {(m, p) for m in METHODS for p in MISSING_POLICIES}
    assert tied > 0  # the tie-breakers were exercised
    assert near > 0  # and the near-tie rule
    print(f"\n{key}: {checked} cases, max |python - js| = {largest!r}, "
          f"{exact} party scores bit-identical, {tied} with ties, {nulls} null scores, "
          f"{near} close to first")


def test_scale_four_quiz_has_null_scores(js_results: list[dict[str, Any]]) -> None:
    """The parties without positions score null under every policy and are ranked last."""
    cases = [(c, r) for c, r in zip(all_cases(), js_results, strict=True)
             if c["quiz"] == "scale-four" and "parties" not in c["options"]]
    assert cases
    for _, result in cases:
        scores = {r["party"]: r["score"] for r in result["results"]}
        assert scores["tomt-parti"] is None and scores["ukjent-liste"] is None
        close = {r["party"] for r in result["results"] if r["close_to_first"]}
        assert not close & {"tomt-parti", "ukjent-liste"}
        ranked = [r["score"] is None for r in result["results"]]
        assert ranked == sorted(ranked)
        assert all(r["topics"]["empty"] is None for r in result["results"])


def test_casefold_matches_python(tmp_path: Path) -> None:
    """The JS casefold equals str.casefold on every code point Python's Unicode assigns."""
    folded = {n: f for n, f in run_node(FOLD_RUNNER, tmp_path)}
    wrong = [(hex(n), chr(n).casefold(), folded.get(n, chr(n)))
             for n in range(0x110000)
             if not 0xD800 <= n < 0xE000 and unicodedata.category(chr(n)) != "Cn"
             and folded.get(n, chr(n)) != chr(n).casefold()]
    assert not wrong, wrong[:20]


def test_whole_percent_agrees_on_halves(tmp_path: Path) -> None:
    """An exact half is rounded up in both, also when float error puts it just below."""
    scores = [57.49999999999999, 57.5, 57.4999, 0.5, 99.5, 100.0, 0.0, 62.49999999999999,
              73.50000000000001, 12.499999998]
    script = ("const {wholePercent} = require(process.argv[2]);"
              f"process.stdout.write(JSON.stringify({json.dumps(scores)}.map(wholePercent)));")
    assert run_node(script, tmp_path) == [whole_percent(x) for x in scores]
    assert whole_percent(57.49999999999999) == 58 and whole_percent(57.4999) == 57
