"""Party names, order and colours on the voter's pages (issue 17, item 4): short names
where space is scarce with the full name as the description, lists in the language's
alphabet, and a colour of its own for every imported party."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.big_election import write_big_election
from tests.small_election import publish_small_election
from valgomat.content.importers.qualomat import BAR_TRACK, read_election
from valgomat.core.colour import contrast
from valgomat.web.collation import collated


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", ["Apal", "Zeta", "Ærlig", "Østfold", "Ålesund"]),
    ("da", ["Apal", "Zeta", "Ærlig", "Østfold", "Ålesund"]),
    ("sv", ["Apal", "Zeta", "Ålesund", "Ärlig", "Östfold"]),
    ("de", ["Apfel", "Ärzte", "Bär", "Öl", "Zeta"]),  # code points: Ä, Ö after Z
    ("de", ["Liste 1", "Liste 2", "Liste 10"]),  # numbers as numbers
])
def test_lists_follow_the_languages_alphabet(language: str, expected: list[str]) -> None:
    assert collated(sorted(expected, reverse=True), str, language) == expected


@pytest.fixture
def imported(app: Flask, tmp_path: Path) -> FlaskClient:
    publish_small_election(app, tmp_path / "wahl")
    return app.test_client()


def choices(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="p" value="([^"]+)"', html)


def test_party_list_is_alphabetical_by_short_name_with_the_full_name_described(
        imported: FlaskClient) -> None:
    html = imported.get("/de/wahl/parties?v=1&a=aaaa").get_data(as_text=True)
    assert choices(html) == ["aerzte", "oeko", "zukunft"]
    assert ('<label title="Partei der Ärztinnen und Ärzte"><input type="checkbox" name="p" '
            'value="aerzte" checked aria-describedby="name-aerzte">') in html
    assert re.search(r'</svg></span>Ärzte</label><span class="visually-hidden" '
                     r'id="name-aerzte">Partei der Ärztinnen und Ärzte</span>', html)
    # A party without a long name has one name: no description repeats it.
    assert 'value="oeko" checked> <span class="swatch"' in html and "name-oeko" not in html
    assert "Zukunftspartei Deutschlands</label>" not in html


def test_compare_groups_parties_alphabetically_and_the_ranking_uses_short_names(
        imported: FlaskClient) -> None:
    """Zukunft and Öko take the same position on the first statement of 2002."""
    compare = imported.get("/de/wahl/compare?v=1&a=aaaa").get_data(as_text=True)
    listed = re.findall(r"<dd>([^<]*)</dd>", compare)
    assert listed and all(names.split(", ") == sorted(names.split(", "), key=order)
                          for names in listed)
    assert "Öko, Zukunft" in listed, listed  # the quiz's own order is Zukunft, Ärzte, Öko
    result = imported.get("/de/wahl/result?v=1&a=aaaa").get_data(as_text=True)
    ranking = result[result.index("<ol"):result.index("</ol>")]
    assert '<span class="party-name" title="Zukunftspartei Deutschlands">Zukunft</span>' \
        in ranking
    assert "Zukunftspartei Deutschlands</span>" not in ranking
    assert len(re.findall(r'<span class="percent">\d+ %</span>', ranking)) == 3


def order(name: str) -> int:
    return ["Ärzte", "Öko", "Zukunft"].index(name)


def test_imported_parties_each_get_a_colour_that_shows_on_the_bar_track(
        tmp_path: Path) -> None:
    quiz = read_election(write_big_election(tmp_path / "big"))
    colours = [party.colour for party in quiz.parties]
    assert len(colours) == 38 and len(set(colours)) == 38
    assert all(contrast(colour, BAR_TRACK) >= 3 for colour in colours), colours
    assert all(contrast(colour, "#ffffff") >= 3 for colour in colours)  # a tie's white track
