"""The statement steps on a phone and the review, in a real browser: a whole step fits
390 × 700 without scrolling, each new statement starts at the top with the focus on it,
a change from the review comes back to it; screenshots in nb and de."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from voter_plans import QUIZ, answer_code, voter_plan

#: About 200 characters, the longest statement a step must fit with its options.
LONG_STATEMENT = ("Kommunen bør bygge flere kommunale utleieboliger for unge og for familier med "
                  "lave inntekter, også om det betyr høyere eiendomsskatt eller at andre "
                  "investeringer i skoler og veier må vente noen år.")
SCREENSHOT_VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}

BOTTOMS = """() => ["topic", "statement", "important"].map((id) => document.getElementById(id))
  .concat(Array.from(document.querySelectorAll("#options button, button[value=skip]")))
  .map((node) => { const box = node.getBoundingClientRect();
                   return [node.id || node.textContent.trim(), box.top, box.bottom]; })"""


@pytest.mark.parametrize("lang", ["nb", "de", "en"])
def test_a_whole_step_fits_a_phone_without_scrolling(browser: Any, live_server: str,
                                                     quiz_data: dict[str, Any],
                                                     lang: str) -> None:
    """Topic, a 200-character statement, "Important to me", every option and Skip are
    within 390 × 700 at the top of the page."""
    assert len(LONG_STATEMENT) >= 195
    context = browser.new_context(viewport={"width": 390, "height": 700})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/{lang}/{QUIZ}/1?v={quiz_data['version']}")
        page.evaluate("(text) => { document.getElementById('statement').textContent = text; }",
                      LONG_STATEMENT)
        boxes = page.evaluate(BOTTOMS)
        assert page.evaluate("window.scrollY") == 0
        assert len(boxes) == 3 + len(quiz_data["scale"]["values"]) + 1
        outside = [(name, top, bottom) for name, top, bottom in boxes
                   if top < 0 or bottom > 700]
        assert outside == [], boxes
    finally:
        context.close()


def test_each_new_statement_starts_at_the_top_with_the_focus_on_it(
        browser: Any, live_server: str, quiz_data: dict[str, Any], expect: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/en/{QUIZ}/1?v={quiz_data['version']}")
        page.wait_for_load_state("load")
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some((e) => e.name.includes('statements.json'))")
        button = page.get_by_role("button", name="Agree", exact=True)
        button.scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        button.click()
        expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/2\?v=\d+&a=d$"))
        expect(page.locator("#progress-number")).to_have_text("2")
        assert page.evaluate("window.scrollY") == 0
        assert page.evaluate("document.activeElement.id") == "statement"
        expect(page.locator("#statement")).to_have_text(quiz_data["statements"][1]["text"]["en"])
        expect(page.locator("#progress")).to_be_in_viewport()
        described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
        assert described == "progress-text"
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_change_from_the_review_comes_back_to_it(browser: Any, live_server: str,
                                                   quiz_data: dict[str, Any], expect: Any,
                                                   javascript: bool) -> None:
    total = len(quiz_data["statements"])
    code = "e" * total
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/en/{QUIZ}/review?v={quiz_data['version']}&a={code}")
        row = page.locator("#review-3")
        expect(row).to_contain_text("Your answer: Strongly agree")
        row.get_by_role("link", name="Mark as important").click()
        expect(page.locator("#review-3")).to_contain_text("Strongly agree · important")
        page.locator("#review-3").get_by_role(
            "link", name="Change your answer to statement 3", exact=True).click()
        expect(page.get_by_text("after it you return to your answers")).to_be_visible()
        expect(page.get_by_role("checkbox", name="Important to me")).to_be_checked()
        page.get_by_role("checkbox", name="Important to me").set_checked(False)
        page.get_by_role("button", name="Disagree", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/review\?.*#review-3$"))
        expect(page.locator("#review-3")).to_contain_text("Your answer: Disagree")
        expect(page.locator("#review-3")).not_to_contain_text("· important")
        page.get_by_role("link", name="Continue", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/parties\?v=\d+&a=eeb"))
    finally:
        context.close()


def test_back_to_result_changes_nothing(browser: Any, live_server: str,
                                       quiz_data: dict[str, Any], expect: Any) -> None:
    code = answer_code(voter_plan(len(quiz_data["statements"])))
    result = f"{live_server}/en/{QUIZ}/result?v={quiz_data['version']}&a={code}"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_server}/en/{QUIZ}/2?v={quiz_data['version']}&a={code}&r=1")
        expect(page.get_by_text("after it you return to your result")).to_be_visible()
        page.get_by_role("checkbox", name="Important to me").check()
        page.get_by_role("link", name="Back to result", exact=True).click()
        expect(page).to_have_url(result)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(SCREENSHOT_VIEWPORTS))
@pytest.mark.parametrize("lang", ["nb", "de"])
def test_step_screenshots(browser: Any, live_server: str, quiz_data: dict[str, Any],
                          build_dir: Path, lang: str, viewport: str) -> None:
    """A step, a change from the result and the review (build/e2e/screenshots/)."""
    width, height = SCREENSHOT_VIEWPORTS[viewport]
    folder = build_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    code = answer_code(voter_plan(len(quiz_data["statements"])))
    base = f"{live_server}/{lang}/{QUIZ}"
    version = quiz_data["version"]
    pages = {"step": f"{base}/1?v={version}", "step-answered": f"{base}/3?v={version}&a={code}",
             "change": f"{base}/2?v={version}&a={code}&r=1",
             "review": f"{base}/review?v={version}&a={code}"}
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        for name, url in pages.items():
            page.goto(url)
            page.screenshot(path=str(folder / f"steps-{lang}-{viewport}-{name}.png"),
                            full_page=name == "review")
    finally:
        context.close()
    assert len(list(folder.glob(f"steps-{lang}-{viewport}-*.png"))) == len(pages)
