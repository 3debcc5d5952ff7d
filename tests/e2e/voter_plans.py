"""A voter's plan taken through the browser, the ranking read off the page, the API's ranking.

Everything here goes through what a voter sees (roles and accessible names) or through
the public JSON API (docs/api.md), never through app internals.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass
from typing import Any

QUIZ = "lokalvalg"
#: English answer labels and their values (docs/method.md, scale 5), agree first.
LABELS = {"Strongly agree": 2, "Agree": 1, "Neutral": 0, "Disagree": -1,
          "Strongly disagree": -2}
PERCENT = re.compile(r"(\d{1,3})\s?%")

Ranking = list[tuple[str, int | None]]


@dataclass(frozen=True)
class Choice:
    """One step: an answer label (``None`` = Skip) and "Important to me"."""

    label: str | None
    important: bool = False

    @property
    def value(self) -> int | None:
        return None if self.label is None else LABELS[self.label]


def voter_plan(count: int, seed: int = 0) -> list[Choice]:
    """A fixed, varied set of answers: every label, some important, a few skipped."""
    labels = list(LABELS)
    plan = []
    for index in range(count):
        if (index + seed) % 7 == 3:
            plan.append(Choice(None))
        else:
            plan.append(Choice(labels[(index * 3 + seed) % 5], important=(index + seed) % 4 == 1))
    return plan


def answer_code(plan: list[Choice]) -> str:
    """The answers as the URL code of share links (scale 5: a=-2 … e=+2, capitals
    important, s skipped), to open a result or party page directly."""
    return "".join("s" if c.value is None else ("ABCDE" if c.important else "abcde")[c.value + 2]
                   for c in plan)


def api_ranking(base: str, quiz: dict[str, Any], plan: list[Choice]) -> Ranking:
    """The ranking ``POST /api/v1/quizzes/{slug}/match`` gives for the same answers,
    as (party display name, whole percent as the API rounds it) pairs."""
    names = {p["id"]: p["name"] for p in quiz["parties"]}
    return [(names[item["party"]], item["percent"])
            for item in api_match(base, quiz, plan)["results"]]


def api_scores(base: str, quiz: dict[str, Any], plan: list[Choice]) -> list[tuple[str, float]]:
    names = {p["id"]: p["name"] for p in quiz["parties"]}
    return [(names[item["party"]], item["score"])
            for item in api_match(base, quiz, plan)["results"]]


def api_match(base: str, quiz: dict[str, Any], plan: list[Choice],
              parties: list[str] | None = None) -> dict[str, Any]:
    """``POST /api/v1/quizzes/{slug}/match`` for these answers (and parties)."""
    statements = [s["id"] for s in quiz["statements"]]
    body: dict[str, Any] = {
        "answers": {sid: choice.value for sid, choice in zip(statements, plan, strict=True)},
        "important": [sid for sid, choice in zip(statements, plan, strict=True)
                      if choice.important and choice.label is not None],
    }
    if parties is not None:
        body["parties"] = parties
    request = urllib.request.Request(
        f"{base}/api/v1/quizzes/{quiz['slug']}/match", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as reply:
        result: dict[str, Any] = json.load(reply)
    return result


#: What the result page says under each party in the ranking (its first ``<ol>``):
#: the near-tie mark, coverage, the "few stated positions" mark, the bar and the
#: reasons as (agree or disagree, the statement's text).
READ_NOTES = """() => Array.from(document.querySelector("ol").children, (li) => {
  const text = (node) => node ? node.textContent.replace(/^[!\\s]+/, "").trim() : null;
  return {
    tied: li.querySelector(".party-line").textContent.includes("(Too close to call)"),
    coverage: text(li.querySelector(".coverage")), few: text(li.querySelector(".few")),
    bar: li.querySelector(":scope > svg.bar") !== null,
    reasons: Array.from(li.querySelectorAll(".reasons > li"), (item) => {
      const said = item.textContent;
      return [item.className, said.slice(said.indexOf("“") + 1, said.lastIndexOf("”"))];
    }),
  };
})"""


def read_notes(page: Any) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = page.evaluate(READ_NOTES)
    return notes


def expect_notes(page: Any, expect: Any, quiz: dict[str, Any], result: dict[str, Any]) -> None:
    """Coverage, near-ties and reasons on the result page as the API's ``result`` says."""
    notes = expected_notes(quiz, result)
    assert read_notes(page) == notes
    tied = sum(note["tied"] for note in notes)
    sentence = page.get_by_text("Too close to call: one different answer could change the "
                                f"order of the first {tied} parties.")
    if tied:
        expect(sentence).to_be_visible()
    else:
        expect(page.get_by_text("Too close to call").filter(visible=True)).to_have_count(0)


def follow_first_party(page: Any, expect: Any, quiz: dict[str, Any]) -> None:
    """The first party's link in the ranking opens its page: its full name, its whole
    table (a row per statement) and the way back to the result."""
    first = page.locator("ol").first.locator(":scope > li").first
    first.locator(".party-link a").click()
    names = [p["name"] for p in quiz["parties"]]
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    assert heading.inner_text() in names
    expect(page.locator("table.comparison tbody tr[id^='st-']")).to_have_count(
        len(quiz["statements"]))
    page.get_by_role("link", name="Back to your result").first.click()
    expect(page.locator("ol.ranking")).to_be_visible()


def follow_first_reason(page: Any, expect: Any) -> None:
    """The first reason on the static export's result leads to its statement's row in
    that party's "Why?" table, which opens to show it."""
    link = page.locator("ol").first.locator(".reasons a").first
    target = link.get_attribute("href").removeprefix("#")
    link.click()
    row = page.locator(f"[id='{target}']")
    expect(row).to_be_visible()
    expect(row).to_be_in_viewport()


def expected_notes(quiz: dict[str, Any], result: dict[str, Any]) -> list[dict[str, Any]]:
    """What the English result page must say under each party, from the API's result."""
    texts = {s["id"]: s["text"]["en"] for s in quiz["statements"]}
    tied = max((rank + 1 for rank, item in enumerate(result["results"])
                if item["close_to_first"]), default=0)
    notes = []
    for rank, item in enumerate(result["results"]):
        stated, answered = item["coverage"]["stated"], item["coverage"]["answered"]
        few = 3 * stated < answered and item["score"] is not None
        notes.append({
            "tied": rank < tied,
            "coverage": (f"Has a stated position on {stated} of your {answered} answer"
                         + ("s" if answered != 1 else "")) if answered else None,
            "few": (f"Few stated positions: this match rests on {stated} statement"
                    + ("s" if stated != 1 else "")) if few else None,
            "bar": item["score"] is not None,
            "reasons": [[kind, texts[sid]]
                        for kind in ("agree", "disagree") for sid in item["reasons"][kind]],
        })
    return notes


def read_ranking(page: Any, quiz: dict[str, Any]) -> Ranking:
    """The result page's ranking: its first ``<ol>``, one item per party, each
    beginning with the party's short or full name and showing its whole percent; as
    (full name, percent) pairs."""
    full = {p[key]: p["name"] for p in quiz["parties"] for key in ("short_name", "name")}
    names = sorted(full, key=len, reverse=True)
    ranking: Ranking = []
    for text in page.locator("ol").first.locator(":scope > li").all_inner_texts():
        text = " ".join(text.split())
        name = next((n for n in names if text.startswith(n)), None)
        assert name is not None, f"ranking item does not begin with a party name: {text!r}"
        percent = PERCENT.search(text[len(name):])
        ranking.append((full[name], int(percent.group(1)) if percent else None))
    return ranking


def answer(page: Any, choice: Choice) -> None:
    """Answer the statement on screen with one tap: Skip, or "Important to me" set first
    and then the answer's own button."""
    if choice.label is None:
        page.get_by_role("button", name="Skip", exact=True).click()
        return
    page.get_by_role("checkbox", name="Important to me", exact=True).set_checked(choice.important)
    page.get_by_role("button", name=choice.label, exact=True).click()


def expect_preselected(page: Any, expect: Any, choice: Choice) -> None:
    """The step shows this earlier answer (its button marked current) and importance."""
    for label in LABELS:
        button = page.get_by_role("button", name=label, exact=True)
        if label == choice.label:
            expect(button).to_have_attribute("aria-current", "true")
        else:
            expect(button).not_to_have_attribute("aria-current", "true")
    important = page.get_by_role("checkbox", name="Important to me", exact=True)
    if choice.important:
        expect(important).to_be_checked()
    else:
        expect(important).not_to_be_checked()


def review_and_continue(page: Any, expect: Any, quiz: dict[str, Any],
                        plan: list[Choice]) -> None:
    """The review after the last statement lists every answer in words; "Continue"."""
    expect(page).to_have_url(re.compile(rf"/en/{quiz['slug']}/review\?"))
    rows = page.locator("ol.review > li")
    expect(rows).to_have_count(len(quiz["statements"]))
    for row, statement, choice in zip(rows.all(), quiz["statements"], plan, strict=True):
        words = "Skipped" if choice.label is None else choice.label
        expect(row).to_contain_text(statement["text"]["en"])
        expect(row).to_contain_text(f"Your answer: {words}"
                                    + (" · important" if choice.important and choice.label
                                       else ""))
    page.get_by_role("link", name="Continue", exact=True).click()


# -- the editor ---------------------------------------------------------------------------

HOME_CARE = "home-care-free-choice"


def editor_log_in(page: Any, expect: Any, base: str, email: str, password: str) -> None:
    """Open the editor, get sent to its login form, log in."""
    page.goto(f"{base}/editor/")
    expect(page).to_have_url(f"{base}/editor/login?next=%2Feditor%2F")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Quizzes")).to_be_visible()


def edit_home_care_statement(page: Any, expect: Any, text: str) -> None:
    """From the editor's start: the demo quiz's home-care statement gets this English text."""
    page.get_by_role("link", name="Lokalvalg", exact=False).first.click()
    page.get_by_role("link", name="Statements").click()
    page.locator(f"#s-{HOME_CARE} a").first.click()
    page.get_by_label("Statement (en)").fill(text)
    page.get_by_role("button", name="Save statement").click()
    expect(page.get_by_text(f"Saved the statement {HOME_CARE}.")).to_be_visible()
