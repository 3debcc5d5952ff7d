"""What the audit reads from the positions alone, before any voter is simulated.

Per statement: how many parties take a position, the lowest and highest, their
spread and whether they all agree. Per party: coverage, the confidence of its
evidence, the statements where it stands alone, and the distance to every other
party (the cityblock distance over the statements both take a position on,
computed by ``score_batch`` with a voter who answers exactly as the first party).
"""

from __future__ import annotations

import numpy as np

from valgomat.core.audit.report import StatementAudit
from valgomat.core.model import CONFIDENCES, Party, Quiz
from valgomat.core.scoring import FloatArray, score_batch


def quiz_arrays(quiz: Quiz) -> tuple[FloatArray, FloatArray]:
    """The (P, S) raw positions (NaN = no stated position) and the (S,) editor weights."""
    ids = [statement.id for statement in quiz.statements]
    positions = np.array([[_value(party.positions.get(sid)) for sid in ids]
                          for party in quiz.parties], dtype=np.float64)
    weights = np.array([statement.weight for statement in quiz.statements], dtype=np.float64)
    return positions.reshape(len(quiz.parties), len(ids)), weights


def _value(value: int | None) -> float:
    return np.nan if value is None else float(value)


def statement_audits(quiz: Quiz, positions: FloatArray,
                     discrimination: FloatArray) -> tuple[StatementAudit, ...]:
    top = quiz.answer_scale.top
    result = []
    for index, statement in enumerate(quiz.statements):
        column = positions[:, index]
        stated = column[~np.isnan(column)]
        result.append(StatementAudit(
            id=statement.id, number=index + 1, topic=statement.topic, weight=statement.weight,
            stated=int(stated.size),
            low=int(stated.min()) if stated.size else None,
            high=int(stated.max()) if stated.size else None,
            spread=float(np.std(stated / top)) if stated.size else None,
            agreement=agreement(stated), discrimination=float(discrimination[index])))
    return tuple(result)


def agreement(stated: FloatArray) -> str | None:
    """``identical`` when at least two parties state the same value, ``same_side`` when
    they all agree or all disagree (with different strength), else None."""
    if stated.size < 2:
        return None
    if np.all(stated == stated[0]):
        return "identical"
    signs = np.sign(stated)
    if signs[0] != 0 and np.all(signs == signs[0]):
        return "same_side"
    return None


def stands_alone(quiz: Quiz, positions: FloatArray) -> tuple[tuple[str, ...], ...]:
    """Per party: the statements where no other party states a position on its side
    (agree, neutral or disagree)."""
    signs = np.sign(positions)
    stated = ~np.isnan(positions)
    result = []
    for party in range(positions.shape[0]):
        others = np.delete(np.arange(positions.shape[0]), party)
        same = (signs[others] == signs[party]) & stated[others]
        alone = stated[party] & ~same.any(axis=0)
        result.append(tuple(quiz.statements[s].id for s in np.flatnonzero(alone)))
    return tuple(result)


def confidence_mix(quiz: Quiz, party: Party) -> dict[str, int]:
    """How many stated positions carry evidence of each confidence (``none``: no evidence)."""
    mix = dict.fromkeys((*CONFIDENCES, "none"), 0)
    for statement in quiz.statements:
        if party.positions.get(statement.id) is None:
            continue
        evidence = party.evidence.get(statement.id)
        level = evidence.confidence if evidence is not None else "none"
        mix[level if level in mix else "none"] += 1
    return mix


def distance_matrix(quiz: Quiz, positions: FloatArray,
                    weights: FloatArray) -> tuple[FloatArray, np.ndarray]:
    """(P, P) distances in [0, 1] (NaN: no statement in common) and the shared counts.

    Row i is ``1 − score/100`` for a voter answering exactly as party i (no importance),
    scored with ``cityblock`` and ``exclude``: ``Σ w |a − b| / (2 Σ w)`` over the
    weighted statements both parties take a position on. It is symmetric.
    """
    count = positions.shape[0]
    if count == 0 or positions.shape[1] == 0:
        return np.full((count, count), np.nan), np.zeros((count, count), dtype=np.int64)
    flags = np.zeros(positions.shape, dtype=np.bool_)
    scores = score_batch(positions, flags, positions, weights, scale=quiz.scale,
                         method="cityblock", missing="exclude", importance_multiplier=1.0)
    stated = (~np.isnan(positions) & (weights > 0)).astype(np.int64)
    return 1.0 - scores / 100.0, stated @ stated.T
