"""An imported Wahl-O-Mat election, taken in the browser in German."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import published_app, serve
from tests.e2e.voter_plans import read_ranking
from valgomat.content import lifecycle
from valgomat.content.importers.qualomat import read_election

BREMEN = Path(__file__).resolve().parents[2].parent / "shared/data/qual-o-mat/2019/bremen"
GERMAN = {1: "Stimme zu", 0: "Neutral", -1: "Stimme nicht zu"}


@pytest.fixture(scope="module")
def bremen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not BREMEN.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{BREMEN} (shared test data) is missing in CI")
        pytest.skip(f"{BREMEN} (shared test data) absent")
    app = published_app(tmp_path_factory.mktemp("bremen") / "db.sqlite3")
    with app.app_context():
        lifecycle.import_quiz(read_election(BREMEN), source=str(BREMEN), publish=True,
                             replace=False)
    with serve(app) as url:
        yield url


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return json.load(reply)


def test_take_the_bremen_election_in_german(browser: Any, bremen: str, expect: Any) -> None:
    quiz = get_json(f"{bremen}/api/v1/quizzes/bremen2019")
    plan = [(i * 2) % 3 - 1 if i % 5 else None for i in range(len(quiz["statements"]))]
    page = browser.new_page()
    page.goto(f"{bremen}/de/")
    page.get_by_role("link", name="Bürgerschaftswahl Bremen 2019").click()
    page.get_by_role("link", name="Starten").click()
    for index, value in enumerate(plan):
        expect(page.locator("#progress-number")).to_have_text(str(index + 1))
        if value is None:
            page.get_by_role("button", name="These überspringen").click()
            continue
        if index % 4 == 1:
            page.get_by_label("Wichtig für mich").check()
        page.get_by_role("button", name=GERMAN[value], exact=True).click()
    page.get_by_role("link", name="Weiter", exact=True).click()  # the review's way on
    page.get_by_role("button", name="Ergebnis anzeigen").click()
    assert page.locator("html").get_attribute("lang") == "de"
    ids = [s["id"] for s in quiz["statements"]]
    body = {"answers": dict(zip(ids, plan, strict=True)),
            "important": [sid for i, sid in enumerate(ids) if i % 4 == 1 and plan[i] is not None]}
    request = urllib.request.Request(f"{bremen}/api/v1/quizzes/bremen2019/match",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        results = json.load(reply)["results"]
    names = {p["id"]: p["name"] for p in quiz["parties"]}
    expected = [(names[r["party"]], r["percent"]) for r in results]
    assert read_ranking(page, quiz) == expected
    page.close()
