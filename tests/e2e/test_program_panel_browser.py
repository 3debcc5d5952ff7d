"""An editor fills a position's evidence from the program panel: text selected in the
program becomes the quote, its heading the source, and the saved quote passes the
quote check (issue 16, item 2b)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import BLOCKING, describe, run_axe
from voter_plans import editor_log_in

from tests.e2e.conftest import served_newsroom

EDITOR, PASSWORD = "editor@newsroom.example", "correct horse battery staple"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_newsroom(tmp_path_factory.mktemp("panel-db"), EDITOR, PASSWORD, "editor") as url:
        yield url


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_selected_program_text_becomes_the_quote(browser: Any, newsroom: str,
                                                 expect: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    editor_log_in(page, expect, newsroom, EDITOR, PASSWORD)
    page.goto(f"{newsroom}/editor/quizzes/lokalvalg/grid")
    gap = page.locator("td.gap a[aria-label^='PS (Asker) on']").first
    label = gap.get_attribute("aria-label") or ""
    statement = label.removeprefix("PS (Asker) on ").split(":")[0]
    gap.click()
    expect(page.get_by_role("heading", name=re.compile(r"\d+ passages? for"))).to_be_visible()
    assert "q=" in page.url

    # The first hit's paragraph, selected whole as an editor would with the mouse.
    target = page.locator(".program-hits a[href^='#program-p-']").first.get_attribute("href")
    paragraph = page.locator(str(target))
    expected = collapse(paragraph.inner_text())
    heading = paragraph.get_attribute("data-heading")
    assert expected and heading
    paragraph.evaluate("""p => { const range = document.createRange();
        range.selectNodeContents(p); const s = window.getSelection();
        s.removeAllRanges(); s.addRange(range); }""")
    button = page.get_by_role("button", name="Use selection as quote")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Verbatim quote")).to_have_value(expected)
    expect(page.get_by_label("Source section")).to_have_value(heading)
    expect(page.locator("#program-status")).to_contain_text("Nothing is saved until")

    page.get_by_label("+1 Agree").check()
    page.get_by_label("Confidence").select_option("medium")
    for lang in ("nb", "sv", "en"):
        page.get_by_label(f"Justification ({lang})").fill("Test.")
    page.get_by_role("button", name="Save position").click()
    expect(page.get_by_text(f"Saved PS (Asker) on {statement}.")).to_be_visible()
    page.goto(f"{newsroom}/editor/quizzes/lokalvalg/")
    assert "quote not found" not in page.content()
    context.close()


def test_a_hit_fills_the_form_without_reloading(browser: Any, newsroom: str,
                                                expect: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    editor_log_in(page, expect, newsroom, EDITOR, PASSWORD)
    page.goto(f"{newsroom}/editor/quizzes/lokalvalg/positions/asker-ps/private-schools"
              "?q=privatskoler")
    page.get_by_label("Justification (en)").fill("Typed before choosing.")
    hit = page.get_by_role("button", name="Use this passage").first
    quote, source = hit.get_attribute("data-quote"), hit.get_attribute("data-source")
    hit.click()
    expect(page.get_by_label("Verbatim quote")).to_have_value(str(quote))
    expect(page.get_by_label("Source section")).to_have_value(str(source))
    expect(page.get_by_label("Justification (en)")).to_have_value("Typed before choosing.")
    assert "privatskoler" in str(quote)
    context.close()


def test_panel_and_grid_pass_axe(browser: Any, newsroom: str, expect: Any,
                                 axe_source: Path) -> None:
    context = browser.new_context(bypass_csp=True)  # to inject axe, as for voter pages
    page = context.new_page()
    editor_log_in(page, expect, newsroom, EDITOR, PASSWORD)
    for path in ("positions/asker-ps/private-schools?q=privatskoler", "grid"):
        page.goto(f"{newsroom}/editor/quizzes/lokalvalg/{path}")
        violations = [v for v in run_axe(page, axe_source)["violations"]
                      if v["impact"] in BLOCKING]
        assert violations == [], f"{path}:\n{describe(violations)}"
    context.close()
