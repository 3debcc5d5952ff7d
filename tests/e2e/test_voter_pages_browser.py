"""Every voter page type in the browser, for the demo and an imported election, in nb and
de at 390 × 844 and 1280 × 900: screenshots (build/e2e/screenshots/walk-*.png), headings
whose words never break, the method page's tables whole; and the defects of issue 17 that
only a browser shows (a hidden "Copy link" without JavaScript, the bars' contrast)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_result_views_browser import big_election
from test_voter_flow import result_url

from tests.big_election import SLUG as IMPORTED
from tests.e2e.conftest import QUIZ
from valgomat.core.colour import contrast

__all__ = ["big_election"]  # the 38 × 38 imported election's server, a fixture

SIZES = ((390, 844), (1280, 900))
IMPORTED_ANSWERS = "v=1&a=" + ("abcAsBCa" * 5)[:38]

#: Each word of a heading (h1–h3) that the browser laid out on more than one line.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const heading of document.querySelectorAll('h1, h2, h3')) {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\u2010-\u2015-]+/g)) {  // a dash may end a line
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set(Array.from(range.getClientRects())
          .filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(heading.tagName + ' ' + word[0]);
      }
    }
  }
  return broken;
}"""

#: What the method page's tables hide: the worked example must fit (the next paragraph
#: computes with its every column); another table may scroll, but only in a focusable,
#: labelled region that holds every column, inside the window.
CUT_CELLS = """() => Array.from(document.querySelectorAll('.scroll')).flatMap(region => {
  const box = region.getBoundingClientRect(), label = region.getAttribute('aria-labelledby');
  const scrolls = region.scrollWidth > region.clientWidth;
  const problems = [];
  if (box.left < 0 || box.right > window.innerWidth) problems.push(label + ' outside the window');
  if (scrolls && label === 'example-heading') problems.push('the worked example scrolls');
  if (scrolls && (region.tabIndex !== 0 || region.getAttribute('role') !== 'region'
      || !document.getElementById(label) || getComputedStyle(region).overflowX !== 'auto')) {
    problems.push(label + ' scrolls, but not in a focusable, labelled region');
  }
  for (const cell of region.querySelectorAll('th, td')) {
    const edge = cell.getBoundingClientRect();
    if (edge.left < box.left - 1 || edge.right > box.left + region.scrollWidth + 1) {
      problems.push(label + ' cuts ' + cell.innerText);
    }
  }
  return problems;
})"""

#: Each bar's outline and its track's fill, as the browser computed them.
BAR_EDGES = """() => Array.from(document.querySelectorAll('svg.bar')).filter(bar =>
    bar.querySelector('rect:not(.track)')).map(bar => {
  const fill = getComputedStyle(bar.querySelector('rect:not(.track)'));
  return {stroke: fill.stroke, width: parseFloat(fill.strokeWidth),
          track: getComputedStyle(bar.querySelector('.track')).fill};
})"""


def hex_colour(css: str) -> str:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def demo_pages(base: str, quiz: dict[str, Any], lang: str) -> dict[str, str]:
    result = result_url(base, quiz, lang)
    answers = result.split("?", 1)[1]
    party = quiz["parties"][0]["id"]
    quiz_url = f"{base}/{lang}/{QUIZ}"
    return {"start": f"{base}/{lang}/", "intro": f"{quiz_url}/",
            "step": f"{quiz_url}/1?v={quiz['version']}", "review": f"{quiz_url}/review?{answers}",
            "parties": f"{quiz_url}/parties?{answers}", "result": result,
            "compare": f"{quiz_url}/compare?{answers}",
            "party": f"{quiz_url}/party/{party}?{answers}",
            "method": f"{base}/{lang}/method", "quiz-method": f"{quiz_url}/method",
            "program": f"{quiz_url}/programs/{party}",
            "error-404": f"{base}/{lang}/no-such-quiz/",
            "error-400": f"{quiz_url}/result?v={quiz['version']}&a=%21%21"}


def imported_pages(base: str, lang: str) -> dict[str, str]:
    quiz_url = f"{base}/{lang}/{IMPORTED}"
    return {"start": f"{base}/{lang}/", "intro": f"{quiz_url}/", "step": f"{quiz_url}/1?v=1",
            "review": f"{quiz_url}/review?{IMPORTED_ANSWERS}",
            "parties": f"{quiz_url}/parties?{IMPORTED_ANSWERS}",
            "result": f"{quiz_url}/result?{IMPORTED_ANSWERS}",
            "compare": f"{quiz_url}/compare?{IMPORTED_ANSWERS}",
            "party": f"{quiz_url}/party/partei-1?{IMPORTED_ANSWERS}",
            "quiz-method": f"{quiz_url}/method",
            "error-404": f"{base}/{lang}/no-such-quiz/",
            "error-400": f"{quiz_url}/result?v=1&a=%21%21"}


@pytest.fixture()
def walk(browser: Any, build_dir: Path) -> Iterator[Any]:
    """Visit each page at each size; screenshot it; return what went wrong, by page."""
    folder = build_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    def visit(name: str, pages: dict[str, str]) -> list[str]:
        for width, height in SIZES:
            context = browser.new_context(viewport={"width": width, "height": height})
            try:
                page = context.new_page()
                for number, (kind, url) in enumerate(pages.items(), start=1):
                    reply = page.goto(url)
                    expected = int(kind[-3:]) if kind.startswith("error-") else 200
                    where = f"{name} {kind} {width}x{height}"
                    if reply is None or reply.status != expected:
                        problems.append(f"{where}: status {reply and reply.status}")
                    page.screenshot(path=str(folder / f"walk-{name}-{width}x{height}-"
                                             f"{number:02}-{kind}.png"), full_page=True)
                    problems.extend(f"{where}: broken {word}"
                                    for word in page.evaluate(BROKEN_WORDS))
                    problems.extend(f"{where}: {cut}" for cut in page.evaluate(CUT_CELLS))
            finally:
                context.close()
        return problems

    yield visit


def test_every_page_type_in_nb_and_de(walk: Any, live_server: str, quiz_data: dict[str, Any],
                                      big_election: str) -> None:
    """Headings keep their words whole, the method's tables fit (also at 390 px), every
    page answers as it should; the screenshots are for people to look at."""
    for lang in ("nb", "de"):
        walk(f"demo-{lang}", demo_pages(live_server, quiz_data, lang))
        problems = walk(f"imported-{lang}", imported_pages(big_election, lang))
    assert problems == [], "\n".join(problems)


def test_copy_link_is_hidden_without_javascript(browser: Any, live_server: str,
                                                quiz_data: dict[str, Any], expect: Any) -> None:
    for scripts in (False, True):
        context = browser.new_context(java_script_enabled=scripts)
        try:
            page = context.new_page()
            page.goto(result_url(live_server, quiz_data))
            button = page.get_by_role("button", name="Copy link")
            if scripts:
                expect(button).to_be_visible()
            else:
                expect(page.locator("#copy-link")).to_be_hidden()
        finally:
            context.close()


def test_every_bar_stands_out_from_its_track(browser: Any, live_server: str,
                                             quiz_data: dict[str, Any]) -> None:
    """WCAG 1.4.11: at least 3:1 between a bar's edge and its track, whatever its colour."""
    page = browser.new_page()
    try:
        page.goto(result_url(live_server, quiz_data, "nb"))
        edges = page.evaluate(BAR_EDGES)
    finally:
        page.close()
    assert len(edges) >= len(quiz_data["parties"])
    for edge in edges:
        assert edge["stroke"] != "none" and edge["width"] >= 1, edge
        assert contrast(hex_colour(edge["stroke"]), hex_colour(edge["track"])) >= 3, edge
