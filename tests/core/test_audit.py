"""The audit on small hand-built quizzes with known answers (no Flask, no database)."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace

import numpy as np
import pytest

from tests.core.quizzes import make_quiz
from valgomat.core import scoring, settings_scores
from valgomat.core.audit.positions import distance_matrix, quiz_arrays, stands_alone
from valgomat.core.audit.report import TOP_LEVEL_KEYS, AuditReport
from valgomat.core.audit.run import report_to_dict, run_audit
from valgomat.core.audit.sim import COMBOS, Scenario, first_places, party_voters
from valgomat.core.matching import match
from valgomat.core.model import MISSING_POLICIES, SCALES, Evidence, Quiz
from valgomat.core.scoring import score_batch

VOTERS = 20_000
S3 = ("s1", "s2", "s3")


def three(a: list[int | None], b: list[int | None], c: list[int | None],
          **options: object) -> Quiz:
    """Parties A, B, C on statements s1.. (ids a, b, c)."""
    statements = [f"s{i + 1}" for i in range(len(a))]
    return make_quiz({name: dict(zip(statements, values, strict=True))
                      for name, values in (("Party A", a), ("Party B", b), ("Party C", c))},
                     **options)  # type: ignore[arg-type]


def audit(quiz: Quiz, **options: object) -> AuditReport:
    settings: dict[str, object] = {"voters": VOTERS, "workers": 1, **options}
    return run_audit(quiz, **settings)  # type: ignore[arg-type]


def unique_first(quiz: Quiz, answers: dict[str, int | None], important: list[str],
                 party: str) -> bool:
    """matching.match, straight: is ``party`` strictly ahead of every other party?"""
    results = match(quiz, answers, important).results
    score = next(r.score for r in results if r.party == party)
    others = [r.score for r in results if r.party != party and r.score is not None]
    return score is not None and all(score > other for other in others)


def every_answer(quiz: Quiz) -> list[tuple[dict[str, int | None], list[str]]]:
    """All answer vectors: per statement skip, or a value, plain or important."""
    options = [(None, False)] + [(v, f) for v in quiz.scale_values for f in (False, True)]
    ids = [s.id for s in quiz.statements]
    return [({sid: v for sid, (v, _) in zip(ids, combo, strict=True)},
             [sid for sid, (v, f) in zip(ids, combo, strict=True) if f and v is not None])
            for combo in itertools.product(options, repeat=len(ids))
            if any(v is not None for v, _ in combo)]


# A centrist between two opposites: under `directional` its score is the mean of
# theirs, so it can tie but never lead both (v·c = (v·a + v·b) / 2 <= max).
CENTRIST = three([1, 1, 1], [-1, -1, -1], [0, 0, 0], scale=3, method="directional")


def test_unreachable_party_is_proved_unreachable_by_brute_force() -> None:
    assert not any(unique_first(CENTRIST, answers, important, "party c")
                   for answers, important in every_answer(CENTRIST))
    report = audit(CENTRIST)
    reach = {p.id: p.reachability for p in report.parties}
    assert reach["party c"].status == "unreachable"
    assert reach["party c"].how == "exact" and reach["party c"].tries == 7 ** 3
    assert reach["party c"].example is None
    unreachable = [w for w in report.warnings if w.code == "unreachable"]
    assert [w.party for w in unreachable] == ["party c"]
    assert "Party C can never be the only first place" in unreachable[0].text


def test_reachable_parties_come_with_an_example_that_works() -> None:
    report = audit(CENTRIST)
    for party in report.parties[:2]:
        reach = party.reachability
        assert reach.status == "reachable" and reach.example is not None
        assert unique_first(CENTRIST, dict(reach.example), list(reach.example_important),
                            party.id)


def test_search_reports_not_found_in_k_tries_when_the_space_is_too_big() -> None:
    report = audit(CENTRIST, exact_limit=10, search_tries=500, voters=50)
    reach = {p.id: p.reachability for p in report.parties}
    assert reach["party c"].status == "not_found" and reach["party c"].how == "search"
    assert reach["party c"].tries >= 500
    assert {reach["party a"].status, reach["party b"].status} == {"reachable"}
    warning = next(w for w in report.warnings if w.code == "not_found")
    assert warning.party == "party c" and "Party C" in warning.text
    assert f"{reach['party c'].tries:,} tries" in warning.text


def test_search_finds_a_party_the_simulation_missed() -> None:
    # Ten statements (21^10 answer vectors); one simulated voter finds at most one party.
    quiz = three([2, 2, 1, 1, 2, -2, 0, 1, 2, 2], [-2, -1, 0, 1, 2, 2, 1, 0, -1, -2],
                 [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    report = audit(quiz, voters=1, sample=1)
    hows = {p.reachability.how for p in report.parties}
    assert "search" in hows
    for party in report.parties:
        reach = party.reachability
        assert reach.status == "reachable" and reach.example is not None
        assert unique_first(quiz, dict(reach.example), list(reach.example_important),
                            party.id)


def test_identical_parties_can_never_be_alone_in_first_place() -> None:
    quiz = three([1, -1, 0], [1, -1, 0], [-1, 1, 1], scale=3)
    report = audit(quiz)
    status = [p.reachability.status for p in report.parties]
    assert status == ["unreachable", "unreachable", "reachable"]
    shares = report.population("uniform").own().shares
    assert shares[0] == shares[1]  # every tie is split evenly
    pair = report.distances.close_pairs[0]
    assert (pair.first, pair.second, pair.same_display, pair.distance) == (
        "party a", "party b", 1.0, 0.0)
    close = next(w for w in report.warnings if w.code == "close_parties")
    assert "Party A and Party B" in close.text


def test_self_match() -> None:
    report = audit(CENTRIST)
    a, _, c = (p.self_match for p in report.parties)
    assert (a.score, a.rank, a.tied_with) == (100.0, 1, ())
    assert c.score == 50.0 and set(c.tied_with) == {"party a", "party b"}
    assert c.rank == 3  # ties are ranked by name
    tied = next(w for w in report.warnings if w.code == "self_match_tied")
    assert tied.party == "party c" and "Party A and Party B" in tied.text


def test_statement_all_parties_agree_on_is_flagged_and_never_decides() -> None:
    quiz = three([1, 2, -1], [-1, 2, 1], [0, 2, 1])
    report = audit(quiz)
    agreeing = report.statements[1]
    assert (agreeing.agreement, agreeing.stated, agreeing.low, agreeing.high) == (
        "identical", 3, 2, 2)
    assert agreeing.discrimination == 0.0
    assert report.statements[0].discrimination > 0
    warning = next(w for w in report.warnings if w.code == "agreeing_statements")
    assert warning.statement == "s2" and "Statement 2 (s2)" in warning.text
    assert "“Strongly agree”" in warning.text


def test_agreement_kinds() -> None:
    quiz = three([1, 2, None], [2, 2, None], [1, None, 1])
    statements = audit(quiz, voters=2000).statements
    assert [s.agreement for s in statements] == ["same_side", "identical", None]
    assert [s.stated for s in statements] == [3, 2, 1]
    assert statements[2].spread == 0.0
    assert statements[0].spread == pytest.approx(np.std([0.5, 1.0, 0.5]))


@pytest.mark.parametrize("missing", MISSING_POLICIES)
def test_shares_sum_to_one_under_every_method_and_policy(missing: str) -> None:
    quiz = three([2, None, -1, 1], [-2, 1, None, 1], [0, 2, 2, None], missing=missing)
    report = audit(quiz, skip_rate=0.3)
    for population in report.populations:
        assert [(s.method, s.missing) for s in population.settings] == list(COMBOS)
        assert sum(s.own for s in population.settings) == 1
        for setting in population.settings:
            assert math.fsum(setting.shares) == pytest.approx(1.0, abs=1e-12)


def test_voters_who_skip_everything_are_excluded_and_counted() -> None:
    quiz = three([1, 1], [-1, -1], [1, -1], scale=3)
    report = audit(quiz, skip_rate=0.5)
    own = report.population("uniform").own()
    assert own.no_first_place == pytest.approx(VOTERS / 4, rel=0.1)
    assert math.fsum(own.shares) == pytest.approx(1.0)
    nobody = audit(quiz, skip_rate=1.0, voters=500).population("uniform").own()
    assert nobody.no_first_place == 500 and nobody.shares == (0.0, 0.0, 0.0)


def test_the_simulation_is_deterministic_for_a_seed() -> None:
    quiz = three([2, None, -1, 1], [-2, 1, None, 1], [0, 2, 2, None])
    first, again = report_to_dict(audit(quiz, seed=7)), report_to_dict(audit(quiz, seed=7))
    assert first == again
    assert report_to_dict(audit(quiz, seed=8))["populations"] != first["populations"]


def test_worker_processes_give_the_same_report() -> None:
    quiz = three([2, None, -1, 1], [-2, 1, None, 1], [0, 2, 2, None])
    options = {"voters": 140_000, "seed": 3, "sample": 2000}  # three uniform chunks
    alone = report_to_dict(audit(quiz, **options, workers=1))
    assert report_to_dict(audit(quiz, **options, workers=2)) == alone


def test_warnings_name_the_parties_and_where_they_stand_alone() -> None:
    # A mild centrist under `directional`: it stands alone (neutral) on s3, s4 and s5.
    quiz = three([2, 2, 2, 2, -2], [-2, -2, -2, -2, 2], [1, 1, 0, 0, 0], method="directional")
    report = audit(quiz)
    c = report.parties[2]
    assert c.stands_alone == ("s3", "s4", "s5")
    low = next(w for w in report.warnings if w.code == "share_low")
    assert low.party == "party c"
    assert low.text.startswith("Party C is first for only")
    assert "statements 3, 4 and 5 are where it stands alone" in low.text
    assert low.numbers["statements"] == [3, 4, 5]
    assert low.numbers["fair_share"] == pytest.approx(1 / 3)
    assert all(w.text and w.code for w in report.warnings)


def test_coverage_confidence_and_distances() -> None:
    quiz = three([1, 1, None], [-1, -1, None], [0, None, None], scale=3)
    a = quiz.parties[0]
    quiz = replace(quiz, parties=(replace(a, evidence={
        "s1": Evidence("q", "src", "high"), "s2": Evidence("q", "src", "low")}),
        *quiz.parties[1:]))
    report = audit(quiz, voters=2000)
    a, b, c = report.parties
    assert (a.stated, a.coverage) == (2, pytest.approx(2 / 3))
    assert dict(a.confidence) == {"high": 1, "medium": 0, "low": 1, "none": 0}
    assert dict(b.confidence) == {"high": 0, "medium": 0, "low": 0, "none": 2}
    assert report.distances.matrix[0] == (0.0, 1.0, 0.5)
    assert report.distances.shared[0] == (2, 2, 1)
    lonely = next(w for w in report.warnings if w.code == "few_positions")
    assert lonely.numbers["statements"] == [3] and lonely.numbers["stated"] == 0


def test_distance_matrix_without_common_statements_is_none() -> None:
    quiz = three([1, None], [None, 1], [1, 1], scale=3)
    positions, weights = quiz_arrays(quiz)
    matrix, shared = distance_matrix(quiz, positions, weights)
    assert np.isnan(matrix[0, 1]) and shared[0, 1] == 0
    assert audit(quiz, voters=500).distances.matrix[0][1] is None


def test_stands_alone_compares_sides() -> None:
    quiz = three([2, 1, None, 0], [1, -1, 1, 1], [-1, -2, None, -1])
    positions, _ = quiz_arrays(quiz)
    assert stands_alone(quiz, positions) == (("s2", "s4"), ("s3", "s4"), ("s1", "s4"))


def test_first_places_ties_and_voters_without_scores() -> None:
    scores = np.array([[50.0, 50.0, 40.0], [np.nan] * 3, [10.0, np.nan, 20.0],
                       [30.0, 30.0 + 1e-12, 0.0]])
    codes, ties = first_places(scores)
    assert codes.tolist() == [0b011, 0, 0b100, 0b011]
    assert ties.tolist() == [2, 0, 1, 2]


@pytest.mark.parametrize(("scale", "weights", "multiplier", "exact"), [
    *[(scale, [0.0, 0.5, 1.0, 2.0], 3.0, True) for scale in sorted(SCALES)],
    (5, [1.0, 1.5, 0.25], 0.0, True),  # importance 0: marked answers leave A
    (5, [0.7, 1.0, 2.0 ** -30], 2.0, False),  # not dyadic: float64 sums
    (3, [1.0, 1e-200, 3.0], 1e-200, False),  # ω underflows to 0 for marked answers
    (4, [1e300, 1.0, 2.0], 1.0, False),  # the sums may overflow
])
def test_all_scores_equal_score_batch_bit_for_bit(scale: int, weights: list[float],
                                                  multiplier: float, exact: bool) -> None:
    rng = np.random.default_rng(scale)
    values = np.array(SCALES[scale], dtype=np.float64)
    positions = rng.choice(values, size=(4, 9))
    positions[rng.random(positions.shape) < 0.3] = np.nan
    positions[3, :5] = np.nan  # a party with few positions: often no evidence
    answers = rng.choice(values, size=(5000, 9))
    answers[rng.random(answers.shape) < 0.2] = np.nan
    important = rng.random(answers.shape) < 0.3
    chosen = rng.choice(weights, size=9)
    rows = settings_scores._settings_table(positions / max(values), chosen, scale, COMBOS,
                                   multiplier)[0]
    assert settings_scores._exact_in_float32(rows) is exact
    for block in (0, 4096):  # threads in this process, or one thread (workers)
        scenario = Scenario(positions, chosen, scale, "cityblock", "neutral", multiplier,
                            block)
        every = scenario.all_scores(answers, important)
        assert list(every) == list(COMBOS)
        for method, missing in COMBOS:
            direct = score_batch(answers, important, positions, chosen, scale=scale,
                                 method=method, missing=missing,
                                 importance_multiplier=multiplier)
            np.testing.assert_array_equal(every[method, missing], direct)
            assert np.array_equal(np.signbit(every[method, missing]), np.signbit(direct))
            alone = scenario.scores(answers, important, method, missing)
            np.testing.assert_array_equal(alone, direct)


def test_score_settings_checks_its_inputs() -> None:
    with pytest.raises(ValueError, match="unknown scale, method or policy"):
        settings_scores.score_settings(np.zeros((1, 2)), np.zeros((1, 2), dtype=bool),
                               np.zeros((1, 2)), np.ones(2), scale=5,
                               settings=[("cityblock", "neutral"), ("manhattan", "exclude")],
                               importance_multiplier=1.0)


def test_float32_sums_need_every_partial_sum_exact() -> None:
    rows = np.zeros((2, scoring._CODES, 1))  # two statements, one column
    rows[:, 1] = 2.0 ** 23  # at most 2^24 in all: exact
    assert settings_scores._exact_in_float32(rows)
    rows[1, 1] = 2.0 ** 23 + 1.0
    assert not settings_scores._exact_in_float32(rows)
    rows[1, 1] = 0.1  # not a multiple of a power of two
    assert not settings_scores._exact_in_float32(rows)
    assert settings_scores._exact_in_float32(np.zeros((0, scoring._CODES, 3)))


@pytest.mark.parametrize("scale", sorted(SCALES))
def test_voters_around_a_party_answer_on_the_scale(scale: int) -> None:
    positions = np.array([[max(SCALES[scale]), np.nan, min(SCALES[scale])]])
    rng = np.random.default_rng(0)
    answers, important, party_of = party_voters(rng, 0, 4000, positions, scale,
                                                (0.0, 0.0, 0.0))
    assert set(np.unique(answers)) <= set(SCALES[scale])
    assert (answers[:, 0] == positions[0, 0]).all() and (answers[:, 2] == positions[0, 2]).all()
    assert set(np.unique(answers[:, 1])) == set(SCALES[scale])  # uniform where no position
    assert not important.any() and (party_of == 0).all()


def test_recovery_of_voters_drawn_around_the_parties() -> None:
    quiz = three([2, 2, 2, 2], [-2, -2, -2, -2], [2, -2, 2, -2])
    report = audit(quiz, noise=0.0, skip_rate=0.0)
    assert [p.recovery for p in report.parties] == [1.0, 1.0, 1.0]
    noisy = audit(quiz, noise=1.0)
    assert all(p.recovery is not None and p.recovery < 1.0 for p in noisy.parties)


def test_sensitivity_is_zero_when_nothing_can_change() -> None:
    quiz = make_quiz({"Solo": {"s1": 1, "s2": -1}})
    report = audit(quiz, voters=1000)
    assert report.sensitivity.any_setting == 0.0
    assert report.population("uniform").own().shares == (1.0,)


def test_report_to_dict_is_json_ready_with_fixed_keys() -> None:
    data = report_to_dict(audit(CENTRIST, voters=2000))
    assert tuple(data) == TOP_LEVEL_KEYS
    assert json.loads(json.dumps(data)) == data
    own = [s for s in data["populations"][0]["settings"] if s["own"]]
    assert [(s["method"], s["missing"]) for s in own] == [("directional", "neutral")]
    assert list(own[0]["shares"]) == ["party a", "party b", "party c"]


@pytest.mark.parametrize("options", [{"voters": 0}, {"skip_rate": 1.5}, {"noise": -1.0},
                                     {"seed": -1}, {"importance_rate": float("nan")}])
def test_invalid_arguments_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        audit(CENTRIST, **options)


def test_a_quiz_without_parties_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one party"):
        audit(replace(CENTRIST, parties=()))
