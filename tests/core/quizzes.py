"""Small in-memory quizzes for the core tests (no Flask, no database)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from valgomat.core.model import Party, Program, Quiz, Statement, Topic


def make_quiz(parties: Mapping[str, Mapping[str, int | None]], *, scale: int = 5,
              method: str = "cityblock", missing: str = "neutral",
              importance_multiplier: float = 2.0, weights: Mapping[str, float] | None = None,
              topics: Mapping[str, str] | None = None, statements: Sequence[str] | None = None,
              extra_topics: Sequence[str] = ()) -> Quiz:
    """A quiz whose parties are named by their keys (id = name lower-cased).

    ``statements`` defaults to the statement ids used by the first party, in order;
    ``topics`` maps statement id -> topic id (default: all in topic "t").
    """
    ids = list(statements) if statements is not None else list(next(iter(parties.values())))
    weights = weights or {}
    topic_of = topics or {}
    topic_ids = list(dict.fromkeys([topic_of.get(sid, "t") for sid in ids] + list(extra_topics)))
    return Quiz(
        slug="test", title={"en": "Test"}, languages=("en",), scale=scale, method=method,
        missing=missing, importance_multiplier=importance_multiplier,
        topics=tuple(Topic(t, {"en": t.title()}) for t in topic_ids),
        statements=tuple(Statement(sid, topic_of.get(sid, "t"), {"en": sid},
                                   weight=weights.get(sid, 1.0), order=i)
                         for i, sid in enumerate(ids)),
        parties=tuple(Party(name.lower(), name, name[:3], "#000000", Program(name),
                            dict(positions)) for name, positions in parties.items()),
    )
