"""The editor's audit of a quiz: does it give every party a fair chance?

Research on voter-advice applications shows that the choice of statements, of
the matching method and of the policy for missing positions decides much of the
advice. ``run_audit`` measures that for one quiz (a draft or a published version):

- first-place shares of simulated voters under every method × missing policy,
  for a uniform population and one drawn around the parties' own positions
  (``sim``);
- reachability and the self-match of every party (``reach``);
- how often the first place changes between methods and between policies;
- per statement: positions taken, spread, agreement and a discrimination index;
- per party: coverage, confidence mix, distances and near-indistinguishable pairs
  (``positions``);
- warnings in plain words (``warnings``).

All scoring goes through ``core.scoring.score_batch``; the result is a pure
function of the quiz and the arguments (``seed`` included). The figures, the
simulation model, tie handling and the JSON form are documented in ``docs/audit.md``.
"""

from __future__ import annotations

import numpy as np

from valgomat.core.audit.positions import (
    confidence_mix,
    distance_matrix,
    quiz_arrays,
    stands_alone,
    statement_audits,
)
from valgomat.core.audit.reach import reachability, self_matches
from valgomat.core.audit.report import (
    AuditReport,
    AuditSettings,
    ClosePair,
    Distances,
    PartyAudit,
    Population,
    QuizSummary,
    Sensitivity,
    SettingShares,
    report_to_dict,
)
from valgomat.core.audit.sim import CHUNK, COMBOS, IntArray, Scenario
from valgomat.core.audit.tally import Counts, Uniform, run_jobs
from valgomat.core.audit.warnings import warnings
from valgomat.core.model import METHODS, MISSING_POLICIES, Quiz
from valgomat.core.scoring import FloatArray, usable_cores

__all__ = ["AuditReport", "report_to_dict", "run_audit"]

CLOSE = 0.5  # pairs shown the same whole percent by at least this share of voters


def run_audit(quiz: Quiz, *, voters: int = 1_000_000, seed: int = 0, skip_rate: float = 0.1,
              importance_rate: float = 0.2, noise: float = 0.5, party_voters: int | None = None,
              sample: int = 10_000, search_tries: int = 20_000,
              exact_limit: int = 250_000, workers: int | None = None) -> AuditReport:
    """Audit ``quiz`` with ``voters`` uniform simulated voters (see ``docs/audit.md``).

    ``party_voters`` (default ``voters // 20``, at least one per party) are drawn around
    the parties' positions with Gaussian ``noise`` (in [-1, 1] units); the first
    ``sample`` uniform voters (at most one chunk) measure each statement's
    discrimination. The simulation runs in ``workers`` processes (default: one per
    usable core once there is more than one chunk of voters; 1 = in this process);
    the report is the same for any number.
    Raises ``ValueError`` for arguments or a quiz that cannot be audited (no party or
    no statement).
    """
    settings = AuditSettings(voters, seed, skip_rate, importance_rate, noise,
                             max(voters // 20, len(quiz.parties)) if party_voters is None
                             else party_voters,
                             min(sample, voters, CHUNK), search_tries, exact_limit)
    _check(quiz, settings)
    positions, weights = quiz_arrays(quiz)
    scenario = Scenario(positions, weights, quiz.scale, quiz.method, quiz.missing,
                        quiz.importance_multiplier)
    if workers is None:  # worker processes pay off from two chunks of voters on
        workers = usable_cores() if voters > CHUNK else 1
    uniform, around, discriminating = run_jobs(scenario, settings, workers)
    own = COMBOS.index((quiz.method, quiz.missing))
    populations = (_population("uniform", settings.voters, uniform, own),
                   _population("parties", settings.party_voters, around, own))
    shares = populations[0].settings[own].shares
    recovery = np.where(around.around[own] > 0, around.recovery()[own], np.nan)
    matrix, shared = distance_matrix(quiz, positions, weights)
    distances = _distances(quiz, matrix, shared, uniform)
    parties = _parties(quiz, scenario, settings, uniform, shares, recovery)
    statements = statement_audits(quiz, positions, discriminating)
    fair, sensitivity = 1.0 / len(quiz.parties), _sensitivity(quiz, uniform)
    return AuditReport(
        QuizSummary(quiz.slug, quiz.version, quiz.scale, quiz.method, quiz.missing,
                    quiz.importance_multiplier, len(quiz.statements), len(quiz.parties)),
        settings, fair, populations, sensitivity, parties, statements, distances,
        warnings(quiz, fair, parties, statements, distances.close_pairs, sensitivity))


def _check(quiz: Quiz, settings: AuditSettings) -> None:
    if not quiz.parties or not quiz.statements:
        raise ValueError("A quiz needs at least one party and one statement to be audited.")
    if quiz.method not in METHODS or quiz.missing not in MISSING_POLICIES:
        raise ValueError(f"Unknown method or missing policy: {quiz.method!r}, "
                         f"{quiz.missing!r}.")
    if settings.voters < 1 or settings.party_voters < 0 or settings.sample < 0:
        raise ValueError("voters must be at least 1; party_voters and sample at least 0.")
    if settings.seed < 0 or settings.search_tries < 0 or settings.exact_limit < 0:
        raise ValueError("seed, search_tries and exact_limit must be at least 0.")
    rates = (settings.skip_rate, settings.importance_rate)
    if not all(0.0 <= rate <= 1.0 for rate in rates):
        raise ValueError("skip_rate and importance_rate must lie in [0, 1].")
    if not (np.isfinite(settings.noise) and settings.noise >= 0):
        raise ValueError("noise must be a finite number >= 0.")


def _population(name: str, voters: int, counts: Counts, own: int) -> Population:
    shares, with_first = counts.shares(), counts.with_first()
    recovery = counts.recovery() if name == "parties" else None
    return Population(name, voters, tuple(
        SettingShares(method, missing, combo == own, _floats(shares[combo]),
                      voters - int(with_first[combo]),
                      None if recovery is None else _floats(recovery[combo]))
        for combo, (method, missing) in enumerate(COMBOS)))


def _floats(values: FloatArray) -> tuple[float, ...]:
    return tuple(float(value) for value in values)


def _sensitivity(quiz: Quiz, tally: Uniform) -> Sensitivity:
    own = int(tally.with_first()[tally.own])
    counted = max(own, 1)

    def changed(method: str, missing: str) -> float:
        return int(tally.changed[COMBOS.index((method, missing))]) / counted

    any_method, any_missing, any_setting = (int(n) / counted for n in tally.any_changed)
    return Sensitivity(
        own,
        {m: changed(m, quiz.missing) for m in METHODS if m != quiz.method}, any_method,
        {p: changed(quiz.method, p) for p in MISSING_POLICIES if p != quiz.missing},
        any_missing, any_setting)


def _distances(quiz: Quiz, matrix: FloatArray, shared: IntArray,
               tally: Uniform) -> Distances:
    same = tally.same_display / max(int(tally.with_first()[tally.own]), 1)
    ids = tuple(party.id for party in quiz.parties)
    close = tuple(ClosePair(ids[i], ids[j], float(same[i, j]), _optional(matrix[i, j]))
                  for i in range(len(ids)) for j in range(i + 1, len(ids))
                  if same[i, j] >= CLOSE)
    return Distances(ids, tuple(tuple(_optional(x) for x in row) for row in matrix),
                     tuple(tuple(int(x) for x in row) for row in shared),
                     tuple(_floats(row) for row in same), close)


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _parties(quiz: Quiz, scenario: Scenario, settings: AuditSettings, tally: Uniform,
             shares: tuple[float, ...], recovery: FloatArray) -> tuple[PartyAudit, ...]:
    reach = reachability(quiz, scenario, tally.examples, seed=settings.seed,
                         search_tries=settings.search_tries, exact_limit=settings.exact_limit)
    alone, own = stands_alone(quiz, scenario.positions), self_matches(quiz)
    total = len(quiz.statements)
    result = []
    for index, party in enumerate(quiz.parties):
        stated = int(np.count_nonzero(~np.isnan(scenario.positions[index])))
        result.append(PartyAudit(party.id, party.name, stated, stated / total,
                                 confidence_mix(quiz, party), shares[index],
                                 _optional(recovery[index]), own[index], reach[index],
                                 alone[index]))
    return tuple(result)
