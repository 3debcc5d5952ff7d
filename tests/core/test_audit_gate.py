"""The publish gate's decision (``core.audit.gate``): which warnings block, for whom."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.core.quizzes import make_quiz
from valgomat.core.audit.gate import (
    BLOCKING,
    GATE_SEED,
    GATE_VOTERS,
    REASON_MAX,
    REASON_MIN,
    check_reason,
    gate_verdict,
    stored_warnings,
)
from valgomat.core.audit.run import run_audit
from valgomat.core.model import Quiz

STATEMENTS = ("a", "b", "c", "d")


def twins() -> Quiz:
    """Two parties with the same positions: neither can ever be alone in first place."""
    return make_quiz({"Centre": dict.fromkeys(STATEMENTS, 0),
                      "TwinA": dict.fromkeys(STATEMENTS, 1),
                      "TwinB": dict.fromkeys(STATEMENTS, 1)}, scale=3)


def lopsided() -> Quiz:
    """Under ``farthest`` a party with one stated position almost never comes first."""
    return make_quiz({"Full": dict.fromkeys(STATEMENTS, 0),
                      "Left": dict.fromkeys(STATEMENTS, -1),
                      "Sparse": {"a": 1, "b": None, "c": None, "d": None}},
                     scale=3, missing="farthest")


def audit(quiz: Quiz):  # a small, fast audit: the decision does not depend on the size
    return run_audit(quiz, voters=20_000, seed=0, workers=1)


def test_the_gate_runs_a_fixed_documented_audit() -> None:
    assert (GATE_VOTERS, GATE_SEED) == (200_000, 0)
    assert BLOCKING == ("share_low", "share_high", "unreachable")


def test_a_party_that_can_never_be_first_blocks_a_curated_quiz() -> None:
    quiz = twins()
    verdict = gate_verdict(quiz, audit(quiz))
    assert verdict.refused and verdict.curated
    assert [(w.code, w.party) for w in verdict.blocking] == [("unreachable", "twina"),
                                                            ("unreachable", "twinb")]
    assert "can never be the only first place" in verdict.blocking[0].text
    assert all(w.code not in BLOCKING for w in verdict.others) and verdict.others


def test_a_share_under_a_third_of_the_fair_share_blocks() -> None:
    quiz = lopsided()
    report = audit(quiz)
    verdict = gate_verdict(quiz, report)
    low = [w for w in verdict.blocking if w.code == "share_low"]
    assert verdict.refused and [w.party for w in low] == ["sparse"]
    assert low[0].numbers["share"] < report.fair_share / 3


def test_the_parties_own_answers_are_never_refused() -> None:
    quiz = replace(twins(), quotes_required=False)
    verdict = gate_verdict(quiz, audit(quiz))
    assert verdict.blocking and not verdict.curated and not verdict.refused


def test_a_fair_quiz_passes() -> None:
    quiz = make_quiz({"Left": dict.fromkeys(STATEMENTS, -1),
                      "Right": dict.fromkeys(STATEMENTS, 1)}, scale=3)
    verdict = gate_verdict(quiz, audit(quiz))
    assert not verdict.blocking and not verdict.refused


def test_stored_warnings_keep_the_party_name_and_numbers() -> None:
    quiz = lopsided()
    verdict = gate_verdict(quiz, audit(quiz))
    stored = stored_warnings(quiz, verdict.blocking)
    low = next(w for w in stored if w["code"] == "share_low")
    assert low["party"] == "sparse" and low["party_name"] == "Sparse"
    assert set(low["numbers"]) >= {"share", "fair_share"} and low["text"]


@pytest.mark.parametrize("raw", [None, "", "   ", "too short", "x" * (REASON_MAX + 1)])
def test_an_unusable_reason_is_refused_in_plain_words(raw: str | None) -> None:
    with pytest.raises(ValueError, match=f"{REASON_MIN} to {REASON_MAX} characters"):
        check_reason(raw)


def test_a_reason_is_trimmed_to_single_spaces() -> None:
    assert check_reason("  Parties agreed\n to  this set. ") == "Parties agreed to this set."
