"""An editor logs in, edits a statement and a position, publishes; a voter sees it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voter_plans import edit_home_care_statement, editor_log_in

from tests.e2e.conftest import served_newsroom

PASSWORD = "correct horse battery staple"
NEW_TEXT = "The municipality should let people choose who provides their home care."


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_newsroom(tmp_path_factory.mktemp("editor-db"), "admin@newsroom.example",
                         PASSWORD, "admin") as url:
        yield url


def test_editor_change_reaches_the_voter(browser: Any, newsroom: str, expect: Any,
                                         build_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    editor_log_in(page, expect, newsroom, "admin@newsroom.example", PASSWORD)
    edit_home_care_statement(page, expect, NEW_TEXT)

    page.get_by_role("link", name="Positions", exact=True).click()
    page.get_by_role("link", name="Ap (Elverum) on home-care-free-choice", exact=False).click()
    page.get_by_label("+1 Agree").check()
    page.get_by_label("Verbatim quote").fill(
        "jobbe for at flest mulig kan bo hjemme så lenge de ønsker")
    page.get_by_label("Source section").fill("2. Elverum skal yte gode helse – og "
                                             "omsorgstjenester")
    page.get_by_label("Confidence").select_option("low")
    for lang, text in (("nb", "Test."), ("sv", "Test."), ("en", "Test.")):
        page.get_by_label(f"Justification ({lang})").fill(text)
    page.get_by_role("button", name="Save position").click()
    expect(page.get_by_text("Saved Ap (Elverum) on home-care-free-choice.")).to_be_visible()
    page.screenshot(path=str(build_dir / "screenshots" / "editor-grid-desktop.png"),
                    full_page=True)

    page.goto(f"{newsroom}/editor/quizzes/lokalvalg/publish")
    page.screenshot(path=str(build_dir / "screenshots" / "editor-publish-desktop.png"),
                    full_page=True)
    confirm = page.get_by_label("I have read the audit and want to publish anyway")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name="Publish a new version").click()
    expect(page.get_by_text("Published version 2.")).to_be_visible()
    context.close()

    voter = browser.new_context()
    view = voter.new_page()
    view.goto(f"{newsroom}/en/lokalvalg/")
    view.get_by_role("link", name="Start").click()
    expect(view.get_by_role("heading", name=NEW_TEXT)).to_be_visible()
    assert "v=2" in view.url
    view.goto(f"{newsroom}/en/lokalvalg/result?v=2&a=e")
    view.get_by_role("link", name="All positions of Ap (Elverum)").click()
    assert "jobbe for at flest mulig kan bo hjemme" in view.content()
    voter.close()
