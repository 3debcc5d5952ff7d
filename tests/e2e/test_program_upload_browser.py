"""An editor replaces a party's program with a PDF in the browser: the file is chosen,
its text reviewed and corrected, saved; the party page then lists the quotes the new
text lacks. The three pages pass axe (issue 16, item 2a)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import BLOCKING, describe, run_axe
from voter_plans import editor_log_in

from tests.e2e.conftest import served_newsroom
from tests.pdfs import pdf_document

EDITOR, PASSWORD = "editor@newsroom.example", "correct horse battery staple"
PARTY = "/editor/quizzes/lokalvalg/parties/asker-ps"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_newsroom(tmp_path_factory.mktemp("upload-db"), EDITOR, PASSWORD, "editor") as url:
        yield url


def assert_accessible(page: Any, axe_source: Path) -> None:
    blocking = [v for v in run_axe(page, axe_source)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{page.url}:\n" + describe(blocking)


def test_a_pdf_replaces_the_program_after_review(browser: Any, newsroom: str, expect: Any,
                                                 axe_source: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "asker-ps-2027.pdf"
    pdf.write_bytes(pdf_document([["Partiet Sentrum Asker", "Vi vil ha tryge skoleveier."],
                                  ["Side to."]]))
    context = browser.new_context(bypass_csp=True)  # for axe; the pages' own CSP is tested
    page = context.new_page()
    editor_log_in(page, expect, newsroom, EDITOR, PASSWORD)
    page.goto(f"{newsroom}{PARTY}")
    page.get_by_role("link", name="Upload or replace program").click()
    expect(page.get_by_role("heading", name=re.compile("Upload the program"))).to_be_visible()
    assert_accessible(page, axe_source)
    page.get_by_label(re.compile("Program file")).set_input_files(str(pdf))
    page.get_by_role("button", name="Extract the text").click()

    text = page.get_by_label(re.compile("The program's text"))
    expect(text).to_have_value(re.compile("Vi vil ha tryge skoleveier."))
    expect(page.get_by_text("Extracted from asker-ps-2027.pdf")).to_be_visible()
    assert_accessible(page, axe_source)
    text.fill(text.input_value().replace("tryge", "trygge"))
    page.get_by_role("button", name="Save program").click()

    expect(page.get_by_text("Saved the program of PS (Asker).")).to_be_visible()
    expect(page.locator("#program")).to_contain_text("of this party are not in its program")
    assert_accessible(page, axe_source)
    page.goto(f"{newsroom}/editor/quizzes/lokalvalg/")
    assert "quote not found in programs/lokalvalg/asker-ps.txt" in page.content()
    context.close()
