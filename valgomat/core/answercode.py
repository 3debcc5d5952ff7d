"""The compact, URL-safe form of a voter's answers (share links, step URLs).

One character per statement, in quiz order, so the server never has to keep a
voter's answers anywhere: they travel in the URL and nowhere else.

    ``.``  not answered yet (trailing dots are dropped)
    ``s``  skipped
    ``a``… the scale's values in ascending order (scale 5: a=-2 … e=+2;
           ``Scale.letters``)
    ``A``… the same, marked "important to me" (``Scale.important_letters``)

A code is only meaningful with the quiz version it was made on; links carry both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from valgomat.core.model import SCALES

UNANSWERED = "."
SKIPPED = "s"


class BadAnswerCode(ValueError):
    """The code does not fit the quiz (tampered, truncated or for another version)."""


@dataclass(frozen=True)
class Answers:
    """What a voter said so far: statement id → value (None = skipped); important ids."""

    values: Mapping[str, int | None] = field(default_factory=dict)
    important: frozenset[str] = frozenset()

    def answered(self, statement_id: str) -> bool:
        return statement_id in self.values

    def with_answer(self, statement_id: str, value: int | None,
                    important: bool) -> Answers:
        values = {**self.values, statement_id: value}
        marks = (self.important | {statement_id}) if important and value is not None \
            else self.important - {statement_id}
        return Answers(values, frozenset(marks))


def encode(answers: Answers, statement_ids: list[str], scale: int) -> str:
    levels = SCALES[scale]
    lower, upper = levels.letters, levels.important_letters
    chars = []
    for sid in statement_ids:
        if sid not in answers.values:
            chars.append(UNANSWERED)
        elif (value := answers.values[sid]) is None:
            chars.append(SKIPPED)
        else:
            letters = upper if sid in answers.important else lower
            chars.append(letters[levels.values.index(value)])
    return "".join(chars).rstrip(UNANSWERED)


def decode(code: str, statement_ids: list[str], scale: int) -> Answers:
    levels = SCALES[scale]
    lower, upper = levels.letters, levels.important_letters
    if len(code) > len(statement_ids):
        raise BadAnswerCode(f"The answer code has {len(code)} answers; the quiz has "
                            f"{len(statement_ids)} statements.")
    values: dict[str, int | None] = {}
    important: set[str] = set()
    for position, (char, sid) in enumerate(zip(code, statement_ids, strict=False), start=1):
        if char == UNANSWERED:
            continue
        if char == SKIPPED:
            values[sid] = None
            continue
        index = lower.find(char)
        if index < 0 and (index := upper.find(char)) >= 0:
            important.add(sid)
        if index < 0:
            raise BadAnswerCode(f"Answer {position} ('{char}') is not on the quiz's scale.")
        values[sid] = levels.values[index]
    return Answers(values, frozenset(important))
