"""The voter pages with the test client: the flow, the contracts of docs/api.md, bad URLs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURE_CONTENT
from tests.fuzzing import examples, fuzz, hostile_numbers
from valgomat.content import lifecycle
from valgomat.core.matching import MatchResult, PartyResult
from valgomat.voter.presenters import near_tie_count

QUIZ = "/en/fixture"
PARTY_NAMES = {"fjellvik-blue": "Blålista Fjellvik", "fjellvik-green": "Grønn framtid Fjellvik",
               "fjellvik-red": "Raudt Fjellvik"}


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def ranking(html: str) -> list[tuple[str, int | None]]:
    ranking_list = re.search(r"<ol[^>]*>(.*?)</ol>", html, re.S).group(1)
    items = re.findall(r'<span class="party-name"(?: title="([^"]*)")?>(.*?)</span>\s*'
                       r'(?:<span class="percent">(\d+) %</span>)?', ranking_list)
    return [(full or short, int(pct) if pct else None) for full, short, pct in items]


def test_intro_says_what_the_quiz_is(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/")
    assert "8 statements" in html and "never stored" in html
    assert 'href="/en/method"' in html
    assert re.search(r'<a class="button primary" href="/en/fixture/1\?v=1">Start</a>', html)


def test_party_selection_starts_all_ticked(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/parties?v=1&a=eeee")
    ticked = r'name="p" value="[^"]+" checked'
    assert html.count('name="p" value=') == 3 and len(re.findall(ticked, html)) == 3
    assert "Select all" in html and "Select none" in html and "Show results" in html
    none = page(loaded_client, f"{QUIZ}/parties?v=1&a=eeee&ps=1&select=none")
    assert not re.search(ticked, none)


def test_result_ranking_matches_the_api(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/result?v=1&a=eDcsbAaa")
    quiz = loaded_client.get("/api/v1/quizzes/fixture").get_json()
    ids = [s["id"] for s in quiz["statements"]]
    values = [2, 1, 0, None, -1, -2, -2, -2]
    api = loaded_client.post("/api/v1/quizzes/fixture/match", json={
        "answers": dict(zip(ids, values, strict=True)), "important": [ids[1], ids[5]],
    }).get_json()
    expected = [(PARTY_NAMES[r["party"]], r["percent"]) for r in api["results"]]
    assert ranking(html) == expected
    assert "how close each party's positions are to your answers" in html
    assert "city-block" not in html and "count as neutral" in html  # the name: method page


def party_items(html: str) -> dict[str, str]:
    """The ranking's items (one per party, in order), by party name."""
    ranking_list = re.search(r'<ol class="ranking">(.*?)</ol>', html, re.S).group(1)
    items = re.split(r'<li class="party-result', ranking_list)[1:]
    return {re.search(r'<span class="party-name" title="(.*?)">', item).group(1): item
            for item in items}


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split())


@pytest.mark.parametrize("prefix", ["", "/embed"])
def test_result_says_what_each_match_rests_on(loaded_client: FlaskClient, prefix: str) -> None:
    """Coverage under every party; the "few stated positions" mark where it is below a
    third of the answers (7 answers count: statement 4 is skipped)."""
    html = page(loaded_client, f"{prefix}{QUIZ}/result?v=1&a=eDcsbAaa")
    items = party_items(html)
    coverage = {name: text(re.search(r'<p class="coverage">(.*?)</p>', item).group(1))
                for name, item in items.items()}
    assert coverage == {"Raudt Fjellvik": "Has a stated position on 2 of your 7 answers",
                        "Blålista Fjellvik": "Has a stated position on 4 of your 7 answers",
                        "Grønn framtid Fjellvik": "Has a stated position on 5 of your 7 answers"}
    few = {name: text(found.group(1)) for name, item in items.items()
           if (found := re.search(r'<p class="few">(.*?)</p>', item, re.S))}
    assert few == {"Raudt Fjellvik": "! Few stated positions: this match rests on 2 statements"}
    assert 'aria-hidden="true">!</span>' in items["Raudt Fjellvik"]  # a mark, not colour
    nb = page(loaded_client, f"{prefix}/nb/fixture/result?v=1&a=eDcsbAaa")
    assert "Har et uttalt standpunkt på 2 av de 7 påstandene du har svart på" in nb
    assert "Få uttalte standpunkter: dette samsvaret bygger på 2 påstander" in nb


@pytest.mark.parametrize("prefix", ["", "/embed"])
def test_no_stated_position_on_the_answers_means_nothing_to_compare(
        loaded_client: FlaskClient, prefix: str) -> None:
    """Raudt states nothing on statement 1, the only answer: no score under any policy,
    ranked last without bar or percentage; its topic shows "No stated position"."""
    html = page(loaded_client, f"{prefix}{QUIZ}/result?v=1&a=e")
    assert ranking(html) == [("Blålista Fjellvik", 100), ("Grønn framtid Fjellvik", 0),
                             ("Raudt Fjellvik", None)]
    red = party_items(html)["Raudt Fjellvik"]
    assert '<span class="no-score">nothing to compare</span>' in red
    assert "<svg" not in red and " %" not in red
    assert "Has a stated position on 0 of your 1 answer<" in red and 'class="few"' not in red
    topics = html[html.index("Scores by topic"):html.index("Share your result")]
    health, schools, transport = re.findall(r"<section.*?</section>", topics, re.S)
    assert re.search(r'title="Raudt Fjellvik">Raud</span>\s*<span class="no-position">'
                     r"No stated position</span></li>", health)
    assert health.count("<svg") == 2 and health.count(" %<") == 2
    for section in (schools, transport):
        assert "You did not answer any statement on this topic." in section
        assert "<svg" not in section and "%" not in section


@pytest.mark.parametrize("prefix", ["", "/embed"])
def test_near_ties_are_grouped_at_the_top(loaded_client: FlaskClient, prefix: str) -> None:
    """With one answer, answering the other way would swap Blålista and Grønn."""
    html = page(loaded_client, f"{prefix}{QUIZ}/result?v=1&a=e")
    sentence = ("Too close to call: one different answer could change the order of the "
                "first 2 parties.")
    assert html.index(sentence) < html.index('<ol class="ranking">')
    assert re.search(r"<ol[^>]*>", html).group(0) == '<ol class="ranking">'  # still the first
    items = party_items(html)
    tied = {name: item.startswith(' tied">') and "(Too close to call)" in item
            for name, item in items.items()}
    assert tied == {"Blålista Fjellvik": True, "Grønn framtid Fjellvik": True,
                    "Raudt Fjellvik": False}
    clear = page(loaded_client, f"{prefix}{QUIZ}/result?v=1&a=dsCBsEBa")
    assert "Too close to call" not in clear and " tied" not in clear
    swedish = page(loaded_client, f"{prefix}/sv/fixture/result?v=1&a=e")
    assert ("För jämnt för att avgöra: ett annat svar kan ändra ordningen mellan de 2 första "
            "partierna.") in swedish and "(För jämnt för att avgöra)" in swedish


@pytest.mark.parametrize("prefix", ["", "/embed"])
def test_reasons_and_the_party_link_lead_to_the_party_page(loaded_client: FlaskClient,
                                                           prefix: str) -> None:
    """The reasons name their statements; each party's link opens its whole table, where
    every statement has its row."""
    html = page(loaded_client, f"{prefix}{QUIZ}/result?v=1&a=eDcsbAaa")
    statements = [s["text"]["en"] for s in loaded_client.get(
        "/api/v1/quizzes/fixture").get_json()["statements"]]
    items = party_items(html)
    reasons = re.findall(r'<li class="(agree|disagree)">.*? (Agrees|Disagrees) with you '
                         r"on “(.*?)”</li>", items["Blålista Fjellvik"])
    assert [(kind, statements.index(text) + 1) for kind, _, text in reasons] == [
        ("agree", 1), ("agree", 8), ("disagree", 6), ("disagree", 2)]
    link = re.search(r'<p class="party-link"><a href="([^"]+)">All positions of Blå</a>',
                     items["Blålista Fjellvik"]).group(1)
    assert link == f"{prefix}{QUIZ}/party/fjellvik-blue?v=1&amp;a=eDcsbAaa"
    party = page(loaded_client, link.replace("&amp;", "&"))
    assert "<h1>Blålista Fjellvik</h1>" in party
    assert re.findall(r'<tr id="st-(\d+)"', party) == [str(n) for n in range(1, 9)]
    assert "<details" not in html and "<table" not in html  # the tables are off the result


def test_reasons_are_in_the_interface_language(loaded_client: FlaskClient) -> None:
    """The fixture has no German texts, so its pages are not offered in German (a German
    URL redirects to its first language, tests/views/test_quiz_languages.py)."""
    swedish = page(loaded_client, "/sv/fixture/result?v=1&a=e")
    assert re.search(r'Håller med dig om ”[^<”]+”', swedish)
    assert '<span lang="nb">' not in swedish
    english = page(loaded_client, f"{QUIZ}/result?v=1&a=e")
    assert "Agrees with you on “Residents" in english


def test_near_tie_group_runs_through_the_last_party_close_to_first() -> None:
    """A party between two close ones is in the group: the one answer that puts the
    third level with the first changes its place too; the ranking keeps its order."""
    def outcome(*close: bool) -> MatchResult:
        return MatchResult("cityblock", "neutral", tuple(
            PartyResult(f"p{i}", 50.0 - i, {}, close_to_first=flag)
            for i, flag in enumerate(close)))

    assert near_tie_count(outcome(False, False, False)) == 0
    assert near_tie_count(outcome(True, True, False)) == 2
    assert near_tie_count(outcome(True, False, True, False)) == 3


def test_result_for_chosen_parties_only(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/result?v=1&a=eeee&ps=1&p=fjellvik-red")
    assert [name for name, _ in ranking(html)] == ["Raudt Fjellvik"]


def test_result_with_no_party_chosen_asks_again(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/result?v=1&a=eeee&ps=1", 400)
    assert "Choose at least one party." in html


def test_result_with_nothing_answered_lists_parties_without_scores(
        loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/result?v=1&a=sss")
    assert ranking(html) == sorted((n, None) for n in PARTY_NAMES.values())
    assert "nothing to compare" in html


def test_share_link_is_pinned_to_its_version(loaded_app: Flask, tmp_path: Path) -> None:
    client = loaded_app.test_client()
    before = page(client, f"{QUIZ}/result?v=1&a=eDcsbAaa")
    share = re.search(r'id="share-link" [^>]*value="([^"]+)"', before).group(1)
    assert share.startswith("http://localhost/en/fixture/result?v=1&amp;a=eDcsbAaa")
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for path in (content / "positions" / "fixture").glob("*.yaml"):
        path.write_text(path.read_text().replace("value: 2", "value: -2"))
    with loaded_app.app_context():
        lifecycle.load_content(content, publish=True)
    assert ranking(page(client, f"{QUIZ}/result?v=1&a=eDcsbAaa")) == ranking(before)
    assert ranking(page(client, f"{QUIZ}/result?v=2&a=eDcsbAaa")) != ranking(before)


@pytest.mark.parametrize(("url", "status"), [
    ("/en/nope/", 404), ("/en/nope/1", 404), ("/xx/fixture/", 404),
    (f"{QUIZ}/0?v=1", 404), (f"{QUIZ}/9?v=1", 404), (f"{QUIZ}/99999999999999999999", 404),
    (f"{QUIZ}/1?v=abc", 400), (f"{QUIZ}/1?v=7", 404), (f"{QUIZ}/1?v=-1", 400),
    (f"{QUIZ}/result?v=1&a=zzz", 400), (f"{QUIZ}/result?v=1&a=" + "e" * 9, 400),
    (f"{QUIZ}/result?v=1&a=" + "e" * 10000, 400), (f"{QUIZ}/result?v=1&p=nobody", 400),
    (f"{QUIZ}/1/answer?v=1&value=5&go=next", 400), (f"{QUIZ}/1/answer?v=1&value=x", 400),
    (f"{QUIZ}/1/answer?v=1&value=-2&a=%00", 400), (f"{QUIZ}/parties?a=\u00e6", 400),
    (f"{QUIZ}/1/answer", 400), (f"{QUIZ}/result?v=1&a=eeee&r=1&p=", 400),
])
def test_bad_urls_get_a_clear_4xx(loaded_client: FlaskClient, url: str, status: int) -> None:
    response = loaded_client.get(url)
    assert response.status_code == status, (url, response.status_code)
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and "<h1" in html


def test_method_page_has_the_worked_example(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, "/en/method")
    assert "68.75" in html  # cityblock + neutral for the example
    assert "56.25" in html  # cityblock + farthest


def test_method_page_explains_coverage_ties_reasons_rounding_and_the_gate(
        loaded_client: FlaskClient) -> None:
    html = page(loaded_client, "/en/method")
    for words in ("“Has a stated position on 9 of your 30 answers”", "“Few stated positions”",
                  "fewer than a third of your answers", "gets no score",
                  "“nothing to compare”", "“No stated position”", "too close to call",
                  "up to three statements", "57.5 % is shown as 58 %",
                  "between a third of its fair share and three times its fair share",
                  "every party can come first", "only by giving a reason",
                  "“Published despite: …”"):
        assert words in html, words
    assert "matching.md" not in html
    norwegian = page(loaded_client, "/nb/method")
    assert "57,5 % vises som 58 %" in norwegian and "For jevnt til å skille" in norwegian


def test_language_switcher_keeps_the_page(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/3?v=1&a=ee")
    assert 'href="/sv/fixture/3?v=1&amp;a=ee"' in html and '<html lang="en">' in html
    assert '<html lang="nb">' in page(loaded_client, "/nb/fixture/3?v=1&a=ee")


@pytest.mark.parametrize("query", ["lang=sv", "slug=other", "number=x", "_external=1",
                                   "_anchor=top&_scheme=ftp"])
def test_query_arguments_named_like_path_variables_are_ignored(loaded_client: FlaskClient,
                                                               query: str) -> None:
    html = page(loaded_client, f"{QUIZ}/3?v=1&a=ee&{query}")
    assert 'href="/sv/fixture/3?v=1&amp;a=ee"' in html


def test_party_tables_follow_the_language_of_each_request(loaded_client: FlaskClient) -> None:
    """The fixed parts of the result page are made once per language, not once for all."""
    english = "Residents should be free to choose between public and private home care."
    norwegian = "Innbyggerne bør fritt kunne velge mellom kommunale og private hjemmetjenester."
    for _ in range(2):
        html = page(loaded_client, f"{QUIZ}/party/fjellvik-blue?v=1&a=eEdcb")
        assert english in html and norwegian not in html and ">Change<" in html
        html = page(loaded_client, "/nb/fixture/party/fjellvik-blue?v=1&a=eEdcb")
        assert norwegian in html and english not in html and ">Endre<" in html


def test_access_log_never_records_query_strings() -> None:
    from valgomat import gunicorn_conf

    assert "%(U)s" in gunicorn_conf.access_log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert atom not in gunicorn_conf.access_log_format


query_values = st.text(max_size=12) | st.sampled_from(["1", "2", "e", "eDcs", "fjellvik-red",
                                                        "next", "skip", "y", ""]) \
    | hostile_numbers
query_names = st.sampled_from(["v", "a", "p", "ps", "r", "t", "value", "important", "go",
                               "select", "lang", "slug", "number", "_external", "_anchor",
                               "_scheme", "_method"]) | st.text(max_size=8)
queries = st.lists(st.tuples(query_names, query_values), max_size=6)
paths = st.sampled_from([f"{QUIZ}/", f"{QUIZ}/1", f"{QUIZ}/8", f"{QUIZ}/3/answer",
                         f"{QUIZ}/parties", f"{QUIZ}/result", f"{QUIZ}/method",
                         f"{QUIZ}/review", f"{QUIZ}/statements.json",
                         "/nb/fixture-three/result", "/embed/en/fixture/",
                         "/embed/en/fixture/2", "/embed/en/fixture/result"])


@fuzz
@settings(max_examples=examples(200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, query=queries)
def test_generated_voter_urls_never_cause_5xx(loaded_client: FlaskClient, path: str,
                                              query: list[tuple[str, str]]) -> None:
    response = loaded_client.get(path, query_string=query)
    assert response.status_code < 500, (path, query)


def test_the_normative_method_is_published_and_linked(loaded_client: FlaskClient) -> None:
    reply = loaded_client.get("/method.md")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "text/markdown; charset=utf-8"
    text = reply.get_data(as_text=True)
    assert text.startswith("# The matching method") and "```json vector" in text
    page = loaded_client.get("/nb/method").get_data(as_text=True)
    assert 'href="/method.md"' in page


def test_the_result_links_to_its_own_versions_method(loaded_client: FlaskClient) -> None:
    html = loaded_client.get("/en/fixture/result?v=1&a=ab").get_data(as_text=True)
    assert 'href="/en/fixture/method?v=1"' in html
    method = loaded_client.get("/en/fixture/method?v=1")
    assert method.status_code == 200 and "This version passed the check." in method.get_data(
        as_text=True)


@pytest.mark.parametrize("path", ["/editor/no-such-page/", "/xx/fixture/", "/static/nothing"])
def test_a_page_not_found_speaks_a_real_language(loaded_client: FlaskClient, path: str) -> None:
    response = loaded_client.get(path, headers={"Accept-Language": "sv"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    lang = html.split('<html lang="', 1)[1].split('"', 1)[0]
    assert lang in ("nb", "sv", "en", "de"), lang
