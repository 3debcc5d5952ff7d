"""Scoring one voter at a time, fast: the path of every API call and result page.

``score_batch`` builds its lookup tables on every call, which is right for a
million voters and wasteful for one. A :class:`VoterScorer` builds the same
per-statement table once per (quiz, method, missing policy) and keeps it on the
quiz (``Quiz.derived``), so a request only turns the voter's answers into codes,
looks up one row per statement and adds them up: the total and every topic in
a handful of numpy calls.

The additions happen in exactly the order of ``score_batch`` (statements paired
in column order, pairs added in turn), so a voter gets the same bits here as in
any batch; ``tests/core/test_matching_properties.py`` checks it. Variants of
one voter with one answer changed (the near-tie rule) are scored from the
voter's own sums: ``(sums − old row) + new row``, the additions
``matching.js`` makes too.

A score needs evidence (docs/method.md): a party with no stated position on
any statement of A (the statements answered with ω > 0) in a group (all
statements, or one topic) has no score (NaN) for that group.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from valgomat.core.model import Quiz
from valgomat.core.scoring import (
    _CODES,
    _IMPORTANT,
    BoolArray,
    FloatArray,
    IndexArray,
    check_inputs,
    scores_from_sums,
    statement_table,
)


@dataclass(frozen=True)
class VoterScores:
    """One voter's scores (NaN = nothing to compare) and the evidence behind them."""

    total: FloatArray  # (P,)
    topics: dict[str, FloatArray]  # (P,) per topic with statements
    counted: BoolArray  # (S,): the statements in A
    stated: IndexArray  # (P,): how many statements of A each party has a position on
    codes: IndexArray  # (S + 1,): the voter's row in each statement's table (0 = skipped)
    rows: FloatArray  # (S + 1, columns): those rows
    sums: FloatArray  # (columns,): their sum over all statements, before the formula


class VoterScorer:
    """One quiz's scoring table under one method and missing policy, for all its parties."""

    def __init__(self, quiz: Quiz, method: str, missing: str) -> None:
        ids = [statement.id for statement in quiz.statements]
        positions = np.array([[_value(party.positions.get(sid)) for sid in ids]
                              for party in quiz.parties], dtype=np.float64)
        positions = positions.reshape(len(quiz.parties), len(ids))
        weights = np.array([statement.weight for statement in quiz.statements],
                           dtype=np.float64)
        check_inputs(np.empty((0, len(ids))), np.empty((0, len(ids)), dtype=np.bool_),
                     positions, weights, quiz.scale, method, missing, quiz.importance_multiplier)
        self.method = method
        self.party_column = {party.id: index for index, party in enumerate(quiz.parties)}
        self.scale = quiz.answer_scale
        self.top = self.scale.top
        self.levels = np.array(self.scale.level_codes, dtype=np.intp)  # each value's code
        self._column = {sid: index for index, sid in enumerate(ids)}
        self._stated = np.vstack([~np.isnan(positions).T,
                                  np.zeros((1, len(quiz.parties)), dtype=np.bool_)])
        self.statement_ids = tuple(ids)
        self.positions = positions  # (P, S) raw values, NaN = no stated position
        self._lookups(weights, quiz.importance_multiplier)
        table = statement_table(positions / self.top, weights, quiz.scale, method, missing,
                                quiz.importance_multiplier)
        self._score_columns = table.shape[2]
        # Then one column per party: 1 where the statement is in A and the party states a
        # position, so the sums count each party's evidence (exactly: small integers).
        evidence = self._counted[:-1, :, None] & self._stated[:-1, None, :]
        table = np.concatenate([table, evidence.astype(np.float64)], axis=2)
        # One extra statement of zeros pads every odd group, as score_batch pads its pairs.
        self._table = np.concatenate([table, np.zeros_like(table[:1])])
        self._rows = np.arange(len(ids) + 1, dtype=np.intp)
        groups = [list(range(len(ids)))] + [
            [s for s, statement in enumerate(quiz.statements) if statement.topic == topic.id]
            for topic in quiz.topics]
        self.topic_ids = [topic.id for topic, columns in zip(quiz.topics, groups[1:],
                                                            strict=True) if columns]
        used = [columns for columns in groups if columns] if ids else []
        self._first, self._second, self._starts = _pairs(used, len(ids))

    def _lookups(self, weights: FloatArray, multiplier: float) -> None:
        """Per statement and code (S + 1, 16): in A?, the value (NaN outside A), ω; per
        code (16, L): every other answer (the other values, same mark, then 0 = skip)."""
        code = np.arange(_CODES)
        level, flagged = code & (_IMPORTANT - 1), (code & _IMPORTANT) > 0
        omega = np.append(weights, 0.0)[:, None] * np.where(flagged, multiplier, 1.0)
        self._counted = (level > 0) & (omega > 0)
        self._values = np.where(self._counted, level - (self.top + 1.0), np.nan)
        self._omega = omega
        self._reason_keys: FloatArray | None = None  # built on first use
        self._others = np.array([[other | (c & _IMPORTANT) for other in self.levels
                                  if other | (c & _IMPORTANT) != c][:len(self.levels) - 1]
                                 + [0] if c & (_IMPORTANT - 1) else [0] * len(self.levels)
                                 for c in code], dtype=np.intp)

    def codes(self, answers: Mapping[str, int | None], important: Collection[str]
              ) -> IndexArray:
        """(S + 1,) each statement's row: 0 skipped, 1.. the level, +8 when important."""
        codes = np.zeros(self._rows.size, dtype=np.intp)
        for sid, value in answers.items():
            if value is not None:
                codes[self._column[sid]] = self.scale.level_code(value) + (
                    _IMPORTANT if sid in important else 0)
        return codes

    def reason_keys(self, codes: IndexArray) -> tuple[FloatArray, FloatArray]:
        """(S + 1, 2P) each statement's agree keys, then disagree keys, per party (inf:
        not a reason; see ``core.reasons``), and (S + 1,) its ω, for the voter's codes."""
        if self._reason_keys is None:
            self._reason_keys = _reason_table(self._values, self.positions)
        return self._reason_keys[self._rows, codes], self._omega[self._rows, codes]

    def scores(self, answers: Mapping[str, int | None], important: Collection[str]
               ) -> VoterScores:
        """The total and every topic's scores of one voter, with the evidence counts.

        ``answers`` must already be valid (see ``matching.validate``).
        """
        parties = len(self.party_column)
        codes = self.codes(answers, important)
        counted = self._counted[self._rows, codes]
        if self._starts.size == 0:  # a quiz without statements
            return VoterScores(np.full(parties, np.nan), {}, counted[:-1],
                               np.zeros(parties, dtype=np.intp), codes,
                               np.zeros((1, 0)), np.zeros(0))
        rows = self._table[self._rows, codes]
        pairs = rows[self._first] + rows[self._second]
        # Each group's pairs added in turn: accumulate is sequential, where reduceat may
        # reorder the additions (and then differ from score_batch and matching.js by an ulp).
        ends = np.append(self._starts[1:], len(pairs))
        sums = np.stack([np.add.accumulate(pairs[start:end], axis=0)[-1]
                         for start, end in zip(self._starts, ends, strict=True)])
        sums += 0.0  # score_batch starts its sums at +0.0
        scores = scores_from_sums(sums[:, :self._score_columns], self.method, parties)
        stated = sums[:, self._score_columns:]  # (groups, P) evidence counts
        scores[stated == 0] = np.nan
        return VoterScores(scores[0], dict(zip(self.topic_ids, scores[1:], strict=True)),
                           counted[:-1], stated[0].astype(np.intp), codes, rows, sums[0])

    def alternatives(self, voter: VoterScores) -> tuple[IndexArray, IndexArray]:
        """Every other answer to every statement of A: (statement, code) pairs, K each.

        The other values on the scale keep the statement's importance mark; code 0
        skips it."""
        answered = np.flatnonzero(voter.counted)
        others = self._others[voter.codes[answered]]  # (answered, L)
        return np.repeat(answered, others.shape[1]), others.ravel()

    def variant_scores(self, voter: VoterScores, statements: IndexArray,
                       codes: IndexArray) -> FloatArray:
        """(K, P) total scores with statement ``statements[k]`` answered ``codes[k]``
        instead; NaN where a party is then left without evidence."""
        sums = (voter.sums - voter.rows[statements]) + self._table[statements, codes]
        scores = scores_from_sums(sums[:, :self._score_columns], self.method,
                                  len(self.party_column))
        scores[sums[:, self._score_columns:] == 0] = np.nan  # no evidence left
        return scores


def _reason_table(values: FloatArray, positions: FloatArray) -> FloatArray:
    """(S + 1, 16, 2P): for each statement, code and party, |v − p| where they agree
    (same answer or side), then −|v − p| where they are on opposite sides; inf else."""
    stances = np.vstack([positions.T, np.full((1, positions.shape[0]), np.nan)])[:, None, :]
    answers = values[:, :, None]  # NaN outside A; NaN compares False, so no reason
    gap = np.abs(answers - stances)
    product = answers * stances
    agree = np.where((gap == 0) | (product > 0), gap, np.inf)
    disagree = np.where(product < 0, -gap, np.inf)
    return np.concatenate([agree, disagree], axis=2)


def _pairs(groups: Sequence[Sequence[int]], padding: int
           ) -> tuple[IndexArray, IndexArray, IndexArray]:
    """Each group's columns paired in order (the last with ``padding`` when odd)."""
    first: list[int] = []
    second: list[int] = []
    starts: list[int] = []
    for columns in groups:
        starts.append(len(first))
        first.extend(columns[0::2])
        second.extend(columns[1::2])
        if len(columns) % 2:
            second.append(padding)
    return (np.array(first, dtype=np.intp), np.array(second, dtype=np.intp),
            np.array(starts, dtype=np.intp))


def voter_scorer(quiz: Quiz, method: str, missing: str) -> VoterScorer:
    """The quiz's scorer for this method and policy, built on first use."""
    key = ("voter_scorer", method, missing)
    scorer = quiz.derived.get(key)
    if scorer is None:
        scorer = quiz.derived[key] = VoterScorer(quiz, method, missing)
    return scorer


def _value(value: int | None) -> float:
    return np.nan if value is None else float(value)
