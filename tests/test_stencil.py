"""web.stencil: a macro rendered once with slots, filled, is the macro rendered with the values."""

from __future__ import annotations

import pytest
from jinja2 import Environment
from markupsafe import Markup, escape

from valgomat.web.stencil import Stencil, slot, slots

ENV = Environment(autoescape=True)
ROW = ENV.from_string(
    '{% macro row(text, row) %}<tr{% if row.anchor %} id="{{ row.anchor }}"{% endif %}'
    ' class="m-{{ row.kind }}"><td>{{ text }}</td><td>{{ row.answer }}</td>'
    '<td><a href="{{ row.url }}">{{ row.answer }}</a></td></tr>{% endmacro %}').module.row  # type: ignore[attr-defined]
NAMES = ("anchor", "kind", "url", "answer")


@pytest.mark.parametrize("anchor", ["why-1-2", None])
def test_a_filled_stencil_is_the_macro_rendered_with_the_values(anchor: str | None) -> None:
    text = 'Tolls & "fees" <now>'
    values = {"anchor": anchor, "kind": "same", "url": escape("/nb/q/3?v=1&a=ab"),
              "answer": Markup("Agree <em>(important)</em>")}
    markers = {**slots(*NAMES), **({} if anchor else {"anchor": None})}
    stencil = Stencil(ROW(text, markers), NAMES)  # answer twice, url after it
    assert stencil.fill(*(values[name] or "" for name in NAMES)) == ROW(text, values)


def test_one_slot_and_none() -> None:
    assert Stencil(Markup("<ul>") + slot("items") + Markup("</ul>"), ["items"]).fill(
        "<li>1</li>") == "<ul><li>1</li></ul>"
    assert Stencil(Markup("<p>x</p>"), ["items"]).fill("unused") == "<p>x</p>"


def test_escaped_content_never_reads_as_a_slot() -> None:
    rendered = ENV.from_string("<p>{{ text }}</p>").render(text="<slot url>")
    assert Stencil(rendered, ["url"]).fill("/x") == "<p>&lt;slot url&gt;</p>"


@pytest.mark.parametrize("source, error", [
    ("<a href='{{ s.other }}'>", "not among"),
    ("<a href='{{ s.url|upper }}'>", "changed"),
])
def test_a_slot_the_stencil_cannot_fill_is_an_error(source: str, error: str) -> None:
    rendered = ENV.from_string(source).render(s={"other": slot("other"), "url": slot("url")})
    with pytest.raises(ValueError, match=error):
        Stencil(rendered, ["url"])
