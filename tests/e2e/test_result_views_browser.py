"""The result's further views in the browser without JavaScript: from the result to
Compare (its filters) and to a party's page (its whole table), and back; and their
screenshots at phone and desktop size in Norwegian and German, for the demo and for an
imported election of 38 statements × 38 parties."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_voter_flow import result_url

from tests.big_election import SLUG, write_big_election
from tests.e2e.conftest import serve
from valgomat import create_app
from valgomat.content import lifecycle
from valgomat.content.importers.qualomat import read_election
from valgomat.extensions import db

SCREEN_SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(scope="module")
def big_election(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of an app with the 38 × 38 election imported and published."""
    folder = tmp_path_factory.mktemp("big-election")
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "e2e-test-only-secret-key-0123456789abcdef"})
    with app.app_context():
        db.create_all()
        lifecycle.import_quiz(read_election(write_big_election(folder / "election")),
                              source="test", publish=True, replace=False)
    with serve(app) as base:
        yield base


def test_compare_and_party_views_work_without_javascript(
        browser: Any, live_server: str, quiz_data: dict[str, Any], expect: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(result_url(live_server, quiz_data))
        page.get_by_role("link", name="Compare the parties statement by statement").click()
        expect(page.get_by_role("heading", name="Compare the parties", level=1)).to_be_visible()
        rows = page.locator("section.compare-row")
        expect(rows).to_have_count(len(quiz_data["statements"]))
        first = rows.first
        expect(first.locator("dd")).not_to_have_count(0)
        shown = " ".join(first.locator("dd").all_inner_texts())
        for party in quiz_data["parties"]:  # every party once, by its short name
            assert party["short_name"] in shown
        page.get_by_role("link", name="Only where the parties differ").click()
        expect(page.get_by_role("link", name="Only where the parties differ")
               ).to_have_attribute("aria-current", "page")
        differing = rows.count()
        assert 0 < differing <= len(quiz_data["statements"])
        topic = quiz_data["topics"][0]
        page.locator("details.topic-filter summary").click()
        page.get_by_role("link", name=topic["name"]["en"], exact=True).click()
        in_topic = [s for s in quiz_data["statements"] if s["topic"] == topic["id"]]
        assert 0 < rows.count() <= len(in_topic)
        page.get_by_role("link", name="Back to your result").first.click()

        page.locator(".party-link a").first.click()
        table = page.locator("table.comparison tbody tr[id^='st-']")
        expect(table).to_have_count(len(quiz_data["statements"]))
        names = [p["name"] for p in quiz_data["parties"]]
        assert page.get_by_role("heading", level=1).inner_text() in names  # the full name
        expect(page.locator("blockquote[lang]").first).to_be_attached()
        page.get_by_role("link", name="Back to your result").first.click()
        expect(page.locator("ol.ranking")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_result_views_screenshots(browser: Any, live_server: str, quiz_data: dict[str, Any],
                                  build_dir: Path, size: str) -> None:
    """Result, compare and party pages in nb and de (build/e2e/screenshots/)."""
    width, height = SCREEN_SIZES[size]
    folder = build_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    party = quiz_data["parties"][0]["id"]
    try:
        page = context.new_page()
        for lang in ("nb", "de"):
            result = result_url(live_server, quiz_data, lang)
            views = {"result": result, "compare": result.replace("/result?", "/compare?"),
                     "party": result.replace("/result?", f"/party/{party}?")}
            for name, url in views.items():
                page.goto(url)
                page.screenshot(path=str(folder / f"{name}-{lang}-{width}x{height}.png"),
                                full_page=True)
    finally:
        context.close()
    assert len(list(folder.glob(f"*-{width}x{height}.png"))) >= 6


@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_imported_election_screenshots(browser: Any, big_election: str, build_dir: Path,
                                       size: str) -> None:
    """The 38 × 38 election's result, compare (first page) and party pages in German."""
    width, height = SCREEN_SIZES[size]
    folder = build_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    query = "v=1&a=" + ("abcAsBCa" * 5)[:38]
    try:
        page = context.new_page()
        for name, path in (("result", "result"), ("compare", "compare"),
                           ("party", "party/partei-1")):
            page.goto(f"{big_election}/de/{SLUG}/{path}?{query}")
            page.screenshot(path=str(folder / f"imported-{name}-de-{width}x{height}.png"),
                            full_page=True)
        assert page.locator("table.comparison tbody tr[id^='st-']").count() == 38
    finally:
        context.close()
