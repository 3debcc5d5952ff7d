"""The answer scales: every rule about a scale's values, in one place.

A quiz names its scale by its number of points (3, 4 or 5). Its :class:`Scale`
says which values voters and parties can give, how they are normalised (divided
by ``top``), which letters stand for them in answer codes, which code each value
has in the scoring tables, and which word (a key of ``WORDS``) names each value.
The pages, the editor, the audit, the JSON the scripts read and the answer codes
all take these from here, so adding a scale is one line in ``SCALES`` (and, for a
word not yet in ``WORDS``, its label in each place that shows words).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import overload

# Word keys and their English text (the editor and the audit show these; the voter
# pages translate them, keeping the English as the message id).
WORDS: Mapping[str, str] = MappingProxyType({
    "strongly_disagree": "Strongly disagree",
    "disagree": "Disagree",
    "somewhat_disagree": "Somewhat disagree",
    "neutral": "Neutral",
    "somewhat_agree": "Somewhat agree",
    "agree": "Agree",
    "strongly_agree": "Strongly agree",
})
# The scoring tables give each answer a 4-bit code: the level (0 = skipped, then
# value + top + 1) in the low LEVEL_BITS bits, "important" in the next bit.
LEVEL_BITS = 3
# Answer-code letters, in the order of the scale's values; "s" means skipped, so the
# alphabet stops before it. 3 level bits allow 7 values (-3..3), so 7 letters suffice.
LETTERS = "abcdefg"


@dataclass(frozen=True)
class Scale(Sequence[int]):
    """One answer scale: its values in ascending order (a scale is a sequence of
    them) and the word key of each. The values are the integers from ``-top`` to
    ``top``, with or without 0; anything else is refused here, when the scale is made."""

    values: tuple[int, ...]
    words: tuple[str, ...]

    def __post_init__(self) -> None:
        top = max((abs(v) for v in self.values), default=0)
        whole = tuple(range(-top, top + 1))
        if top < 1 or self.values not in (whole, tuple(v for v in whole if v)):
            raise ValueError(f"scale values {self.values} are not the integers from "
                             f"-{top} to {top}, with or without 0")
        if len(self.values) > len(LETTERS) or 2 * top + 1 >= 1 << LEVEL_BITS:
            raise ValueError(f"a scale of {len(self.values)} values does not fit the answer "
                             f"codes ({len(LETTERS)} letters, {LEVEL_BITS} level bits)")
        if len(self.words) != len(self.values) or len(set(self.words)) != len(self.words):
            raise ValueError(f"scale {self.values} needs one distinct word per value")
        unknown = [word for word in self.words if word not in WORDS]
        if unknown:
            raise ValueError(f"unknown scale words {unknown}; known: {list(WORDS)}")

    @property
    def points(self) -> int:
        return len(self.values)

    @property
    def top(self) -> int:
        """The largest absolute value: every value is divided by it (into [-1, 1])."""
        return self.values[-1]

    @property
    def neutral(self) -> bool:
        """Whether 0 (neutral) is a value (the 4-point scale has none)."""
        return 0 in self.values

    @property
    def letters(self) -> str:
        """The answer-code letter of each value (``letters[i]`` is ``values[i]``)."""
        return LETTERS[:len(self.values)]

    @property
    def important_letters(self) -> str:
        """The same letters for answers marked "important to me"."""
        return self.letters.upper()

    @property
    def level_codes(self) -> tuple[int, ...]:
        """Each value's level code in the scoring tables (1..2·top+1; 0 is skipped)."""
        return tuple(self.level_code(value) for value in self.values)

    def level_code(self, value: int) -> int:
        return value + self.top + 1

    def word(self, value: int) -> str:
        """The word key of a value of this scale."""
        return self.words[self.values.index(value)]

    def to_dict(self) -> dict[str, object]:
        """The scale in the quiz's JSON document: all the scripts know of it."""
        return {"values": list(self.values), "top": self.top, "letters": self.letters,
                "important_letters": self.important_letters, "words": list(self.words)}

    def descending(self) -> tuple[int, ...]:
        """The values agree first, as the answer options are listed."""
        return self.values[::-1]

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[int, ...]: ...
    def __getitem__(self, index: int | slice) -> int | tuple[int, ...]:
        return self.values[index]

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[int]:
        return iter(self.values)

    def __contains__(self, value: object) -> bool:
        return value in self.values


_BY_POINTS: dict[int, Scale] = {scale.points: scale for scale in (
    Scale((-1, 0, 1), ("disagree", "neutral", "agree")),
    Scale((-2, -1, 1, 2), ("strongly_disagree", "disagree", "agree", "strongly_agree")),
    Scale((-2, -1, 0, 1, 2),
          ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")),
)}
# The scales a quiz can have, by number of points.
SCALES: Mapping[int, Scale] = MappingProxyType(_BY_POINTS)
