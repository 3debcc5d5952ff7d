"""The start, intro and method pages follow the quiz (issue 17, item 5): program quotes
or the parties' own answers, and the worked example on the quiz's own scale."""

from __future__ import annotations

import html as html_text
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.small_election import SLUG, publish_small_election
from valgomat.core.model import SCALES
from valgomat.partner.static_export import render_index
from valgomat.storage import published
from valgomat.voter.method_example import ANSWERS, worked_example

FROM_PROGRAMS = "taken from its program"


@pytest.fixture
def imported(loaded_app: Flask, tmp_path: Path) -> FlaskClient:
    """The fixture (program quotes, five points) and an import (own answers, three)."""
    publish_small_election(loaded_app, tmp_path / "wahl")
    return loaded_app.test_client()


def main_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    main = body[body.index("<main"):body.index("</main>")]
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_intro_says_where_the_positions_come_from(imported: FlaskClient) -> None:
    german = main_text(imported, f"/de/{SLUG}/")
    assert "mit den Antworten, die die Parteien selbst gegeben haben" in german
    assert "Programm" not in german and "Zitat" not in german
    english = main_text(imported, "/en/fixture/")
    assert FROM_PROGRAMS in english and "the program's own words" in english
    intro = imported.get(f"/de/{SLUG}/").get_data(as_text=True)
    assert f'<a href="/de/{SLUG}/method?v=1">Zur Methode</a>' in intro  # the quiz's own


def test_start_page_promises_quotes_when_every_quiz_has_them(
        loaded_client: FlaskClient) -> None:
    assert "the programs' own words as evidence" in main_text(loaded_client, "/en/")


def test_start_page_promises_no_quotes_when_a_quiz_has_none(imported: FlaskClient) -> None:
    both = main_text(imported, "/en/")
    assert "programs" not in both and "come closest to your views, and why" in both


def test_method_page_of_an_imported_quiz_explains_its_three_points(
        imported: FlaskClient) -> None:
    text = main_text(imported, f"/de/{SLUG}/method?v=1")
    assert "Antwortskala mit 3 Antworten, von „Stimme nicht zu“ bis „Stimme zu“" in text
    assert "Jede Partei hat die Thesen selbst beantwortet" in text
    assert "Zitat" not in text and "Stimme voll zu" not in text and "überhaupt" not in text
    assert "Vier Thesen auf der Skala dieser Wahlhilfe mit 3 Antworten" in text
    assert "2 × 0,0 + 1 × 1,0 + 1 × 1,0 = 2,0" in text and "= 75,00 %" in text
    english = main_text(imported, "/en/fixture/method?v=1")
    assert "scale of 5 answers, from “Strongly disagree” to “Strongly agree”" in english
    assert FROM_PROGRAMS in english and "= 68.75 %" in english


@pytest.mark.parametrize("points", sorted(SCALES))
def test_every_scale_has_a_worked_example(points: int) -> None:
    example = worked_example(points)
    voter, party = ANSWERS[points]
    assert set(voter.values()) - {None} <= set(SCALES[points].values)
    assert set(party.values()) - {None} <= set(SCALES[points].values)
    score = example["scores"][("cityblock", "neutral")]  # type: ignore[index]
    assert score == pytest.approx(100 * (1 - example["weighted_total"] / 8))  # type: ignore[operator]


def test_static_export_of_an_imported_quiz_follows_it(imported: FlaskClient,
                                                      loaded_app: Flask) -> None:
    with loaded_app.test_request_context():
        quiz = published.published_quiz(SLUG)
        assert quiz is not None
        page = render_index(quiz, "de")
    assert "Antworten, die die Parteien selbst gegeben haben" in page
    assert "Jede Partei hat die Thesen selbst beantwortet" in page
    assert 'id="topics"' not in page and "<h2>Ergebnisse nach Themen" not in page  # one topic
