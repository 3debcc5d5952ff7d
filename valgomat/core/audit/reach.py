"""Can each party come first at all, and where does it come when a voter answers as it?

Reachability asks whether some answer vector (answers, skips and importance flags)
makes a party the *unique* first place: its score higher, by more than ``TIE``,
than every other party's, under the quiz's own method and missing policy.

- When the whole answer space (per statement: skip, or a value, plain or
  important) has at most ``exact_limit`` vectors, all of them are scored: the
  answer is exact, and "unreachable" is a proof.
- Otherwise a party the simulation already put alone in first place is reachable;
  for the others a hill climb (best single change per step, from the party's own
  answers, then from random restarts) runs until it succeeds or has scored
  ``search_tries`` vectors; failing that the party is "not_found", not unreachable.

The self-match is ``core.matching.match`` for a voter answering exactly as the
party (its missing positions skipped, nothing marked important).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valgomat.core.audit.report import Reachability, SelfMatch
from valgomat.core.audit.sim import CHUNK, TIE, IntArray, Scenario, first_places
from valgomat.core.matching import match
from valgomat.core.model import SCALES, Quiz
from valgomat.core.scoring import BoolArray, FloatArray

Example = tuple[FloatArray, BoolArray]


@dataclass(frozen=True)
class Options:
    """Each statement's possible answers: ``values[s, d]`` and ``flags[s, d]`` for d < radix[s]."""

    values: FloatArray  # (S, D), NaN = skipped
    flags: BoolArray  # (S, D)
    radix: IntArray  # (S,)

    @classmethod
    def of(cls, scenario: Scenario) -> Options:
        levels = [float(v) for v in SCALES[scenario.scale].values]
        rows = []
        for weight in scenario.weights:
            row = [(np.nan, False)]
            if weight > 0:
                row += [(v, False) for v in levels]
                row += [(v, True) for v in levels] if scenario.multiplier != 1 else []
            rows.append(row)
        width = max((len(row) for row in rows), default=1)
        padded = [row + [(np.nan, False)] * (width - len(row)) for row in rows]
        return cls(np.array([[v for v, _ in row] for row in padded], dtype=np.float64),
                   np.array([[f for _, f in row] for row in padded], dtype=np.bool_),
                   np.array([len(row) for row in rows], dtype=np.int64))

    def space(self) -> int:
        return int(np.prod([int(r) for r in self.radix], dtype=object))

    def decode(self, digits: IntArray) -> Example:
        """(n, S) option digits → answers and importance flags."""
        columns = np.arange(self.radix.size)
        return self.values[columns, digits], self.flags[columns, digits]


def self_matches(quiz: Quiz) -> tuple[SelfMatch, ...]:
    ids = {statement.id for statement in quiz.statements}
    result = []
    for party in quiz.parties:
        answers = {sid: v for sid, v in party.positions.items() if v is not None and sid in ids}
        if not answers:
            result.append(SelfMatch(None, None, (), None, None))
            continue
        ranked = match(quiz, answers).results
        place = next(i for i, item in enumerate(ranked) if item.party == party.id)
        score = ranked[place].score
        tied = tuple(item.party for item in ranked if item.party != party.id
                     and score is not None and item.score is not None
                     and abs(item.score - score) <= TIE)
        result.append(SelfMatch(score, None if score is None else place + 1, tied,
                                ranked[0].party, ranked[0].score))
    return tuple(result)


def reachability(quiz: Quiz, scenario: Scenario, found: list[Example | None], *,
                 seed: int, search_tries: int, exact_limit: int) -> tuple[Reachability, ...]:
    options = Options.of(scenario)
    space = options.space()
    if space <= exact_limit:
        examples = _exhaustive(scenario, options, space)
        return tuple(_result(quiz, example, "exact", space, "unreachable")
                     for example in examples)
    result = []
    for party, example in enumerate(found):
        if example is not None:
            result.append(_result(quiz, example, "simulation", 0, "not_found"))
            continue
        rng = np.random.default_rng([seed, 2, party])
        searched, tries = _climb(scenario, options, party, rng, search_tries)
        result.append(_result(quiz, searched, "search", tries, "not_found"))
    return tuple(result)


def _result(quiz: Quiz, example: Example | None, how: str, tries: int,
            failure: str) -> Reachability:
    if example is None:
        return Reachability(failure, how, tries, None, ())
    answers, flags = example
    values = {s.id: None if np.isnan(v) else int(v)
              for s, v in zip(quiz.statements, answers, strict=True)}
    important = tuple(s.id for s, f, v in zip(quiz.statements, flags, answers, strict=True)
                      if f and not np.isnan(v))
    return Reachability("reachable", how, tries, values, important)


def _exhaustive(scenario: Scenario, options: Options, space: int) -> list[Example | None]:
    parties = scenario.positions.shape[0]
    examples: list[Example | None] = [None] * parties
    strides = np.cumprod(np.concatenate([[1], options.radix[:-1]])).astype(np.int64)
    for start in range(0, space, CHUNK):
        index = np.arange(start, min(start + CHUNK, space), dtype=np.int64)
        answers, flags = options.decode(index[:, None] // strides % options.radix)
        codes = first_places(scenario.scores(answers, flags))[0]
        for party in range(parties):
            hits = np.flatnonzero(codes == 1 << party)
            if examples[party] is None and hits.size:
                examples[party] = (answers[hits[0]], flags[hits[0]])
        if all(example is not None for example in examples):
            break
    return examples


def margins(scenario: Scenario, options: Options, digits: IntArray, party: int) -> FloatArray:
    """How far ``party`` leads the best other party (−inf where it has no score)."""
    scores = np.nan_to_num(scenario.scores(*options.decode(digits)), nan=-np.inf)
    others = np.delete(scores, party, axis=1)
    best = others.max(axis=1) if others.shape[1] else np.full(scores.shape[0], -np.inf)
    with np.errstate(invalid="ignore"):
        lead = scores[:, party] - best
    return np.where(np.isfinite(scores[:, party]), np.nan_to_num(lead, nan=np.inf), -np.inf)


def _climb(scenario: Scenario, options: Options, party: int, rng: np.random.Generator,
           budget: int) -> tuple[Example | None, int]:
    """Hill climb on the lead; returns the first vector that leads by more than TIE."""
    current = _own_digits(scenario, options, party)
    lead, tries = margins(scenario, options, current[None, :], party)[0], 1
    while lead <= TIE and tries < budget:
        neighbours = _neighbours(options, current)
        leads = margins(scenario, options, neighbours, party)
        tries += neighbours.shape[0]
        best = int(np.argmax(leads)) if leads.size else 0
        if leads.size and leads[best] > lead + TIE:
            current, lead = neighbours[best], float(leads[best])
        else:  # a local optimum: restart from a random vector
            current = rng.integers(0, options.radix)
            lead, tries = margins(scenario, options, current[None, :], party)[0], tries + 1
    if lead <= TIE:
        return None, tries
    answers, flags = options.decode(current[None, :])
    return (answers[0], flags[0]), tries


def _own_digits(scenario: Scenario, options: Options, party: int) -> IntArray:
    own = scenario.positions[party]
    hit = (options.values == own[:, None]) & ~options.flags
    return np.where(hit.any(axis=1), hit.argmax(axis=1), 0).astype(np.int64)


def _neighbours(options: Options, current: IntArray) -> IntArray:
    """Every vector differing from ``current`` in exactly one statement."""
    rows = []
    for statement, radix in enumerate(options.radix):
        for digit in range(int(radix)):
            if digit != current[statement]:
                row = current.copy()
                row[statement] = digit
                rows.append(row)
    if not rows:
        return np.empty((0, current.size), dtype=np.int64)
    return np.array(rows, dtype=np.int64)
