"""The statement steps and the review with the test client: one tap per answer, the
review of all answers, changes that return where they came from, the page budget."""

from __future__ import annotations

import html as markup
import re

import pytest
from flask.testing import FlaskClient

from tests.views.test_quiz import QUIZ, page

#: The fixture quiz: eight statements on the five-point scale (a=-2 … e=+2).
OPTIONS = [("2", "Strongly agree"), ("1", "Agree"), ("0", "Neutral"), ("-1", "Disagree"),
           ("-2", "Strongly disagree")]
STEP_BUDGET = 8 * 1024  # bytes of HTML, uncompressed, without JavaScript


def option_buttons(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<button type="submit" name="value" value="(-?\d)" class="option"'
                      r'(?: aria-current="true")?>(.*?)</button>', html)


def review_rows(html: str) -> list[str]:
    """Each review row's text: the statement, the answer in words, its links."""
    rows = re.findall(r'<li id="review-\d+"[^>]*>(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def location(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 303, (url, response.status_code)
    return response.headers["Location"]


def test_each_option_is_a_submit_button_named_by_its_label(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/1?v=1")
    assert option_buttons(html) == OPTIONS
    important = html.index('name="important"')
    assert important < html.index('name="value"')  # set before answering
    assert "Important to me" in html and "<fieldset>" in html and "<legend>" in html
    assert re.search(r'<button type="submit" name="go" value="skip" class="button secondary">'
                     r"Skip</button>", html)
    assert '>Back</a>' in html and ">Next<" not in html
    assert "1</span> / 8" in html and "<details" in html
    # The form's first submit button answers nothing: Enter in the checkbox submits with it.
    first = re.search(r"<button[^>]*>", html.split('id="answer-form"')[1]).group(0)
    assert first == '<button type="submit" name="go" value="stay" hidden>'


def test_enter_in_the_checkbox_answers_nothing(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/3/answer?v=1&a=ee&important=y&go=stay")
    assert 'id="important" checked' in html and 'role="alert"' not in html
    assert "aria-current=\"true\"" not in html and 'name="a" value="ee"' in html


def test_one_tap_answers_and_moves_on(loaded_client: FlaskClient) -> None:
    assert location(loaded_client, f"{QUIZ}/1/answer?v=1&value=1&important=y") == \
        "/en/fixture/2?v=1&a=D"
    assert location(loaded_client, f"{QUIZ}/2/answer?v=1&a=D&value=-2") == \
        "/en/fixture/3?v=1&a=Da"
    html = page(loaded_client, f"{QUIZ}/1?v=1&a=D")  # Back keeps the answer and importance
    assert '<button type="submit" name="value" value="1" class="option" aria-current="true">' \
        "Agree</button>" in html
    assert len(re.findall(r'class="option" aria-current', html)) == 1
    assert 'id="important" checked' in html


def test_skip_moves_on_and_the_last_statement_goes_to_the_review(
        loaded_client: FlaskClient) -> None:
    assert location(loaded_client, f"{QUIZ}/3/answer?v=1&a=ee&go=skip") == \
        "/en/fixture/4?v=1&a=ees"
    assert location(loaded_client, f"{QUIZ}/8/answer?v=1&a=eeeeeee&go=skip") == \
        "/en/fixture/review?v=1&a=eeeeeees"
    assert location(loaded_client, f"{QUIZ}/8/answer?v=1&a=eeeeeee&value=0&p=fjellvik-red") \
        == "/en/fixture/review?v=1&a=eeeeeeec&p=fjellvik-red"


def test_no_answer_and_no_skip_is_a_clear_400(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/3/answer?v=1&a=ee", 400)
    assert "Choose an answer, or press Skip." in html and 'role="alert"' in html
    assert option_buttons(html) == OPTIONS  # the step again, to answer


def test_review_lists_every_answer_in_words(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/review?v=1&a=eDcsbA")
    rows = review_rows(html)
    assert len(rows) == 8
    answers = ["Strongly agree", "Agree · important", "Neutral", "Skipped", "Disagree",
               "Strongly disagree · important", "Not answered", "Not answered"]
    for row, words in zip(rows, answers, strict=True):
        assert f"Your answer: {words} Change" in row, (row, words)
    assert "Residents should be free to choose" in rows[0]
    continue_link = re.search(r'<a class="button primary" href="([^"]+)">Continue</a>', html)
    assert markup.unescape(continue_link.group(1)) == "/en/fixture/parties?v=1&a=eDcsbA"
    assert '<h1>Your answers</h1>' in html


def test_review_marks_and_unmarks_importance(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/review?v=1&a=eDcsb")
    toggles = [markup.unescape(url) for url in re.findall(
        r'<a href="([^"]+)">(?:Mark as important|Remove the mark)<', html)]
    # Answered statements only: not the skipped fourth, not the unanswered ones.
    assert toggles == ["/en/fixture/review?v=1&a=EDcsb#review-1",
                       "/en/fixture/review?v=1&a=edcsb#review-2",
                       "/en/fixture/review?v=1&a=eDCsb#review-3",
                       "/en/fixture/review?v=1&a=eDcsB#review-5"]
    assert "Remove the mark" in review_rows(html)[1]
    assert "Mark as important" in review_rows(html)[0]
    marked = page(loaded_client, toggles[0].split("#")[0])
    assert "Strongly agree · important" in review_rows(marked)[0]


def test_a_change_from_the_review_returns_to_it(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/review?v=1&a=eDcsb")
    change = markup.unescape(re.findall(r'<a href="([^"]+)">Change<', html)[2])
    assert change == "/en/fixture/3?v=1&a=eDcsb&r=review"
    step = page(loaded_client, change)
    assert "after it you return to your answers" in step
    back = re.search(r'<a id="back" [^>]*href="([^"]+)">Back to your answers</a>', step)
    assert markup.unescape(back.group(1)) == "/en/fixture/review?v=1&a=eDcsb#review-3"
    assert 'name="r" value="review"' in step
    assert location(loaded_client, f"{QUIZ}/3/answer?v=1&a=eDcsb&r=review&value=-2") == \
        "/en/fixture/review?v=1&a=eDasb#review-3"


def test_a_change_from_the_result_returns_to_it(loaded_client: FlaskClient) -> None:
    step = page(loaded_client, f"{QUIZ}/2?v=1&a=eDcsbAaa&r=1")
    assert "after it you return to your result" in step
    back = re.search(r'<a id="back" [^>]*href="([^"]+)">Back to result</a>', step)
    assert markup.unescape(back.group(1)) == "/en/fixture/result?v=1&a=eDcsbAaa"  # unchanged
    assert location(loaded_client, f"{QUIZ}/2/answer?v=1&a=eDcsbAaa&r=1&value=-1") == \
        "/en/fixture/result?v=1&a=ebcsbAaa"
    assert location(loaded_client, f"{QUIZ}/2/answer?v=1&a=eDcsbAaa&r=1&go=skip") == \
        "/en/fixture/result?v=1&a=escsbAaa"


def test_party_selection_goes_back_to_the_review(loaded_client: FlaskClient) -> None:
    html = page(loaded_client, f"{QUIZ}/parties?v=1&a=eeee")
    back = re.search(r'<p class="back"><a href="([^"]+)">Back</a>', html).group(1)
    assert markup.unescape(back) == "/en/fixture/review?v=1&a=eeee"


@pytest.mark.parametrize("url", [
    f"{QUIZ}/review?v=1&a=zzz", f"{QUIZ}/review?v=1&a=" + "e" * 9, f"{QUIZ}/review?v=x",
    f"{QUIZ}/review?v=1&p=nobody", f"{QUIZ}/3?v=1&a=%00&r=review",
    f"{QUIZ}/3/answer?v=1&a=ee&r=review&value=9", "/embed/en/fixture/review?v=1&a=q",
])
def test_a_damaged_link_is_a_400_with_a_way_to_start_again(loaded_client: FlaskClient,
                                                           url: str) -> None:
    html = page(loaded_client, url, 400)
    prefix = "/embed" if url.startswith("/embed") else ""
    if "answer?" in url:  # the answer is bad, not the link: the step again, to answer
        assert 'role="alert"' in html and option_buttons(html) == OPTIONS
    else:
        assert f'href="{prefix}/en/fixture/">Start again</a>' in html


def test_an_unknown_return_is_ignored(loaded_client: FlaskClient) -> None:
    assert location(loaded_client, f"{QUIZ}/2/answer?v=1&a=e&r=elsewhere&value=0") == \
        "/en/fixture/3?v=1&a=ec"


def test_review_and_steps_work_in_the_embed(loaded_client: FlaskClient) -> None:
    assert location(loaded_client, "/embed/en/fixture/8/answer?v=1&a=eeeeeee&value=2") == \
        "/embed/en/fixture/review?v=1&a=eeeeeeee"
    html = page(loaded_client, "/embed/en/fixture/review?v=1&a=eeeeeeee")
    assert 'href="/embed/en/fixture/parties?v=1&amp;a=eeeeeeee">Continue</a>' in html
    assert 'href="/embed/en/fixture/1?v=1&amp;a=eeeeeeee&amp;r=review">Change' in html


def test_step_without_javascript_stays_under_its_budget(loaded_client: FlaskClient) -> None:
    """No embedded JSON: the script fetches the statements document instead."""
    for url in (f"{QUIZ}/1?v=1", f"{QUIZ}/8?v=1&a=eDcsbAa&p=fjellvik-red", "/nb/fixture/4?v=1"):
        response = loaded_client.get(url)
        assert response.status_code == 200
        size = len(response.get_data())
        assert size <= STEP_BUDGET, (url, size)
        assert "application/json" not in response.get_data(as_text=True)


def test_the_statements_document_is_cacheable_and_answer_free(
        loaded_client: FlaskClient) -> None:
    step = page(loaded_client, f"{QUIZ}/3?v=1&a=ee")
    url = markup.unescape(re.search(r'data-statements="([^"]+)"', step).group(1))
    assert url == "/en/fixture/statements.json?v=1"
    response = loaded_client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"].startswith("public")
    statements = response.get_json()
    assert len(statements) == 8
    assert statements[0]["text"].startswith("Residents should be free to choose")
    assert set(statements[0]) == {"topic", "topicLang", "text", "textLang", "explanation",
                                  "explanationLang"}
    norwegian = loaded_client.get("/nb/fixture/statements.json?v=1").get_json()
    assert norwegian[0]["text"].startswith("Innbyggerne bør fritt kunne velge")
    assert loaded_client.get(f"{QUIZ}/statements.json?v=x").status_code == 400


def test_steps_have_a_compact_header(loaded_client: FlaskClient) -> None:
    step = page(loaded_client, f"{QUIZ}/1?v=1")
    assert '<header class="site-header compact">' in step
    assert re.search(r'lang="nb">NB<span class="visually-hidden"> Norsk bokmål</span></a>', step)
    intro = page(loaded_client, f"{QUIZ}/")
    assert '<header class="site-header">' in intro and ">Norsk bokmål</a>" in intro
