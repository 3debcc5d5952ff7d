"""Properties of core.matching, checked with hypothesis against independent formulas."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.quizzes import make_quiz
from tools.reference import reference_score
from valgomat.core.matching import match, score_batch, score_topics
from valgomat.core.model import METHODS, MISSING_POLICIES, SCALES, Quiz

WEIGHTS = st.one_of(st.just(0.0), st.just(1.0),
                    st.floats(0.01, 1000, allow_nan=False, allow_subnormal=False))


@st.composite
def cases(draw: st.DrawFn, scale: int | None = None, nulls: bool = True,
          weights: st.SearchStrategy[float] = WEIGHTS) -> tuple[Quiz, dict[str, int | None],
                                                                 list[str]]:
    """A random quiz (1-8 statements, 1-4 parties) and one voter's answers and flags."""
    scale = scale or draw(st.sampled_from(sorted(SCALES)))
    values = st.sampled_from(SCALES[scale])
    maybe = st.one_of(st.none(), values) if nulls else values
    ids = [f"s{i}" for i in range(draw(st.integers(1, 8)))]
    parties = {f"P{p}": {sid: draw(maybe) for sid in ids} for p in range(draw(st.integers(1, 4)))}
    quiz = make_quiz(parties, scale=scale, method=draw(st.sampled_from(METHODS)),
                     missing=draw(st.sampled_from(MISSING_POLICIES)),
                     importance_multiplier=draw(st.sampled_from([0.0, 1.0, 2.0, 3.5])),
                     weights={sid: draw(weights) for sid in ids},
                     topics={sid: draw(st.sampled_from("xyz")) for sid in ids})
    answers = {sid: draw(st.one_of(st.none(), values)) for sid in ids}
    if all(value is None for value in answers.values()):
        answers[ids[0]] = draw(values)
    important = [sid for sid in ids if draw(st.booleans())]
    return quiz, answers, important


def scores(quiz: Quiz, answers: dict[str, int | None], important: list[str]) -> dict[str, float]:
    return {r.party: math.nan if r.score is None else r.score
            for r in match(quiz, answers, important).results}


def assert_same_scores(first: dict[str, float], second: dict[str, float]) -> None:
    assert first.keys() == second.keys()
    for party, score in first.items():
        assert score == pytest.approx(second[party], rel=1e-9, abs=1e-9, nan_ok=True)


def reference(quiz: Quiz, answers: dict[str, int | None], important: list[str]) -> list[float]:
    voter = {s.id: answers.get(s.id) for s in quiz.statements}
    weights = {s.id: s.weight for s in quiz.statements}
    row = [reference_score(voter, set(important), p.positions, weights, scale=quiz.scale,
                           method=quiz.method, missing=quiz.missing,
                           multiplier=quiz.importance_multiplier) for p in quiz.parties]
    return [math.nan if score is None else score for score in row]


def wahl_o_mat(voter: dict[str, int | None], party: dict[str, int], important: list[str]) -> float:
    """The Wahl-O-Mat's own points: 2 same, 1 one side neutral, 0 opposite; ×2 if important."""
    points = maximum = 0
    for sid, answer in voter.items():
        if answer is None:
            continue
        factor = 2 if sid in important else 1
        position = party[sid]
        gained = 2 if answer == position else (1 if 0 in (answer, position) else 0)
        points += factor * gained
        maximum += factor * 2
    return 100 * points / maximum


@given(cases(scale=3, nulls=False, weights=st.just(1.0)))
def test_cityblock_on_scale_3_is_wahl_o_mat(case: tuple[Quiz, dict[str, int | None],
                                                         list[str]]) -> None:
    quiz, answers, important = case
    quiz = replace(quiz, method="cityblock", importance_multiplier=2.0)
    for result in match(quiz, answers, important).results:
        positions = quiz.party(result.party).positions
        expected = wahl_o_mat(answers, {k: v for k, v in positions.items() if v is not None},
                              important)
        assert result.score == pytest.approx(expected, abs=1e-9)


@given(cases(scale=4, weights=st.just(1.0)))
def test_cityblock_exclude_on_scale_4_is_nrk(case: tuple[Quiz, dict[str, int | None],
                                                          list[str]]) -> None:
    quiz, answers, _ = case
    quiz = replace(quiz, method="cityblock", missing="exclude")
    for result in match(quiz, answers).results:
        positions = quiz.party(result.party).positions
        both = [(a, positions[sid]) for sid, a in answers.items()
                if a is not None and positions[sid] is not None]
        if not both:
            assert result.score is None
            continue
        nrk = 1 - sum(abs(a - b) for a, b in both) / (4 * len(both))
        assert result.score == pytest.approx(100 * nrk, abs=1e-9)


@given(cases())
def test_match_equals_the_plain_reference(case: tuple[Quiz, dict[str, int | None],
                                                      list[str]]) -> None:
    quiz, answers, important = case
    got = scores(quiz, answers, important)
    expected = dict(zip([p.id for p in quiz.parties], reference(quiz, answers, important),
                        strict=True))
    assert_same_scores(got, expected)


@given(cases())
def test_scores_lie_in_0_to_100(case: tuple[Quiz, dict[str, int | None], list[str]]) -> None:
    result = match(*case)
    for party in result.results:
        for score in [party.score, *party.topics.values()]:
            assert score is None or 0.0 <= score <= 100.0


@given(cases(nulls=False), st.sampled_from(["cityblock", "euclidean"]))
def test_identical_answers_score_100(case: tuple[Quiz, dict[str, int | None], list[str]],
                                     method: str) -> None:
    quiz, answers, important = case
    twin = {sid: value if value is not None else quiz.scale_values[0]
            for sid, value in answers.items()}
    quiz = replace(quiz, method=method,
                   parties=tuple(replace(p, positions=twin) for p in quiz.parties))
    for result in match(quiz, answers, important).results:
        assert result.score in (100.0, None)


@given(cases(), st.lists(st.one_of(st.none(), st.integers(-2, 2)), min_size=4, max_size=4),
       st.booleans(), st.integers(0, 8))
def test_skipped_statements_have_no_effect(case: tuple[Quiz, dict[str, int | None], list[str]],
                                           party_values: list[int | None], flag: bool,
                                           where: int) -> None:
    quiz, answers, important = case
    statements = list(quiz.statements)
    statements.insert(min(where, len(statements)), replace(statements[0], id="skipped"))
    values = [v if v in quiz.scale_values else None for v in party_values]
    parties = tuple(replace(p, positions={**p.positions, "skipped": values[i % 4]})
                    for i, p in enumerate(quiz.parties))
    bigger = replace(quiz, statements=tuple(statements), parties=parties)
    flags = important + (["skipped"] if flag else [])
    assert_same_scores(scores(bigger, answers, flags), scores(quiz, answers, important))
    assert_same_scores(scores(bigger, {**answers, "skipped": None}, flags),
                       scores(quiz, answers, important))


@given(cases(), st.floats(0.001, 1000, allow_nan=False))
def test_scaling_all_weights_changes_nothing(case: tuple[Quiz, dict[str, int | None],
                                                         list[str]], factor: float) -> None:
    quiz, answers, important = case
    scaled = replace(quiz, statements=tuple(replace(s, weight=s.weight * factor)
                                            for s in quiz.statements))
    assert_same_scores(scores(scaled, answers, important), scores(quiz, answers, important))


@given(cases())
def test_importance_multiplier_acts_as_a_weight(case: tuple[Quiz, dict[str, int | None],
                                                            list[str]]) -> None:
    quiz, answers, important = case
    folded = replace(quiz, statements=tuple(
        replace(s, weight=s.weight * quiz.importance_multiplier) if s.id in important else s
        for s in quiz.statements))
    assert_same_scores(scores(folded, answers, []), scores(quiz, answers, important))


@settings(max_examples=30)
@given(st.integers(0, 2**32 - 1), st.sampled_from(METHODS), st.sampled_from(MISSING_POLICIES),
       st.sampled_from(sorted(SCALES)), st.integers(1, 11))
def test_score_batch_equals_match_per_voter(seed: int, method: str, missing: str,
                                            scale: int, statements: int) -> None:
    """One voter through ``match`` gets the bits of a batch, in total and per topic.

    Weights such as 0.3 and the multiplier 1.7 are not binary fractions, so their sums
    depend on the order of the additions: only the same order gives the same bits."""
    rng = np.random.default_rng(seed)
    values = [float(v) for v in SCALES[scale]] + [math.nan]
    answers = rng.choice(values, size=(40, statements))
    answers[:, 0] = SCALES[scale][0]  # every voter answers something
    important = rng.random((40, statements)) < 0.3
    positions = rng.choice(values, size=(3, statements))
    weights = rng.choice([0.0, 0.3, 0.5, 0.7, 1.0, 1.1, 2.0], size=statements)
    ids = [f"s{i}" for i in range(statements)]
    topic_of = [str(rng.choice(["x", "y", "z"])) for _ in ids]
    quiz = make_quiz({f"P{p}": {sid: None if math.isnan(x) else int(x)
                                for sid, x in zip(ids, positions[p], strict=True)}
                      for p in range(3)}, scale=scale, method=method, missing=missing,
                     weights=dict(zip(ids, weights.tolist(), strict=True)),
                     topics=dict(zip(ids, topic_of, strict=True)), importance_multiplier=1.7)
    options = {"scale": scale, "method": method, "missing": missing,
               "importance_multiplier": 1.7}
    batch = score_batch(answers, important, positions, weights, **options)
    topics = score_topics(answers, important, positions, weights, topic_of, **options)
    for voter in range(40):
        result = match(quiz, {sid: None if math.isnan(x) else int(x)
                              for sid, x in zip(ids, answers[voter], strict=True)},
                       [sid for sid, flag in zip(ids, important[voter], strict=True) if flag])
        by_party = {r.party: r for r in result.results}
        parties = [by_party[f"p{p}"] for p in range(3)]
        np.testing.assert_array_equal([nan_for_none(r.score) for r in parties], batch[voter])
        for topic, expected in topics.items():
            np.testing.assert_array_equal([nan_for_none(r.topics[topic]) for r in parties],
                                          expected[voter])


def nan_for_none(score: float | None) -> float:
    return math.nan if score is None else score
