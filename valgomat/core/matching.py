"""Matching: how a voter's answers are scored against each party.

This module implements ``docs/method.md`` exactly (seeded from the shared
``matching.md``); a change there is a product decision, and this docstring
restates it.

Scale and normalisation
    A quiz has one scale: ``3`` = (-1, 0, 1), ``4`` = (-2, -1, 1, 2) or
    ``5`` = (-2, -1, 0, 1, 2). Voters may skip a statement (``None``); a party may
    have no stated position (``None``). Every value is divided by the largest
    absolute value on the scale, so voter values ``v_s`` and party values ``p_s``
    lie in [-1, 1].

Weights
    ``ω_s = w_s × (importance_multiplier if the voter marked s important else 1)``,
    with the editor weight ``w_s >= 0`` (weight 0 removes the statement) and the
    quiz's ``importance_multiplier`` (default 2).

Statements that count
    S (per party) = the statements the voter answered with ``ω_s > 0``. A missing
    party position follows the quiz's ``missing`` policy:

    - ``neutral`` (default): ``p_s = 0``;
    - ``exclude``: s is dropped from S for that party only;
    - ``farthest``: ``p_s = -1`` if ``v_s >= 0`` else ``+1``.

    If S is empty the score is ``None`` ("nothing to compare"), ranked last.

A score needs evidence
    Let A be the statements the voter answered with ``ω_s > 0``. Whatever the
    policy, a party with no stated position on any statement of A has no score
    (``None``), and a topic score is ``None`` where the party has no stated position
    on that topic's statements of A. ``coverage`` = (stated, answered) counts them.

Methods, with ``d_s = |v_s − p_s|`` and all sums over S
    - ``cityblock`` (default): ``100 × (1 − Σ ω_s d_s / (2 Σ ω_s))``
    - ``euclidean``: ``100 × (1 − sqrt(Σ ω_s d_s²) / (2 sqrt(Σ ω_s)))``
    - ``directional``: ``100 × (1 + Σ ω_s v_s p_s / Σ ω_s) / 2``
    - ``hybrid``: the mean of the ``cityblock`` and ``directional`` scores
      (Mendez 2012; ``directional`` is his scalar product).

    ``cityblock`` on scale 3 is the Wahl-O-Mat's points (2 for the same answer,
    1 when one side is neutral, 0 for opposites, doubled when important, as a
    share of the maximum); ``cityblock`` + ``exclude`` on scale 4 is NRK's
    ``1 − Σ|a − b| / (4n)`` over the statements both sides answered.

Topics
    A topic score is the same formula restricted to that topic's statements
    (``None`` where S is empty for the topic, or without evidence as above).

Near-ties and reasons
    ``close_to_first`` (``core.near_ties``) and ``reasons`` (``core.reasons``).

Rounding
    :func:`whole_percent`: whole percent, exact halves up, a score within
    ``HALF_TOLERANCE`` below a half counting as the half (float error, not data).

Results
    Scores are unrounded floats in [0, 100]. Ranking: score descending, ties by
    party display name (casefolded, then as written, then party id), ``None`` last.
    Scoring is a pure function of (quiz version, answers, importance, method,
    missing policy): :func:`match` scores one voter with the tables of
    ``core.single``, which add up in the order of :func:`score_batch`, so a
    voter gets the same bits alone or in any batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from valgomat.core.model import METHODS, MISSING_POLICIES, Party, Quiz
from valgomat.core.near_ties import close_to_first
from valgomat.core.reasons import Reasons, all_reasons
from valgomat.core.scoring import FloatArray, score_batch
from valgomat.core.single import voter_scorer

__all__ = ["Coverage", "InvalidAnswers", "MatchResult", "PartyResult", "Reasons", "match",
           "score_batch", "score_topics", "validate", "whole_percent"]

HALF_TOLERANCE = 1e-9  # points; float error in a score is below 1e-12


@dataclass(frozen=True)
class Coverage:
    """How many statements of A the party has a stated position on, of |A|."""

    stated: int = 0
    answered: int = 0

    @property
    def few(self) -> bool:
        """Below a third of the voter's answers: the match rests on few statements."""
        return 3 * self.stated < self.answered


@dataclass(frozen=True)
class PartyResult:
    party: str
    score: float | None
    topics: dict[str, float | None]
    coverage: Coverage = Coverage()
    close_to_first: bool = False
    reasons: Reasons = Reasons()


def whole_percent(score: float | None) -> int | None:
    """Whole percent, exact halves up (57.5 → 58, also when float error gives
    57.49999999999999); ``None`` stays ``None``."""
    return None if score is None else math.floor(score + 0.5 + HALF_TOLERANCE)


@dataclass(frozen=True)
class MatchResult:
    method: str
    missing: str
    results: tuple[PartyResult, ...]


class InvalidAnswers(ValueError):
    """Input that cannot be scored; ``code`` is stable, ``message`` names the culprit."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def score_topics(answers: npt.ArrayLike, important: npt.ArrayLike, positions: npt.ArrayLike,
                 weights: npt.ArrayLike, statement_topics: Sequence[str], *, scale: int,
                 method: str, missing: str,
                 importance_multiplier: float) -> dict[str, FloatArray]:
    """Per-topic (V, P) scores, keyed by topic in order of first appearance.

    ``statement_topics[s]`` is the topic of column s; the arguments are those of
    :func:`score_batch`, which scores each topic's columns alone.
    """
    votes, flags = np.asarray(answers, dtype=np.float64), np.asarray(important, dtype=np.bool_)
    stances, editor = np.asarray(positions, dtype=np.float64), np.asarray(weights, np.float64)
    if len(statement_topics) != editor.shape[0]:
        raise ValueError("statement_topics must name the topic of every statement")
    result = {}
    for topic in dict.fromkeys(statement_topics):
        columns = [s for s, name in enumerate(statement_topics) if name == topic]
        result[topic] = score_batch(
            votes[:, columns], flags[:, columns], stances[:, columns], editor[columns],
            scale=scale, method=method, missing=missing,
            importance_multiplier=importance_multiplier)
    return result


def validate(quiz: Quiz, answers: Mapping[str, object], important: Iterable[str],
             method: str | None, missing: str | None, parties: Sequence[str] | None) -> None:
    """Raise :class:`InvalidAnswers` for the first input that cannot be scored."""
    _check_choice(method, METHODS, "unknown_method", "method")
    _check_choice(missing, MISSING_POLICIES, "unknown_missing_policy", "missing policy")
    _check_parties(quiz, parties)
    _check_answers(quiz, answers)
    _check_important(quiz, important)
    if all(value is None for value in answers.values()):
        raise InvalidAnswers("nothing_answered", "No statement was answered; answer at "
                             "least one statement to get a result.")


def _check_choice(value: object, allowed: Sequence[str], code: str, what: str) -> None:
    if value is not None and (not isinstance(value, str) or value not in allowed):
        raise InvalidAnswers(code, f"Unknown {what} {value!r}; expected one of "
                             f"{', '.join(allowed)}.")


def _check_parties(quiz: Quiz, parties: Sequence[str] | None) -> None:
    if parties is None:
        return
    if isinstance(parties, str | bytes):
        raise InvalidAnswers("wrong_type", "'parties' must be a list of party ids.")
    known = {party.id for party in quiz.parties}
    for party in parties:
        if not isinstance(party, str):
            raise InvalidAnswers("wrong_type", f"Party id {party!r} is not a string.")
        if party not in known:
            raise InvalidAnswers("unknown_party", f"Unknown party {party!r}.")


def _check_answers(quiz: Quiz, answers: Mapping[str, object]) -> None:
    if not isinstance(answers, Mapping):
        raise InvalidAnswers("wrong_type", "'answers' must map statement ids to values.")
    known, scale = quiz.statement_ids, quiz.scale_values
    for statement, value in answers.items():
        if statement not in known:
            raise InvalidAnswers("unknown_statement", f"Unknown statement {statement!r}.")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidAnswers("wrong_type", f"The answer to {statement!r} must be an "
                                 f"integer or null, not {value!r}.")
        if value is not None and value not in scale:
            raise InvalidAnswers("value_not_on_scale", f"The answer {value!r} to "
                                 f"{statement!r} is not on the scale {list(scale)}.")


def _check_important(quiz: Quiz, important: Iterable[str]) -> None:
    if isinstance(important, str | bytes):
        raise InvalidAnswers("wrong_type", "'important' must be a list of statement ids.")
    known = quiz.statement_ids
    for statement in important:
        if not isinstance(statement, str):
            raise InvalidAnswers("wrong_type", f"Statement id {statement!r} is not a string.")
        if statement not in known:
            raise InvalidAnswers("unknown_important_statement",
                                 f"Unknown statement {statement!r} marked important.")


def match(quiz: Quiz, answers: Mapping[str, int | None], important: Iterable[str] = (), *,
          method: str | None = None, missing: str | None = None,
          parties: Sequence[str] | None = None) -> MatchResult:
    """Score one voter against the selected parties (all when ``parties`` is None), ranked.

    Statements left out of ``answers`` count as skipped. Raises :class:`InvalidAnswers`.
    """
    if not isinstance(important, str | bytes):  # validate() rejects a bare string
        important = tuple(important)  # an iterator is read once
    validate(quiz, answers, important, method, missing, parties)
    method = quiz.method if method is None else method
    missing = quiz.missing if missing is None else missing
    selected = _selected(quiz, parties)
    scorer = voter_scorer(quiz, method, missing)
    voter = scorer.scores(answers, set(important))
    totals = _optional_list(voter.total)
    topics = {t.id: _optional_list(voter.topics[t.id]) if t.id in voter.topics else None
              for t in quiz.topics}
    column = scorer.party_column
    ranked = _ranked(selected, [totals[column[party.id]] for party in selected])
    close = close_to_first(scorer, voter, [party.id for party, _ in ranked],
                           [score for _, score in ranked])
    answered = int(np.count_nonzero(voter.counted))
    reasons = all_reasons(scorer, voter)
    return MatchResult(method, missing, tuple(
        PartyResult(party.id, score,
                    {t: None if scores is None else scores[column[party.id]]
                     for t, scores in topics.items()},
                    Coverage(int(voter.stated[column[party.id]]), answered),
                    party.id in close, reasons[column[party.id]])
        for party, score in ranked))


def _selected(quiz: Quiz, parties: Sequence[str] | None) -> list[Party]:
    if parties is None:
        return list(quiz.parties)
    return [quiz.party(party_id) for party_id in dict.fromkeys(parties)]


def _optional_list(scores: FloatArray) -> list[float | None]:
    return [None if math.isnan(score) else score for score in scores.tolist()]


def _ranked(parties: Sequence[Party], scores: Sequence[float | None]
            ) -> list[tuple[Party, float | None]]:
    def key(item: tuple[Party, float | None]) -> tuple[bool, float, str, str, str]:
        party, score = item
        return (score is None, -score if score is not None else 0.0, party.name.casefold(),
                party.name, party.id)

    return sorted(zip(parties, scores, strict=True), key=key)
