"""The light result page and its two further views, Compare and Party (issue 17, item 3):
what they show, their filters and pages, their privacy, and their size budgets, on the
fixture, the shipped demo and a made-up election of 38 statements × 38 parties."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import stamp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.big_election import write_big_election
from tests.conftest import make_app, reset_schema
from tests.fuzzing import examples, fuzz, hostile_numbers
from valgomat.content import lifecycle
from valgomat.content.importers.qualomat import read_election
from valgomat.core.answercode import Answers, encode
from valgomat.core.model import Quiz
from valgomat.extensions import db
from valgomat.storage import published

REPO_ROOT = Path(__file__).resolve().parents[2]
QUIZ = "/en/fixture"
ANSWERS = "v=1&a=eDcsbAaa"
RESULT_BUDGET, BIG_RESULT_BUDGET = 40_000, 80_000
PARTY_BUDGET, COMPARE_BUDGET = 60_000, 80_000


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def sections(html: str) -> dict[int, str]:
    """The compare page's statements, by number."""
    return {int(number): body for number, body in re.findall(
        r'<section class="compare-row" id="c-(\d+)">(.*?)</section>', html, re.S)}


def groups(section: str) -> list[tuple[bool, str, str]]:
    """A statement's position groups: (the voter's answer, position, parties)."""
    found = re.findall(r'<div( class="yours")?><dt>(?:<span[^>]*>✓</span> )?(.*?)'
                       r"(?: \(your answer\))?</dt><dd>(.*?)</dd></div>", section)
    return [(bool(yours), label, parties) for yours, label, parties in found]


@pytest.mark.parametrize("prefix", ["", "/embed"])
def test_compare_shows_every_party_by_position_beside_the_answer(
        loaded_client: FlaskClient, prefix: str) -> None:
    response = loaded_client.get(f"{prefix}{QUIZ}/compare?{ANSWERS}")
    assert response.headers["Cache-Control"] == "no-store"  # it carries the answers
    html = response.get_data(as_text=True)
    rows = sections(html)
    assert list(rows) == list(range(1, 9))
    assert groups(rows[1]) == [(True, "Strongly agree", "Blå"), (False, "Strongly disagree",
                                                                "Grønn"),
                               (False, "No stated position", "Raud")]
    assert groups(rows[3]) == [(False, "No stated position", "Blå, Grønn, Raud")]
    assert "You: <strong>Agree (important)</strong>" in rows[2]
    assert "You: <strong>Skipped</strong>" in rows[4]
    change = re.search(r'<a class="change" href="([^"]+)"', rows[2]).group(1)
    assert change == f"{prefix}{QUIZ}/2?v=1&amp;a=eDcsbAaa&amp;r=1"  # back to the result
    assert f'href="{prefix}{QUIZ}/result?v=1&amp;a=eDcsbAaa"' in html


def test_compare_filters_where_parties_differ_and_by_topic(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/compare?{ANSWERS}")
    differ = re.search(r'<a href="([^"]+)">Only where the parties differ</a>', html).group(1)
    assert "differ=1" in differ
    differing = sections(page(loaded_client, differ.replace("&amp;", "&")))
    assert 3 not in differing and 1 in differing
    for body in differing.values():
        assert len(groups(body)) > 1
    schools = page(loaded_client, f"{QUIZ}/compare?{ANSWERS}&topic=schools")
    assert list(sections(schools)) == [4, 5, 6]
    assert '<a href="/en/fixture/compare?topic=schools&amp;v=1&amp;a=eDcsbAaa" ' \
           'aria-current="page">Schools</a>' in schools
    both = page(loaded_client, f"{QUIZ}/compare?{ANSWERS}&topic=health&differ=1")
    assert list(sections(both)) == [1, 2]


@pytest.mark.parametrize("query", ["topic=nope", "page=2", "page=0", "page=x", "page=%C2%B9",
                                   "page=99999999999"])
def test_compare_with_a_bad_filter_is_a_clear_400(loaded_client: FlaskClient,
                                                  query: str) -> None:
    html = page(loaded_client, f"{QUIZ}/compare?{ANSWERS}&{query}", 400)
    assert "This comparison has no such topic or page." in html


@pytest.mark.parametrize("prefix", ["", "/embed"])
def test_party_page_has_the_whole_table(loaded_client: FlaskClient, prefix: str) -> None:
    response = loaded_client.get(f"{prefix}{QUIZ}/party/fjellvik-blue?{ANSWERS}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<h1>Blålista Fjellvik</h1>" in html  # the full name here
    first = html[html.index('<tr id="st-1"'):html.index('<tr id="st-2"')]
    assert "Strongly agree" in first and "✓</span> Same" in first
    assert '<blockquote lang="nb"><p>' in first  # the program's language, for screen readers
    assert "Source: " in first and "Confidence: high." in first
    assert f'href="{prefix}{QUIZ}/1?v=1&amp;a=eDcsbAaa&amp;r=1"' in first
    page(loaded_client, f"{prefix}{QUIZ}/party/nope?{ANSWERS}", 404)


@fuzz
@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from([f"{QUIZ}/compare", f"{QUIZ}/party/fjellvik-red",
                             f"/embed{QUIZ}/compare", f"/embed{QUIZ}/party/fjellvik-blue"]),
       query=st.lists(st.tuples(
           st.sampled_from(["v", "a", "p", "ps", "t", "topic", "differ", "page"])
           | st.text(max_size=6),
           st.text(max_size=12) | hostile_numbers
           | st.sampled_from(["1", "2", "eDcs", "health", "fjellvik-red", ""])), max_size=6))
def test_generated_compare_and_party_urls_never_cause_5xx(
        loaded_client: FlaskClient, path: str, query: list[tuple[str, str]]) -> None:
    assert loaded_client.get(path, query_string=query).status_code < 500, (path, query)


def test_result_page_is_light_and_says_the_method_plainly(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"/sv{QUIZ[3:]}/result?{ANSWERS}")
    assert "Procenten visar hur nära varje partis ståndpunkter" in html
    assert "Manhattan" not in html and "city-block" not in html
    assert "<table" not in html and "<blockquote" not in html
    assert 'href="/sv/fixture/compare?v=1&amp;a=eDcsbAaa"' in html
    assert html.count('class="party-link"') == 3
    nb = page(loaded_client, f"/nb{QUIZ[3:]}/result?{ANSWERS}")
    assert "manhattan" not in nb.casefold() and "Prosenten viser" in nb


def answer_code(quiz: Quiz) -> str:
    """Every statement answered, the values in turn, every third one important."""
    values = quiz.scale_values
    answers = Answers({s.id: values[n % len(values)] for n, s in enumerate(quiz.statements)},
                      frozenset(s.id for s in quiz.statements[::3]))
    return encode(answers, [s.id for s in quiz.statements], quiz.scale)


@pytest.fixture(scope="module")
def big_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo and the 38 × 38 election, loaded and published (one app for the module)."""
    folder = tmp_path_factory.mktemp("big")
    app = make_app(f"sqlite:///{folder / 'db.sqlite3'}", folder)
    with app.app_context():
        reset_schema()
        db.create_all()
        stamp()
        lifecycle.load_content(REPO_ROOT, publish=True)
        lifecycle.import_quiz(read_election(write_big_election(folder / "election")),
                              source="test", publish=True, replace=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def sizes(app: Flask, slug: str, lang: str) -> Iterator[tuple[str, int, str]]:
    """(url, size in bytes, html) of the quiz's result, party and compare pages."""
    with app.app_context():
        quiz = published.published_quiz(slug)
    assert quiz is not None
    client = app.test_client()
    query = f"v={quiz.version}&a={answer_code(quiz)}"
    urls = [f"/{lang}/{slug}/result?{query}", f"/{lang}/{slug}/compare?{query}",
            f"/{lang}/{slug}/compare?{query}&differ=1"]
    urls += [f"/{lang}/{slug}/party/{party.id}?{query}" for party in quiz.parties]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, len(response.data), response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["nb", "sv"])  # the demo's pages are not offered in de
def test_the_demo_pages_keep_their_budgets(big_app: Flask, lang: str) -> None:
    budgets = {"result": RESULT_BUDGET, "party": PARTY_BUDGET, "compare": COMPARE_BUDGET}
    for url, size, _html in sizes(big_app, "lokalvalg", lang):
        kind = url.split("/")[3].split("?")[0]
        assert size <= budgets[kind], (url, size, budgets[kind])


def test_a_38_by_38_election_keeps_the_budgets_and_is_paged(big_app: Flask) -> None:
    budgets = {"result": BIG_RESULT_BUDGET, "party": PARTY_BUDGET, "compare": COMPARE_BUDGET}
    client = big_app.test_client()
    for url, size, html in sizes(big_app, "grosswahl2029", "de"):
        kind = url.split("/")[3].split("?")[0]
        assert size <= budgets[kind], (url, size, budgets[kind])
        if kind == "result":
            assert "nach Themen" not in html and 'class="topics"' not in html  # one topic
            assert len(re.findall(r'<li class="party-result', html)) == 38
        if kind == "party":  # imported answers: no quote, no source line, no confidence
            assert "<blockquote" not in html and 'class="source"' not in html
            assert "Quelle" not in html and "Sicherheit" not in html
        if kind == "compare" and "differ" not in url:
            paging = re.search(r'<nav class="compare-pages".*?</nav>', html, re.S).group(0)
            pages = re.findall(r'<li><a href="([^"]+)"', paging)
            assert len(pages) == 4  # 38 statements of 38 parties: ten to a page
            assert "Thesen</span> (1–10)" in html and "Thesen</span> (31–38)" in html
            shown = [list(sections(page(client, link.replace("&amp;", "&"))))
                     for link in pages]
            assert sum(shown, []) == list(range(1, 39))
