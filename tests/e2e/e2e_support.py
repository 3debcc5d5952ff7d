"""Helpers shared by the browser tests: a voter's plan, reading the ranking, the API's ranking.

Everything here goes through what a voter sees (roles and accessible names from
``shared/spec/api.md``) or through the public JSON API, never through app internals.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass
from typing import Any

QUIZ = "lokalvalg"
#: English answer labels and their values (matching.md, scale 5), agree first.
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
    as (party display name, whole percent rounded half up) pairs."""
    scores = api_scores(base, quiz, plan)
    return [(name, None if score is None else int(score + 0.5)) for name, score in scores]


def api_scores(base: str, quiz: dict[str, Any], plan: list[Choice]) -> list[tuple[str, float]]:
    statements = [s["id"] for s in quiz["statements"]]
    body = {
        "answers": {sid: choice.value for sid, choice in zip(statements, plan, strict=True)},
        "important": [sid for sid, choice in zip(statements, plan, strict=True)
                      if choice.important and choice.label is not None],
    }
    request = urllib.request.Request(
        f"{base}/api/v1/quizzes/{quiz['slug']}/match", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as reply:
        result = json.load(reply)
    names = {p["id"]: p["name"] for p in quiz["parties"]}
    return [(names[item["party"]], item["score"]) for item in result["results"]]


def read_ranking(page: Any, quiz: dict[str, Any]) -> Ranking:
    """The result page's ranking: its first ``<ol>``, one item per party, each
    beginning with the party's display name and showing its whole percent."""
    names = sorted((p["name"] for p in quiz["parties"]), key=len, reverse=True)
    ranking: Ranking = []
    for text in page.locator("ol").first.locator(":scope > li").all_inner_texts():
        text = " ".join(text.split())
        name = next((n for n in names if text.startswith(n)), None)
        assert name is not None, f"ranking item does not begin with a party name: {text!r}"
        percent = PERCENT.search(text[len(name):])
        ranking.append((name, int(percent.group(1)) if percent else None))
    return ranking


def answer(page: Any, choice: Choice) -> None:
    """Answer the statement on screen: Skip, or the label and "Important to me", then Next."""
    if choice.label is None:
        page.get_by_role("button", name="Skip", exact=True).click()
        return
    page.get_by_role("checkbox", name="Important to me", exact=True).set_checked(choice.important)
    page.get_by_role("radio", name=choice.label, exact=True).check()
    page.get_by_role("button", name="Next", exact=True).click()


def expect_preselected(page: Any, expect: Any, choice: Choice) -> None:
    """The step shows this earlier answer and importance."""
    for label in LABELS:
        radio = page.get_by_role("radio", name=label, exact=True)
        if label == choice.label:
            expect(radio).to_be_checked()
        else:
            expect(radio).not_to_be_checked()
    important = page.get_by_role("checkbox", name="Important to me", exact=True)
    if choice.important:
        expect(important).to_be_checked()
    else:
        expect(important).not_to_be_checked()
