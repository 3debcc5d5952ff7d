"""The voter pages with the test client: the flow, the contracts of api.md, bad URLs."""

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
from tests.fuzzing import examples, fuzz
from valgomat import services

QUIZ = "/en/fixture"
PARTY_NAMES = {"fjellvik-blue": "Blålista Fjellvik", "fjellvik-green": "Grønn framtid Fjellvik",
               "fjellvik-red": "Raudt Fjellvik"}


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def ranking(html: str) -> list[tuple[str, int | None]]:
    ranking_list = re.search(r"<ol[^>]*>(.*?)</ol>", html, re.S).group(1)
    items = re.findall(r'<span class="party-name">(.*?)</span>\s*(?:<span class="percent">'
                       r"(\d+) %</span>)?", ranking_list)
    return [(name, int(pct) if pct else None) for name, pct in items]


def test_intro_says_what_the_quiz_is(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/")
    assert "8 statements" in html and "not stored" in html
    assert 'href="/en/method"' in html
    assert re.search(r'<a class="button primary" href="/en/fixture/1\?v=1">Start</a>', html)


def test_step_has_the_accessible_controls(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/1?v=1")
    assert "<fieldset>" in html and "<legend>" in html
    labels = re.findall(r'<input type="radio" name="value" value="(-?\d)"> <span>(.*?)</span>',
                        html)
    assert labels == [("2", "Strongly agree"), ("1", "Agree"), ("0", "Neutral"),
                      ("-1", "Disagree"), ("-2", "Strongly disagree")]
    assert 'name="important"' in html and "Important to me" in html
    assert ">Next</button>" in html and ">Skip</button>" in html and ">Back</a>" in html
    assert "1</span> / 8" in html and "<details" in html


def test_answering_moves_on_and_back_preselects(loaded_client: FlaskClient) -> None:
    response = loaded_client.get(f"{QUIZ}/1/answer?v=1&value=1&important=y&go=next")
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/fixture/2?v=1&a=D"
    html = page(loaded_client, f"{QUIZ}/1?v=1&a=D")
    assert 'value="1" checked' in html and 'id="important" checked' in html


def test_skip_and_last_statement_go_to_party_selection(loaded_client: FlaskClient) -> None:
    response = loaded_client.get(f"{QUIZ}/8/answer?v=1&a=eeeeeee&go=skip")
    assert response.headers["Location"] == "/en/fixture/parties?v=1&a=eeeeeees"


def test_next_without_an_answer_is_a_clear_400(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/3/answer?v=1&a=ee&go=next", 400)
    assert "Choose an answer, or press Skip." in html and 'role="alert"' in html


def test_party_selection_starts_all_ticked(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/parties?v=1&a=eeee")
    assert html.count('name="p" value=') == 3 and html.count(" checked>") == 3
    assert "Select all" in html and "Select none" in html and "Show results" in html
    none = page(loaded_client, f"{QUIZ}/parties?v=1&a=eeee&ps=1&select=none")
    assert " checked>" not in none


def test_result_ranking_matches_the_api(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/result?v=1&a=eDcsbAaa")
    quiz = loaded_client.get("/api/v1/quizzes/fixture").get_json()
    ids = [s["id"] for s in quiz["statements"]]
    values = [2, 1, 0, None, -1, -2, -2, -2]
    api = loaded_client.post("/api/v1/quizzes/fixture/match", json={
        "answers": dict(zip(ids, values, strict=True)), "important": [ids[1], ids[5]],
    }).get_json()
    expected = [(PARTY_NAMES[r["party"]], int(r["score"] + 0.5)) for r in api["results"]]
    assert ranking(html) == expected
    assert "No stated position" in html and "Confidence:" in html
    assert "city-block distance" in html and "count as neutral" in html


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
        services.load_content(content, publish=True)
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


def test_result_tables_follow_the_language_of_each_request(loaded_client: FlaskClient) -> None:
    """The fixed parts of the result page are made once per language, not once for all."""
    english = "Residents should be free to choose between public and private home care."
    norwegian = "Innbyggerne bør fritt kunne velge mellom kommunale og private hjemmetjenester."
    for _ in range(2):
        html = page(loaded_client, f"{QUIZ}/result?v=1&a=eEdcb")
        assert english in html and norwegian not in html and ">Change<" in html
        html = page(loaded_client, "/nb/fixture/result?v=1&a=eEdcb")
        assert norwegian in html and english not in html and ">Endre<" in html


def test_access_log_never_records_query_strings() -> None:
    from valgomat import gunicorn_conf

    assert "%(U)s" in gunicorn_conf.access_log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert atom not in gunicorn_conf.access_log_format


query_values = st.text(max_size=12) | st.sampled_from(["1", "2", "e", "eDcs", "fjellvik-red",
                                                        "next", "skip", "y", ""])
query_names = st.sampled_from(["v", "a", "p", "ps", "r", "t", "value", "important", "go",
                               "select", "lang", "slug", "number", "_external", "_anchor",
                               "_scheme", "_method"]) | st.text(max_size=8)
queries = st.lists(st.tuples(query_names, query_values), max_size=6)
paths = st.sampled_from([f"{QUIZ}/", f"{QUIZ}/1", f"{QUIZ}/8", f"{QUIZ}/3/answer",
                         f"{QUIZ}/parties", f"{QUIZ}/result", "/nb/fixture-three/result"])


@fuzz
@settings(max_examples=examples(200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, query=queries)
def test_generated_voter_urls_never_cause_5xx(loaded_client: FlaskClient, path: str,
                                              query: list[tuple[str, str]]) -> None:
    response = loaded_client.get(path, query_string=query)
    assert response.status_code < 500, (path, query)
