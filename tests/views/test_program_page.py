"""The voters' in-context page: a party's program with its quoted passages marked, and
the party page's links to it (issue 16, item 3; the result's tables moved there in issue 17)."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FIXTURE_CONTENT
from tests.views.test_embed_delivery import framing_problems
from tests.views.test_headers import allow_partner
from valgomat.content.files import read_content
from valgomat.content.lifecycle import store_quizzes
from valgomat.core.model import Party, Program, Quiz
from valgomat.storage.programs import store_program_text
from valgomat.voter.program_page import mark_quotes

PARTY = "fjellvik-blue"
OFFICIAL_URL = "https://example.org/fjellvik/blue.pdf"
HOSTILE = '<script>alert("x")</script> & <b>fet</b>'


def program_text(party: Party) -> str:
    """A made-up program holding the party's quotes, the first broken over two lines as
    PDF extraction leaves it, and a paragraph of markup that must stay text."""
    quotes = [evidence.quote for evidence in party.evidence.values() if evidence.quote]
    first = quotes[0].replace(" ", "\n", 1)
    middle = "\n\n".join(f"Innledning {n}. {quote} Mer tekst." for n, quote in
                         enumerate(quotes[1:], start=2))
    return f"Program for Blålista\n\nVi mener: {first}\n\n{HOSTILE}\n\n{middle}\n"


def with_program(quiz: Quiz) -> Quiz:
    if quiz.slug != "fixture":
        return quiz
    parties = []
    for party in quiz.parties:
        if party.id == PARTY:
            sha256 = store_program_text(program_text(party))
            party = replace(party, program=Program(
                party.program.title, OFFICIAL_URL, publisher="Blålista Fjellvik",
                date="2027–2031", language="nb", sha256=sha256))
        else:  # whatever the fixture's program files say: these parties have no text
            party = replace(party, program=replace(party.program, sha256=""))
        parties.append(party)
    return replace(quiz, parties=tuple(parties))


def publish_with_program(app: Flask) -> None:
    """The fixture content published with a stored program text for one party."""
    with app.app_context():
        quizzes, problems = read_content(FIXTURE_CONTENT)
        assert not problems
        store_quizzes([with_program(q) for q in quizzes], publish=True, digest="programs",
                      source="tests/program page")


@pytest.fixture
def program_client(app: Flask) -> FlaskClient:
    publish_with_program(app)
    return app.test_client()


def blue_quotes(app: Flask) -> dict[str, str]:
    from valgomat.storage.published import published_quiz

    with app.app_context():
        quiz = published_quiz("fixture", None)
        assert quiz is not None
        return {sid: e.quote for sid, e in quiz.party(PARTY).evidence.items() if e.quote}


def marks(page: str) -> dict[str, str]:
    return {sid: unescape(text) for sid, text in
            re.findall(r'<mark id="s-([^"]+)">(.*?)</mark>', page, re.DOTALL)}


def test_the_page_marks_each_quote_with_its_own_anchor(program_client: FlaskClient,
                                                         app: Flask) -> None:
    response = program_client.get(f"/nb/fixture/programs/{PARTY}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    quotes = blue_quotes(app)
    assert len(quotes) >= 4
    found = marks(page)
    assert set(found) == set(quotes)
    for sid, quote in quotes.items():
        # the first quote is broken over two lines in the program: whitespace aside
        assert " ".join(found[sid].split()) == quote
    assert '<div class="program-text" lang="nb">' in page
    assert f'href="{OFFICIAL_URL}"' in page
    assert "Blålista Fjellvik" in page and "2027–2031" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert page.count("<p>") >= len(quotes) + 2  # paragraphs kept


def test_the_page_is_cacheable_and_carries_no_answers(program_client: FlaskClient) -> None:
    response = program_client.get(f"/en/fixture/programs/{PARTY}?v=1")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
    assert "a=" not in re.sub(r'href="https?://[^"]*"', "", response.get_data(as_text=True))
    assert "<script" not in response.get_data(as_text=True)
    with_answers = program_client.get(f"/en/fixture/programs/{PARTY}?v=1&a=eDc")
    assert "public" not in with_answers.headers["Cache-Control"]


def test_unknown_party_version_or_no_program_text_is_404(program_client: FlaskClient) -> None:
    assert program_client.get("/nb/fixture/programs/nobody").status_code == 404
    assert program_client.get("/nb/fixture/programs/fjellvik-green").status_code == 404
    assert program_client.get(f"/nb/fixture/programs/{PARTY}?v=9").status_code == 404


def test_the_party_page_links_each_quote_to_its_place(program_client: FlaskClient,
                                                      app: Flask) -> None:
    page = program_client.get(f"/en/fixture/party/{PARTY}?v=1&a=eDc").get_data(as_text=True)
    links = re.findall(r'<a href="\.\./programs/([^"?]+)\?v=1#s-([^"]+)">([^<]+)</a>', page)
    assert {(party, sid) for party, sid, _text in links} == {
        (PARTY, sid) for sid in blue_quotes(app)}
    assert {text for _party, _sid, text in links} == {"Read the passage in the program"}
    nb = program_client.get(f"/nb/fixture/party/{PARTY}?v=1&a=eDc").get_data(as_text=True)
    assert "Les avsnittet i programmet" in nb
    # the link leads to the marked passage
    party, sid, _text = links[0]
    target = program_client.get(f"/en/fixture/programs/{party}?v=1").get_data(as_text=True)
    assert f'<mark id="s-{sid}">' in target


def test_the_embed_keeps_its_frame_and_theme(program_client: FlaskClient, app: Flask) -> None:
    allow_partner(app)
    party = program_client.get(f"/embed/en/fixture/party/{PARTY}?v=1&a=eDc&t=avisa")
    assert f'href="../programs/{PARTY}?v=1&amp;t=avisa#s-' in party.get_data(as_text=True)
    page = program_client.get(f"/embed/en/fixture/programs/{PARTY}?v=1")
    assert page.status_code == 200 and "<mark id=" in page.get_data(as_text=True)
    assert f'href="{OFFICIAL_URL}" target="_blank" rel="noopener"' in page.get_data(
        as_text=True)
    assert framing_problems(program_client, ["/embed/en/fixture/result?v=1&a=eDc",
                                             f"/embed/en/fixture/party/{PARTY}?v=1&a=eDc"]) == []


def test_overlapping_and_identical_quotes_mark_their_union() -> None:
    text = "Vi vil ha flere skoler og parker. Og mer.\n\n\nNy del."
    marked = mark_quotes(text, [("a", "flere skoler"), ("b", "skoler og parker."),
                                ("c", "flere skoler"), ("d", "finnes ikke"),
                                ("e", "Og mer. Ny")])
    first, second = (str(p) for p in marked.paragraphs)
    assert first == ('Vi vil ha <span id="s-c"></span><mark id="s-a">flere </mark>'
                     '<mark id="s-b">skoler og parker.</mark> <mark id="s-e">Og mer.</mark>')
    assert second == "<mark>Ny</mark> del."  # a quote across paragraphs: marked in both
    assert marked.anchored == {"a", "b", "c", "e"}
