"""The position grid counts each party's stated positions, so gaps show at a glance."""

import re

from flask import Flask
from flask.testing import FlaskClient

from valgomat.storage import published


def test_the_grid_counts_stated_positions_per_party(loaded_app: Flask,
                                                    editor_client: FlaskClient) -> None:
    page = editor_client.get("/editor/quizzes/fixture/grid").get_data(as_text=True)
    footer = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S)
    assert footer is not None
    with loaded_app.app_context():
        quiz = published.published_quiz("fixture")
        assert quiz is not None
        expected = [sum(value is not None for value in party.positions.values())
                    for party in quiz.parties]
        active = len(quiz.statements)
    assert f"Stated positions (of {active} active statements)" in footer[1]
    assert re.findall(r"<td>(\d+)</td>", footer[1]) == [str(n) for n in expected]
    assert len(set(expected)) > 1  # the fixture's parties differ, so order matters
