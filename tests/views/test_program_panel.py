"""The position form's program panel and the grid's links to it (issue 16, item 2b):
the party's program searched for evidence, a passage chosen as the quote."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.browser_form import form_values
from tests.conftest import EDITOR_PASSWORD, login
from valgomat.content import lifecycle
from valgomat.core.program_search import collapse
from valgomat.core.quotes import find_quote
from valgomat.extensions import db
from valgomat.storage import models

ROOT = Path(__file__).resolve().parents[2]
ASKER = "/editor/quizzes/lokalvalg/positions/asker-ps/private-schools"
ASKER_TEXT = (ROOT / "programs" / "lokalvalg" / "asker-ps.txt").read_text(encoding="utf-8")


@pytest.fixture
def demo_client(app: Flask) -> FlaskClient:
    """An editor logged in, the shipped demo quiz loaded (with its programs)."""
    from valgomat.editor.auth import create_user

    with app.app_context():
        lifecycle.load_content(ROOT, publish=True)
        create_user("editor@example.org", EDITOR_PASSWORD, "editor")
    client = app.test_client()
    assert login(client, "editor@example.org").status_code == 302
    return client


def hits(page: str) -> list[tuple[str, str]]:
    """Each hit's heading and its passage's text (marks removed)."""
    found = re.findall(r'<li>\s*<h4>(.*?)</h4>\s*<p class="passage">(.*?)</p>', page, re.S)
    return [(unescape(h), unescape(re.sub(r"</?mark>", "", p))) for h, p in found]


def uses(page: str) -> list[str]:
    return re.findall(r'name="use" value="(\d+-\d+)"', page)


def test_search_finds_the_passage_with_marks_and_heading(demo_client: FlaskClient) -> None:
    response = demo_client.get(f"{ASKER}?q=privatskoler")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    found = hits(page)
    assert ("Et inkluderende arbeidsliv", "Legge til rette for at privatskoler (tidl. "
            "Friskoler) kan få være et supplement til det offentlige skoletilbudet") in found
    assert all("privatskole" in passage.casefold() for _, passage in found)
    assert "<mark>privatskoler</mark>" in page
    assert 'id="program-q"' in page and 'value="privatskoler"' in page
    assert "PARTIET SENTRUM ASKER" in page  # the whole program, for selecting with JS
    assert re.search(r'<p id="program-p-\d+" data-heading="Et aldersvennlig Asker"', page)


def test_without_a_query_the_statements_key_words_are_searched(
        demo_client: FlaskClient) -> None:
    page = demo_client.get(ASKER).get_data(as_text=True)
    query = re.search(r'id="program-q" name="q" type="search" value="([^"]*)"', page)
    assert query is not None and "privatskoler" in query[1].split()
    assert "bør" not in query[1].split()  # a stop word
    assert any("privatskoler" in passage for _, passage in hits(page))


def test_using_a_hit_fills_quote_and_source_and_keeps_the_rest(
        demo_client: FlaskClient, app: Flask) -> None:
    before = stored(app)
    page = demo_client.get(f"{ASKER}?q=privatskoler").get_data(as_text=True)
    heading, passage = hits(page)[0]
    form = {**form_values(page), "value": "-1", "justification_en": "Typed, not saved.",
            "use": uses(page)[0]}
    response = demo_client.post(f"{ASKER}?q=privatskoler", data=form)
    shown = response.get_data(as_text=True)
    assert response.status_code == 200
    quote = re.search(r'<textarea[^>]*name="quote"[^>]*>\r?\n?(.*?)</textarea>', shown, re.S)
    assert quote is not None and unescape(quote[1]) == collapse(passage)
    assert f'name="source" type="text" value="{heading}"' in shown
    assert "Typed, not saved." in shown and form_values(shown)["value"] == "-1"
    assert "Nothing is saved until you press" in shown
    start, end = (int(n) for n in form["use"].split("-"))
    assert find_quote(ASKER_TEXT, unescape(quote[1])) is not None
    assert collapse(ASKER_TEXT[start:end]) == unescape(quote[1])
    assert stored(app) == before  # choosing saved nothing


def stored(app: Flask) -> tuple[int | None, str, int]:
    with app.app_context():
        row = db.session.scalar(select(models.Position).join(models.Statement).join(
            models.Party).where(models.Party.slug == "asker-ps",
                                models.Statement.slug == "private-schools"))
        assert row is not None
        return row.value, row.quote, row.lock_version


@pytest.mark.parametrize("use", ["0-999999", "x", "10-5", "5-5", "-1-4", "1-2-3", "",
                                 "99999999-99999999", "0-6000"])
def test_a_bad_passage_choice_is_refused_with_a_message(demo_client: FlaskClient,
                                                        use: str) -> None:
    page = demo_client.get(ASKER).get_data(as_text=True)
    response = demo_client.post(ASKER, data={**form_values(page), "quote": "Kept as typed.",
                                             "use": use})
    shown = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That passage is not in the program" in shown and "Kept as typed." in shown


def test_saving_still_saves_and_the_query_stays_out_of_the_way(
        demo_client: FlaskClient) -> None:
    page = demo_client.get(f"{ASKER}?q=privatskoler").get_data(as_text=True)
    response = demo_client.post(f"{ASKER}?q=privatskoler", data=form_values(page))
    assert response.status_code == 302 and "/grid" in response.headers["Location"]


def test_long_and_empty_queries(demo_client: FlaskClient) -> None:
    long = demo_client.get(f"{ASKER}?q=" + "skole " * 50)
    assert long.status_code == 400
    assert "The search was not run" in long.get_data(as_text=True)
    small = demo_client.get(f"{ASKER}?q=og+i+på").get_data(as_text=True)
    assert "no words to look for" in small and hits(small) == []
    nothing = demo_client.get(f"{ASKER}?q=zzzxxqq").get_data(as_text=True)
    assert "No passage holds these words" in nothing
    odd = demo_client.get(f"{ASKER}?q=%00%3Cscript%3E")
    assert odd.status_code == 200 and "<script>" not in odd.get_data(as_text=True)


def test_a_party_without_a_program_text_says_so(loaded_app: Flask,
                                                editor_client: FlaskClient) -> None:
    page = editor_client.get("/editor/quizzes/fixture/positions/fjellvik-red/toll-ring"
                             ).get_data(as_text=True)
    assert "No program text is stored for" in page
    assert 'href="/editor/quizzes/fixture/parties/fjellvik-red"' in page
    green = editor_client.get("/editor/quizzes/fixture/positions/fjellvik-green/toll-ring"
                              "?q=bompenger").get_data(as_text=True)
    assert "<mark>Bompenger</mark>" in green


def test_the_grid_marks_gaps_and_links_them_to_a_program_search(
        demo_client: FlaskClient) -> None:
    page = demo_client.get("/editor/quizzes/lokalvalg/grid").get_data(as_text=True)
    gaps = re.findall(r'<td class="gap"><a href="([^"]+)" aria-label="([^"]+)">– '
                      r'<span class="find">find</span></a></td>', page)
    assert gaps and all("no stated position" in label for _, label in gaps)
    url = unescape(gaps[0][0])
    query = parse_qs(urlsplit(url).query)["q"][0]
    assert query and "bør" not in query.split()
    panel = demo_client.get(url).get_data(as_text=True)
    assert f'value="{query}"' in unescape(panel) or query in unescape(panel)
    assert "passage" in panel


def test_choosing_without_a_program_text_is_refused(loaded_app: Flask,
                                                   editor_client: FlaskClient) -> None:
    red = "/editor/quizzes/fixture/positions/fjellvik-red/toll-ring"
    refused = editor_client.post(red, data={"quote": "Kept.", "use": "0-10"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "That passage is not in the program" in page and "Kept." in page


def test_choosing_with_an_expired_token_keeps_what_was_typed(
        csrf_client: tuple[Flask, FlaskClient]) -> None:
    _, client = csrf_client
    green = "/editor/quizzes/fixture/positions/fjellvik-green/toll-ring?q=bompenger"
    use = uses(client.get(green).get_data(as_text=True))[0]
    expired = client.post(green, data={"justification_en": "Still here.", "use": use})
    shown = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "security token had expired" in shown
    quote = re.search(r'<textarea[^>]*name="quote"[^>]*>\r?\n?(.*?)</textarea>', shown, re.S)
    assert "Still here." in shown and quote is not None and "Bompenger" in quote[1]
