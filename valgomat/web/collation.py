"""Lists sorted by the language's alphabet (ICU's collation, the CLDR's rules).

Code points put "Ærø" before "Aalborg" and "Zürich" after "Zwickau"; the language's
own order puts Æ, Ø, Å last in Norwegian and Danish, Å, Ä, Ö last in Swedish and Ä
with A in German. Names are compared by what is shown, and equal names keep their
order (Python's sort is stable). Numbers within names count as numbers ("Liste 2"
before "Liste 10").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu

Item = TypeVar("Item")


@lru_cache(maxsize=16)
def _collator(language: str) -> icu.Collator:
    # A collator is only read after it is made (getSortKey is const in ICU), so one
    # per language serves every thread.
    collator = icu.Collator.createInstance(icu.Locale(language))
    collator.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return collator


def sort_key(language: str) -> Callable[[str], bytes]:
    """The key that orders texts as ``language``'s alphabet does."""
    return _collator(language).getSortKey


def collated(items: Iterable[Item], name: Callable[[Item], str], language: str) -> list[Item]:
    """``items`` in the alphabetical order of their ``name`` in ``language``."""
    key = sort_key(language)
    return sorted(items, key=lambda item: key(name(item)))
