"""core.matching against docs/method.md: published vectors, hand-computed values, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.core.quizzes import make_quiz
from valgomat.core import scoring
from valgomat.core.matching import (
    InvalidAnswers,
    MatchResult,
    PartyResult,
    match,
    score_batch,
    score_topics,
)

# --- docs/method.md's published vectors --------------------------------------------------

NRK = [  # voter, party, score (scale 4, cityblock + exclude, no importance)
    ({"a": -2, "b": 2}, {"a": 1, "b": -1}, 25.0),
    ({"a": None, "b": -2}, {"a": 1, "b": -1}, 75.0),
    ({"a": None, "b": -2}, {"a": 2, "b": -2}, 100.0),
    ({"a": -2, "b": 1, "c": 2}, {"a": 1, "b": 1, "c": None}, 62.5),
    ({"a": 1, "b": 1, "c": None, "d": -1}, {"a": -2, "b": 1, "c": 2, "d": None}, 62.5),
]


@pytest.mark.parametrize(("voter", "party", "expected"), NRK)
def test_nrk_published_vectors(voter: dict[str, int | None], party: dict[str, int | None],
                               expected: float) -> None:
    quiz = make_quiz({"P": party}, scale=4, missing="exclude")
    result = match(quiz, voter)
    assert result.results[0].score == pytest.approx(expected, abs=1e-12)


def test_wahl_o_mat_example_scores_60() -> None:
    quiz = make_quiz({"P": {"a": 1, "b": 1, "c": 1, "d": -1, "e": 0}}, scale=3)
    result = match(quiz, {"a": 1, "b": 0, "c": -1, "d": None, "e": 1}, ["a"])
    assert result.results[0].score == pytest.approx(60.0, abs=1e-12)


# --- hand-computed values ----------------------------------------------------------------
# Scale 5, weights 1, c important (×2): v = (1, -0.5, 0), p = (0.5, null, -1).

VOTER = {"a": 2, "b": -1, "c": 0}
PARTY = {"a": 1, "b": None, "c": -2}
HAND = [
    # neutral: p_b = 0, d = (.5, .5, 1), ω = (1, 1, 2), Σω = 4, Σωd = 3, Σωd² = 2.5, Σωvp = .5
    ("cityblock", "neutral", 100 * (1 - 3 / 8)),
    ("euclidean", "neutral", 100 * (1 - math.sqrt(2.5) / 4)),
    ("directional", "neutral", 100 * (1 + 0.5 / 4) / 2),
    ("hybrid", "neutral", (62.5 + 56.25) / 2),
    # exclude: b dropped, ω = (1, 2), Σω = 3, Σωd = 2.5, Σωd² = 2.25, Σωvp = .5
    ("cityblock", "exclude", 100 * (1 - 2.5 / 6)),
    ("euclidean", "exclude", 100 * (1 - math.sqrt(2.25) / (2 * math.sqrt(3)))),
    ("directional", "exclude", 100 * (1 + 0.5 / 3) / 2),
    # farthest: v_b = -.5 < 0 so p_b = +1, d = (.5, 1.5, 1), Σωd = 4, Σωd² = 4.5, Σωvp = 0
    ("cityblock", "farthest", 50.0),
    ("euclidean", "farthest", 100 * (1 - math.sqrt(4.5) / 4)),
    ("directional", "farthest", 50.0),
    ("hybrid", "farthest", 50.0),
]


@pytest.mark.parametrize(("method", "missing", "expected"), HAND)
def test_hand_computed_values(method: str, missing: str, expected: float) -> None:
    quiz = make_quiz({"P": PARTY}, method=method, missing=missing)
    result = match(quiz, VOTER, ["c"])
    assert result.method == method and result.missing == missing
    assert result.results[0].score == pytest.approx(expected, abs=1e-12)


def test_exact_literals_for_hand_values() -> None:
    assert 100 * (1 - 3 / 8) == 62.5 and 100 * (1 + 0.5 / 4) / 2 == 56.25


def test_farthest_for_a_neutral_voter_is_minus_one() -> None:
    quiz = make_quiz({"P": {"a": None, "b": 0}}, missing="farthest")
    # d_a = |0 - (-1)| = 1, d_b = 0: 100 × (1 − 1 / 4)
    assert match(quiz, {"a": 0, "b": 0}).results[0].score == pytest.approx(75.0)


def test_method_and_missing_default_to_the_quiz() -> None:
    quiz = make_quiz({"P": PARTY}, method="euclidean", missing="farthest")
    result = match(quiz, VOTER, ["c"])
    assert (result.method, result.missing) == ("euclidean", "farthest")
    assert result.results[0].score == pytest.approx(100 * (1 - math.sqrt(4.5) / 4))


def test_importance_multiplier_comes_from_the_quiz() -> None:
    quiz = make_quiz({"P": {"a": 2, "b": -2}}, importance_multiplier=3.0)
    # ω = (3, 1), d = (0, 2): 100 × (1 − 2 / 8)
    assert match(quiz, {"a": 2, "b": 2}, ["a"]).results[0].score == pytest.approx(75.0)


# --- weights, empty S, ranking -----------------------------------------------------------

def test_weight_zero_removes_a_statement() -> None:
    quiz = make_quiz({"P": {"a": 2, "b": -2}}, weights={"b": 0.0})
    assert match(quiz, {"a": 2, "b": 2}).results[0].score == 100.0
    assert match(quiz, {"a": 2, "b": -2}).results[0].score == 100.0
    assert match(quiz, {"a": None, "b": 2}, ["b"]).results[0].score is None


def test_weights_scale_the_terms() -> None:
    quiz = make_quiz({"P": {"a": 2, "b": -2}}, weights={"a": 3.0, "b": 1.0})
    assert match(quiz, {"a": 2, "b": 2}).results[0].score == pytest.approx(75.0)


def test_empty_s_gives_none_ranked_last() -> None:
    quiz = make_quiz({"Zero": {"a": -2, "b": -2}, "Silent": {"a": None, "b": None}},
                     missing="exclude")
    result = match(quiz, {"a": 2, "b": 2})
    assert [(r.party, r.score) for r in result.results] == [("zero", 0.0), ("silent", None)]
    assert result.results[1].topics == {"t": None}


def test_ties_are_ordered_by_display_name() -> None:
    same = {"a": 1, "b": -1}
    quiz = make_quiz({"gamma": same, "Beta": same, "alpha": same, "Delta": {"a": 2, "b": 2}})
    result = match(quiz, {"a": 1, "b": -1})
    assert [r.party for r in result.results] == ["alpha", "beta", "gamma", "delta"]


def test_ranking_is_by_score_descending() -> None:
    quiz = make_quiz({"A": {"a": -2}, "B": {"a": 2}, "C": {"a": 0}})
    result = match(quiz, {"a": 2})
    assert [r.party for r in result.results] == ["b", "c", "a"]
    assert [r.score for r in result.results] == [100.0, 50.0, 0.0]


def test_omitted_statements_count_as_skipped() -> None:
    quiz = make_quiz({"P": {"a": 2, "b": -2, "c": 1}})
    assert match(quiz, {"a": 2}) == match(quiz, {"a": 2, "b": None, "c": None})


def test_only_selected_parties_are_scored() -> None:
    quiz = make_quiz({"A": {"a": -2}, "B": {"a": 2}, "C": {"a": 0}})
    result = match(quiz, {"a": 2}, parties=["c", "a", "c"])
    assert [r.party for r in result.results] == ["c", "a"]
    assert match(quiz, {"a": 2}, parties=[]).results == ()


def test_result_types() -> None:
    quiz = make_quiz({"A": {"a": 1}})
    result = match(quiz, {"a": 1})
    assert isinstance(result, MatchResult) and isinstance(result.results[0], PartyResult)
    assert type(result.results[0].score) is float


# --- topics ------------------------------------------------------------------------------

def test_topic_scores_restrict_the_formula() -> None:
    quiz = make_quiz({"P": {"a": 2, "b": -2, "c": None}}, topics={"a": "x", "b": "y", "c": "z"},
                     extra_topics=["empty"], missing="exclude")
    result = match(quiz, {"a": 2, "b": 2, "c": 1})
    assert result.results[0].score == pytest.approx(50.0)
    assert result.results[0].topics == {"x": 100.0, "y": 0.0, "z": None, "empty": None}
    assert list(result.results[0].topics) == [t.id for t in quiz.topics]


def test_topic_scores_follow_quiz_topic_order() -> None:
    quiz = make_quiz({"P": {"a": 2, "b": -2}}, topics={"a": "y", "b": "x"})
    assert list(match(quiz, {"a": 2}).results[0].topics) == ["y", "x"]


def test_score_topics_matches_restricted_score_batch() -> None:
    rng = np.random.default_rng(5)
    answers = rng.choice([-2.0, -1.0, 0.0, 1.0, 2.0, np.nan], size=(50, 6))
    important = rng.random((50, 6)) < 0.3
    positions = rng.choice([-2.0, 0.0, 2.0, np.nan], size=(3, 6))
    weights = np.array([1.0, 2.0, 0.0, 1.0, 0.5, 1.0])
    options = {"scale": 5, "method": "hybrid", "missing": "exclude",
               "importance_multiplier": 2.0}
    topics = score_topics(answers, important, positions, weights,
                          ["u", "v", "u", "w", "v", "u"], **options)
    assert list(topics) == ["u", "v", "w"]
    columns = [0, 2, 5]
    expected = score_batch(answers[:, columns], important[:, columns], positions[:, columns],
                           weights[columns], **options)
    np.testing.assert_array_equal(topics["u"], expected)


# --- validation --------------------------------------------------------------------------

BAD = [
    ({"answers": {"zz": 1}}, "unknown_statement", "'zz'"),
    ({"answers": {"a": 3}}, "value_not_on_scale", "3"),
    ({"answers": {"a": -3}}, "value_not_on_scale", "-3"),
    ({"answers": {"a": True}}, "wrong_type", "True"),
    ({"answers": {"a": 1.0}}, "wrong_type", "1.0"),
    ({"answers": {"a": "1"}}, "wrong_type", "'1'"),
    ({"parties": ["nope"]}, "unknown_party", "'nope'"),
    ({"parties": "p"}, "wrong_type", "parties"),
    ({"method": "manhattan"}, "unknown_method", "'manhattan'"),
    ({"missing": "zero"}, "unknown_missing_policy", "'zero'"),
    ({"answers": {"a": None, "b": None}}, "nothing_answered", "answer"),
    ({"answers": {}}, "nothing_answered", "answer"),
    ({"important": ["zz"]}, "unknown_important_statement", "'zz'"),
    ({"important": "a"}, "wrong_type", "important"),
]


@pytest.mark.parametrize(("change", "code", "named"), BAD)
def test_validation_errors(change: dict[str, object], code: str, named: str) -> None:
    quiz = make_quiz({"P": {"a": 1, "b": -1}})
    call: dict[str, object] = {"answers": {"a": 1}, "important": (), "method": None,
                               "missing": None, "parties": None, **change}
    answers = call.pop("answers")
    important = call.pop("important")
    with pytest.raises(InvalidAnswers) as caught:
        match(quiz, answers, important, **call)
    assert caught.value.code == code
    assert named in caught.value.message and caught.value.message == str(caught.value)


def test_zero_is_not_on_scale_four() -> None:
    quiz = make_quiz({"P": {"a": 1}}, scale=4)
    with pytest.raises(InvalidAnswers, match="not on the scale") as caught:
        match(quiz, {"a": 0})
    assert caught.value.code == "value_not_on_scale"


def test_invalid_answers_is_a_value_error() -> None:
    assert issubclass(InvalidAnswers, ValueError)


# --- score_batch -------------------------------------------------------------------------

OPTIONS = {"scale": 5, "method": "cityblock", "missing": "neutral", "importance_multiplier": 2.0}


@pytest.mark.parametrize("value", [0.5, 3.0, -3.0, np.inf, -np.inf, 300.0])
def test_score_batch_rejects_values_off_the_scale(value: float) -> None:
    with pytest.raises(ValueError, match="scale 5"):
        score_batch([[1.0, value]], [[False, False]], [[1.0, 1.0]], [1.0, 1.0],
                    **OPTIONS)


def test_score_batch_rejects_zero_on_scale_four() -> None:
    with pytest.raises(ValueError, match="scale 4"):
        score_batch([[0.0]], [[False]], [[1.0]], [1.0], scale=4, method="cityblock",
                    missing="neutral", importance_multiplier=2.0)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"weights": [-1.0, 1.0]}, "weights"),
    ({"weights": [1.0]}, "same statements"),
    ({"important": [[True]]}, "important"),
    ({"positions": [[1.0, 5.0]]}, "position"),
    ({"method": "nope"}, "unknown"),
    ({"importance_multiplier": -1.0}, "multiplier"),
    ({"answers": [1.0, 1.0]}, "dimension"),
])
def test_score_batch_rejects_bad_inputs(arguments: dict[str, object], message: str) -> None:
    call: dict[str, object] = {"answers": [[1.0, 1.0]], "important": [[False, False]],
                               "positions": [[1.0, 1.0]], "weights": [1.0, 1.0], **OPTIONS}
    with pytest.raises(ValueError, match=message):
        score_batch(**{**call, **arguments})


def test_score_batch_shapes_and_empty_inputs() -> None:
    assert score_batch(np.empty((0, 3)), np.zeros((0, 3), bool), np.zeros((2, 3)), np.ones(3),
                       **OPTIONS).shape == (0, 2)
    none = score_batch(np.ones((2, 0)), np.zeros((2, 0), bool), np.zeros((3, 0)), np.ones(0),
                       **OPTIONS)
    assert none.shape == (2, 3) and np.isnan(none).all()
    for missing in ("neutral", "exclude"):
        no_parties = score_batch([[1.0]], [[True]], np.zeros((0, 1)), [1.0], scale=5,
                                 method="hybrid", missing=missing, importance_multiplier=2.0)
        assert no_parties.shape == (1, 0)


def test_score_batch_odd_statement_count_and_skips() -> None:
    scores = score_batch([[2.0, np.nan, -2.0], [np.nan] * 3], np.zeros((2, 3), bool),
                         [[2.0, 2.0, 2.0]], [1.0, 1.0, 1.0], **OPTIONS)
    assert scores[0, 0] == 50.0 and np.isnan(scores[1, 0])


def test_many_chunks_on_many_threads_equal_single_voters() -> None:
    rng = np.random.default_rng(11)
    voters = 2 * scoring.CHUNK_VOTERS + 17
    answers = rng.choice([-1.0, 0.0, 1.0, np.nan], size=(voters, 9))
    important = rng.random((voters, 9)) < 0.25
    positions = rng.choice([-1.0, 0.0, 1.0, np.nan], size=(4, 9))
    weights = rng.choice([0.0, 1.0, 2.5], size=9)
    options = {"scale": 3, "method": "euclidean", "missing": "farthest",
               "importance_multiplier": 1.5}
    batch = score_batch(answers, important, positions, weights, **options)
    for row in [0, 1, scoring.CHUNK_VOTERS, voters - 1, *rng.integers(0, voters, 20)]:
        alone = score_batch(answers[row:row + 1], important[row:row + 1], positions, weights,
                            **options)
        np.testing.assert_array_equal(batch[row:row + 1], alone)
