"""A voter follows a quote from a party's page to its place in the party's program, with
JavaScript off (the page needs none): the passage is marked, in the program's language,
and the page loads nothing from elsewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from test_voter_flow import result_url


def test_a_quote_leads_to_its_marked_passage(browser: Any, live_server: str,
                                             quiz_data: dict[str, Any], expect: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = context.new_page()
        page.goto(result_url(live_server, quiz_data))
        page.locator(".party-link a").first.click()  # the first party's page
        link = page.get_by_role("link", name="Read the passage in the program").first
        href = link.get_attribute("href")
        assert href is not None and "?v=" in href and "a=" not in href
        party, statement = href.split("?")[0].rsplit("/", 1)[1], href.split("#s-")[1]
        quote = next(p for p in quiz_data["parties"] if p["id"] == party)[
            "evidence"][statement]["quote"]
        link.click()
        expect(page).to_have_url(f"{live_server}/en/{quiz_data['slug']}/programs/{party}"
                                 f"?v={quiz_data['version']}#s-{statement}")
        mark = page.locator(f"mark#s-{statement}")
        expect(mark).to_be_in_viewport()
        assert " ".join(mark.inner_text().split()) in " ".join(quote.split())
        language = page.locator(".program-text").get_attribute("lang")
        assert language and language != "en"  # the demo's programs are nb and sv
    finally:
        context.close()
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(live_server).netloc}
