"""A new voter takes the whole quiz in a real browser, with and without JavaScript.

The result page must agree with the JSON API for the same answers (ranking,
percentages, coverage, near-ties and reasons); changing an answer from the result
and opening the share link must keep agreeing with it.
The JavaScript run also measures the page weight of the whole flow, and every
run checks that no request leaves the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from voter_plans import (
    QUIZ,
    Choice,
    answer,
    answer_code,
    api_match,
    api_ranking,
    api_scores,
    expect_notes,
    expect_preselected,
    follow_first_party,
    read_ranking,
    review_and_continue,
    voter_plan,
)

# Compressed, start page to result. The light result page (issue 17: each party's table
# on its own page) took the flow from 37,037 bytes back to about 27,000.
PAGE_WEIGHT_BUDGET = 35 * 1024
# Without JavaScript every step is a page of its own (issue 17): the demo's whole flow.
NO_SCRIPT_WEIGHT_BUDGET = 150 * 1024
VIEWPORTS = {"phone": (375, 800), "desktop": (1280, 900)}


# -- driving the quiz ------------------------------------------------------------------

def open_quiz(page: Any, base: str, quiz: dict[str, Any], expect: Any) -> None:
    """From the start page, as a voter: the quiz link, then "Start"."""
    page.goto(f"{base}/en/")
    page.get_by_role("link", name=quiz["title"]["en"], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/(\?.*)?$"))
    page.get_by_role("link", name="Start", exact=True).click()


def expect_step(page: Any, expect: Any, quiz: dict[str, Any], number: int) -> None:
    expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/{number}(\?|$)"))
    expect(page.locator("legend")).to_contain_text(quiz["statements"][number - 1]["text"]["en"])
    expect(page).to_have_title(re.compile(rf"^{number} / {len(quiz['statements'])} "))



def answer_all(page: Any, expect: Any, quiz: dict[str, Any], plan: list[Choice], back_at: int,
               before_last: Callable[[], None] | None = None) -> None:
    """Answer every statement by the plan, one tap each; after answering ``back_at``, go
    Back once, check that answer is preselected and give it again. The review follows."""
    total = len(quiz["statements"])
    for number in range(1, total + 1):
        expect_step(page, expect, quiz, number)
        if number == back_at + 1:
            page.get_by_role("link", name="Back", exact=True).click()
            expect_step(page, expect, quiz, back_at)
            expect_preselected(page, expect, plan[back_at - 1])
            answer(page, plan[back_at - 1])
            expect_step(page, expect, quiz, number)
        if number == total and before_last:
            before_last()
        answer(page, plan[number - 1])
    review_and_continue(page, expect, quiz, plan)


def show_results(page: Any, expect: Any, quiz: dict[str, Any]) -> None:
    """The party step: every party ticked; change nothing and show the results."""
    expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/parties\?"))
    for party in quiz["parties"]:
        expect(page.get_by_role("checkbox", name=party["short_name"], exact=True)).to_be_checked()
    page.get_by_role("button", name="Show results", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/result\?"))


def back_target(plan: list[Choice]) -> int:
    """A statement (1-based) answered as important, to go Back to."""
    return next(n for n, c in enumerate(plan, start=1) if n > 2 and c.important and c.label)


def change_target(quiz: dict[str, Any], plan: list[Choice]) -> tuple[int, Choice]:
    """A statement answered at one end of the scale on which some party stands at an end,
    and the answer at the other end: a change that must move the scores."""
    for number, (statement, choice) in enumerate(zip(quiz["statements"], plan, strict=True),
                                                 start=1):
        positions = {p["positions"].get(statement["id"]) for p in quiz["parties"]}
        if choice.value in (2, -2) and positions & {2, -2}:
            other = "Strongly disagree" if choice.value == 2 else "Strongly agree"
            return number, Choice(other, important=not choice.important)
    raise AssertionError("no statement to change in the plan")


# -- the whole flow ----------------------------------------------------------------------

@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_take_the_whole_quiz(browser: Any, live_server: str, quiz_data: dict[str, Any],
                             expect: Any, build_dir: Path, javascript: bool) -> None:
    plan = voter_plan(len(quiz_data["statements"]), seed=0 if javascript else 2)
    back_at = back_target(plan)
    context = browser.new_context(java_script_enabled=javascript)
    requests: list[str] = []
    responses: list[Any] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    loads: list[str] = []
    documents: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document"
            else None)
    steps_start: dict[str, int] = {}

    def mark_before_last() -> None:
        steps_start["loads_end"], steps_start["docs_end"] = len(loads), len(documents)

    try:
        open_quiz(page, live_server, quiz_data, expect)
        expect_step(page, expect, quiz_data, 1)
        page.wait_for_load_state("load")  # quiz.js (deferred) has run; step 1 counted
        steps_start["loads"], steps_start["docs"] = len(loads), len(documents)
        answer_all(page, expect, quiz_data, plan, back_at, before_last=mark_before_last)
        show_results(page, expect, quiz_data)
        expected = api_ranking(live_server, quiz_data, plan)
        assert read_ranking(page, quiz_data) == expected
        assert len(expected) == len(quiz_data["parties"])
        expect_notes(page, expect, quiz_data, api_match(live_server, quiz_data, plan))

        if javascript:
            # The statements change in place: no page load between the first and the
            # last statement, however many answers, Skips and Backs.
            assert loads[steps_start["loads"]:steps_start["loads_end"]] == []
            assert documents[steps_start["docs"]:steps_start["docs_end"]] == []
            # Everything the voter's browser fetched from the start page to the result.
            weight = page_weight(responses, live_server)
            print("\nPage weight, start page to result (JavaScript on):\n" + weight.table)
            (build_dir / "page-weight.txt").write_text(weight.table + "\n", encoding="utf-8")
        else:
            weight = page_weight(responses, live_server, NO_SCRIPT_WEIGHT_BUDGET)
            print("\nPage weight, start page to result (JavaScript off):\n" + weight.table)
            (build_dir / "page-weight-no-js.txt").write_text(weight.table + "\n",
                                                             encoding="utf-8")
            assert weight.total < NO_SCRIPT_WEIGHT_BUDGET, weight.table

        # Change an answer from the first party's page, which the result links to.
        number, new_choice = change_target(quiz_data, plan)
        first = page.locator("ol").first.locator(":scope > li").first
        first.locator(".party-link a").click()
        page.get_by_role("link", name=f"Change your answer to statement {number}",
                         exact=True).click()
        expect_step(page, expect, quiz_data, number)
        expect_preselected(page, expect, plan[number - 1])
        answer(page, new_choice)
        expect(page).to_have_url(re.compile(rf"/en/{QUIZ}/result\?"))
        changed = [*plan]
        changed[number - 1] = new_choice
        assert api_scores(live_server, quiz_data, changed) != api_scores(
            live_server, quiz_data, plan)
        new_expected = api_ranking(live_server, quiz_data, changed)
        assert new_expected != expected
        ranking = read_ranking(page, quiz_data)
        assert ranking == new_expected

        # The share link reproduces the ranking in a fresh browser.
        share = page.locator("input#share-link").input_value()
        assert share.startswith(live_server) and "/result?" in share
        assert "r" not in parse_qs(urlsplit(share).query)
        fresh = browser.new_context(java_script_enabled=javascript)
        fresh.on("request", lambda request: requests.append(request.url))
        try:
            shared = fresh.new_page()
            shared.goto(share)
            assert read_ranking(shared, quiz_data) == ranking
            expect_notes(shared, expect, quiz_data, api_match(live_server, quiz_data, changed))
            follow_first_party(shared, expect, quiz_data)
        finally:
            fresh.close()
    finally:
        context.close()

    # Privacy: nothing is fetched from anywhere but the site itself.
    assert requests
    elsewhere = [url for url in requests
                 if not url.startswith(live_server + "/") and not url.startswith("data:")]
    assert elsewhere == []


@dataclass(frozen=True)
class PageWeight:
    total: int
    table: str


def page_weight(responses: list[Any], base: str, budget: int = PAGE_WEIGHT_BUDGET) -> PageWeight:
    """Bytes on the wire (response headers + encoded body) per response, and the total."""
    rows = []
    for response in responses:
        request = response.request
        sizes = request.sizes()
        on_the_wire = sizes["responseHeadersSize"] + sizes["responseBodySize"] > 0
        if on_the_wire:  # responses from the browser's cache send no request at all
            assert "accept-encoding" in {k.lower() for k in request.all_headers()}, response.url
        rows.append((sizes["responseHeadersSize"] + sizes["responseBodySize"],
                     response.status, response.headers.get("content-encoding", "-"),
                     response.url.removeprefix(base)))
    total = sum(row[0] for row in rows)
    lines = [f"{'bytes':>7}  {'status':>6}  {'enc':<4}  url"]
    lines += [f"{size:>7}  {status:>6}  {encoding:<4}  {url}"
              for size, status, encoding, url in rows]
    lines.append(f"{total:>7}  total for {len(rows)} responses "
                 f"(budget {budget} bytes = {budget // 1024} KiB)")
    return PageWeight(total, "\n".join(lines))


def test_page_weight_of_the_whole_flow(browser: Any, live_server: str,
                                       quiz_data: dict[str, Any], expect: Any) -> None:
    """From the start page to the result with JavaScript, CSS and script included,
    a voter downloads less than PAGE_WEIGHT_BUDGET (the JavaScript run above writes the table to
    build/e2e/page-weight.txt)."""
    plan = voter_plan(len(quiz_data["statements"]))
    context = browser.new_context()
    responses: list[Any] = []
    context.on("response", lambda response: responses.append(response))
    try:
        page = context.new_page()
        open_quiz(page, live_server, quiz_data, expect)
        answer_all(page, expect, quiz_data, plan, back_target(plan))
        show_results(page, expect, quiz_data)
        weight = page_weight(responses, live_server)
    finally:
        context.close()
    assert weight.total < PAGE_WEIGHT_BUDGET, weight.table


# -- screenshots -----------------------------------------------------------------------

def result_url(base: str, quiz: dict[str, Any], lang: str = "en") -> str:
    code = answer_code(voter_plan(len(quiz["statements"])))
    return f"{base}/{lang}/{QUIZ}/result?v={quiz['version']}&a={code}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_screenshots(browser: Any, live_server: str, quiz_data: dict[str, Any], expect: Any,
                     build_dir: Path, viewport: str) -> None:
    """Every page type, full page, at phone and desktop width (build/e2e/screenshots/)."""
    width, height = VIEWPORTS[viewport]
    folder = build_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    version = quiz_data["version"]

    def shot(name: str) -> None:
        page.screenshot(path=str(folder / f"{viewport}-{name}.png"), full_page=True)

    try:
        page.goto(f"{live_server}/en/")
        shot("01-start")
        page.goto(f"{live_server}/en/{QUIZ}/")
        shot("02-intro")
        page.goto(f"{live_server}/en/{QUIZ}/1?v={version}")
        page.get_by_text("What does this mean?").click()
        shot("03-step")
        page.goto(f"{live_server}/en/{QUIZ}/review?v={version}&a=eDsc")
        shot("04-review")
        page.goto(f"{live_server}/en/{QUIZ}/parties?v={version}&a=eDsc")
        shot("05-parties")
        page.goto(result_url(live_server, quiz_data))
        shot("06-result")
        page.goto(f"{live_server}/en/method")
        shot("07-method")
        page.goto(f"{live_server}/en/no-such-quiz/")
        shot("08-not-found")
    finally:
        context.close()
    assert len(list(folder.glob(f"{viewport}-*.png"))) == 8


# -- keyboard ----------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const label = el.closest('label');
  return {tag: el.tagName.toLowerCase(), type: el.type || '', text: (el.innerText || '').trim(),
          label: label ? label.innerText.trim() : '', lang: el.getAttribute('hreflang') || '',
          cls: el.className || '', outline: style.outlineStyle,
          optionOutline: el.closest('.option') ?
            getComputedStyle(el.closest('.option')).outlineStyle : ''};
}"""


def describe(focused: dict[str, str]) -> str:
    if "skip-link" in focused["cls"]:
        return "skip-link"
    if focused["lang"]:
        return f"language:{focused['lang']}"
    if focused["tag"] == "summary":
        return "disclosure"
    if focused["type"] == "checkbox":
        return f"checkbox:{focused['label']}"
    if focused["type"] == "radio":
        return "radio"
    if focused["tag"] == "button":
        return f"button:{focused['text']}"
    return f"{focused['tag']}:{focused['text']}"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_keyboard_reaches_every_control_in_order(browser: Any, live_server: str,
                                                 quiz_data: dict[str, Any], expect: Any,
                                                 javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/en/{QUIZ}/1?v={quiz_data['version']}")
        seen: list[str] = []
        for _ in range(30):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            name = describe(focused)
            visible = focused["outline"] != "none" or focused["optionOutline"] != "none"
            assert visible, f"no visible focus outline on {name}: {focused}"
            seen.append(name)
            if name == "button:Skip":
                break
        print(f"\nTab order on a statement step ({'with' if javascript else 'without'} JS): "
              + " → ".join(seen))
        wanted = ["skip-link", "language:nb", "language:sv", "language:en", "disclosure",
                  "checkbox:Important to me", "button:Strongly agree", "button:Agree",
                  "button:Neutral", "button:Disagree", "button:Strongly disagree",
                  "button:Skip"]
        positions = [seen.index(item) if item in seen else -1 for item in wanted]
        assert -1 not in positions and positions == sorted(positions), seen
        # Enter in the checkbox answers nothing; Enter on an answer's button answers.
        page.get_by_role("checkbox", name="Important to me", exact=True).focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        expect(page).not_to_have_url(re.compile(rf"/{QUIZ}/2\?"))
        expect(page.locator("legend")).to_contain_text(quiz_data["statements"][0]["text"]["en"])
        page.get_by_role("button", name="Agree", exact=True).focus()
        page.keyboard.press("Enter")
        expect_step(page, expect, quiz_data, 2)
    finally:
        context.close()
