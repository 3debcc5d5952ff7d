"""Template output rendered once, with holes where each request's own values go.

A macro is called with slot markers in place of the values that differ per request,
and its output is cut at them; filling the stencil is then a string join, with none
of the template's work (escaping, attribute look-ups, translations). For markup
repeated hundreds of times per page, such as the result page's "Why?" rows, that is
most of the page's time.

The values are put in as they are: markup, or text with nothing to escape (escape
it first otherwise). A marker is markup (``<slot name>``), so it passes ``{{ }}``
unchanged and escaped content can never look like one.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Sequence

from markupsafe import Markup

SLOT = re.compile(r"<slot (\w+)>")
CHANGED_SLOT = re.compile(r"<slot\b", re.IGNORECASE)  # a marker a filter changed


def slot(name: str) -> Markup:
    """The marker to call a macro with where the value ``name`` goes."""
    return Markup(f"<slot {name}>")


def slots(*names: str) -> dict[str, Markup]:
    """The markers by name: a macro given the dict reads them as ``row.url`` and so on."""
    return {name: slot(name) for name in names}


class Stencil:
    """One rendered output cut at its slots; ``names``: the values' order in ``fill``."""

    __slots__ = ("parts", "pick")

    def __init__(self, rendered: str, names: Sequence[str]) -> None:
        pieces = SLOT.split(str(rendered))
        unknown = set(pieces[1::2]) - set(names)
        if unknown:
            raise ValueError(f"slots {sorted(unknown)} are not among {list(names)}")
        if any(CHANGED_SLOT.search(piece) for piece in pieces[0::2]):
            raise ValueError("a slot marker was changed in the template (a filter on it?)")
        self.parts = ["" if odd else piece  # the slots' places: "" until filled
                      for odd, piece in zip(itertools.cycle((False, True)), pieces)]
        order = [names.index(name) for name in pieces[1::2]]
        # The values for the slots, in the output's order: one C call for two or more.
        self.pick: Callable[[Sequence[str]], Sequence[str]]
        if len(order) > 1:
            self.pick = operator.itemgetter(*order)
        else:
            self.pick = lambda values: [values[index] for index in order]

    def fill(self, *values: str) -> str:
        """The markup with the values in its slots, as text (a caller joining many
        marks the whole as ``Markup`` once)."""
        parts = self.parts.copy()
        parts[1::2] = self.pick(values)
        return "".join(parts)
