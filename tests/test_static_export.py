"""``valgomat export-static``: the static bundle's files, its page shell and the errors.

The bundle is taken end to end in a browser by tests/e2e/test_static_export_browser.py.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_babel import force_locale

from tests.views.test_program_page import (
    OFFICIAL_URL,
    PARTY,
    blue_quotes,
    marks,
    publish_with_program,
)
from valgomat import PACKAGE_DIR
from valgomat.partner.cli import export_static_command
from valgomat.partner.static_export import MARKER
from valgomat.voter import presenters

FILES = {"index.html", "quiz.json", "valgomat.css", "matching.js", "standalone.js",
         "icon.svg", "README.txt", MARKER}


def export(runner: FlaskCliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(export_static_command, list(args))
    return result.exit_code, result.output


class Page(HTMLParser):
    """Every element with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def ui_data(page: Page) -> dict:
    blocks = [text for attrs, text in page.scripts if attrs.get("id") == "ui"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_export_writes_the_bundle(loaded_app: Flask, runner: FlaskCliRunner,
                                  tmp_path: Path) -> None:
    target = tmp_path / "site" / "quiz"
    code, output = export(runner, "fixture", str(target))
    assert code == 0, output
    assert "fixture" in output and str(target) in output
    # and programs/, where the fixture's parties have stored program texts
    assert {p.name for p in target.iterdir()} - {"programs"} == FILES

    api = loaded_app.test_client().get("/api/v1/quizzes/fixture").get_json()
    assert json.loads((target / "quiz.json").read_text(encoding="utf-8")) == api
    assert api["version"] == 1
    for name, source in [("valgomat.css", "css/valgomat.css"), ("matching.js", "js/matching.js"),
                         ("standalone.js", "js/standalone.js"), ("icon.svg", "img/icon.svg")]:
        assert (target / name).read_bytes() == (PACKAGE_DIR / "static" / source).read_bytes()
    readme = (target / "README.txt").read_text(encoding="utf-8")
    assert "http.server" in readme and "version 1" in readme
    marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
    assert marker["quiz"] == "fixture" and marker["version"] == 1


def test_the_bundle_has_a_page_per_stored_program(app: Flask, tmp_path: Path) -> None:
    """programs/<party>.html: the program with the quotes marked, relative URLs only but
    the official program's; the result links the quotes there (standalone.js, from ui)."""
    publish_with_program(app)
    target = tmp_path / "out"
    code, output = export(app.test_cli_runner(), "fixture", str(target), "--lang", "en")
    assert code == 0, output
    assert {p.name for p in target.iterdir()} == FILES | {"programs"}
    assert [p.name for p in (target / "programs").iterdir()] == [f"{PARTY}.html"]
    html = (target / "programs" / f"{PARTY}.html").read_text(encoding="utf-8")
    quoted = blue_quotes(app)
    assert set(marks(html)) == set(quoted)
    assert '<div class="program-text" lang="nb">' in html and "<script" not in html
    page = parse(target / "programs" / f"{PARTY}.html")
    urls = [attrs["href"] for tag, attrs in page.elements if attrs.get("href")]
    assert "../valgomat.css" in urls and "../index.html" in urls
    assert [url for url in urls if ":" in url or url.startswith("/")] == [OFFICIAL_URL]
    ui = ui_data(parse(target / "index.html"))
    assert ui["programPages"] == {PARTY: sorted(quoted)}
    assert ui["texts"]["readInProgram"] == "Read the passage in the program"
    script = (target / "standalone.js").read_text(encoding="utf-8")
    assert '"programs/" + encodeURIComponent(party.id) +' in script
    code, output = export(app.test_cli_runner(), "fixture", str(target))  # again: allowed
    assert code == 0, output


def test_texts_come_from_the_catalogue_of_the_quizs_first_language(
        loaded_app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    assert export(runner, "fixture", str(tmp_path / "nb"))[0] == 0
    page = parse(tmp_path / "nb" / "index.html")
    ui = ui_data(page)
    html = (tmp_path / "nb" / "index.html").read_text(encoding="utf-8")
    assert ('html', {"lang": "nb"}) in page.elements
    with loaded_app.test_request_context("/"), force_locale("nb"):
        assert ui["options"] == [[v, label] for v, label in presenters.answer_options(5)]
        assert ui["labels"]["null"] == presenters.answer_label(None, 5)
        assert ui["agreement"]["same"] == ["✓", str(presenters.AGREEMENT["same"][1])]
        assert ui["methodNames"]["cityblock"] == str(presenters.METHOD_NAMES["cityblock"])
        assert ui["missingSentences"]["neutral"] == str(presenters.MISSING_SENTENCES["neutral"])
    assert ui["options"][0] == [2, "Helt enig"]
    assert set(ui["quoteLanguages"].values()) == {"nb"}  # the quotes' lang: the programs'
    assert "Helt enig" in html and "Viktig for meg" in html
    assert "Valgomat for Fjellvik kommune (testdata)" in html
    assert ui["version"] == 1 and ui["lang"] == "nb"


def test_result_texts_for_coverage_ties_and_reasons(loaded_app: Flask, runner: FlaskCliRunner,
                                                   tmp_path: Path) -> None:
    """The texts standalone.js puts under each party, with ``{…}`` for its numbers and
    links, in both plural forms, from the catalogue; the method screen explains them."""
    assert export(runner, "fixture", str(tmp_path / "nb"))[0] == 0
    ui = ui_data(parse(tmp_path / "nb" / "index.html"))
    texts, counted = ui["texts"], ui["counted"]
    assert counted["one"]["coverage"] == ("Har et uttalt standpunkt på {stated} av {count} "
                                          "påstand du har svart på")
    assert counted["other"]["coverage"] == ("Har et uttalt standpunkt på {stated} av de "
                                            "{count} påstandene du har svart på")
    assert counted["one"]["few"].endswith("bygger på {count} påstand")
    assert counted["other"]["few"].endswith("bygger på {count} påstander")
    assert texts["nearTie"] == ("For jevnt til å skille: ett annet svar kan endre rekkefølgen "
                                "på de {count} første partiene.")
    assert texts["tooClose"] == "For jevnt til å skille"
    assert texts["agrees"] == "Enig med deg om «{statement}»"
    assert texts["disagrees"] == "Uenig med deg om «{statement}»"
    assert texts["noPosition"] == "Ikke uttalt standpunkt"
    assert texts["unanswered"] == "Du har ikke svart på noen påstand i dette temaet."
    html = (tmp_path / "nb" / "index.html").read_text(encoding="utf-8")
    assert '<p class="near-tie" id="near-tie" hidden>' in html
    assert "57,5 % vises som 58 %" in html and "Få uttalte standpunkter" in html
    assert "matching.md" not in html


def test_lang_option_and_a_three_point_scale(loaded_app: Flask, runner: FlaskCliRunner,
                                             tmp_path: Path) -> None:
    code, output = export(runner, "fixture-three", str(tmp_path / "en"), "--lang", "en",
                          "--version", "1")
    assert code == 0, output
    page = parse(tmp_path / "en" / "index.html")
    ui = ui_data(page)
    assert ui["options"] == [[1, "Agree"], [0, "Neutral"], [-1, "Disagree"]]
    options = [attrs["value"] for tag, attrs in page.elements
               if tag == "button" and attrs.get("name") == "value"]
    assert options == ["1", "0", "-1"]  # one submit button per answer
    html = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    for label in ["Start", "Important to me", "Skip", "Back", "Show results",
                  "Select all", "Select none", "What does this mean?", "Your result",
                  "Matched with directional (scalar product); statements where a party has "
                  "no stated position are left out for that party.",  # the method view
                  "The percentage says how often each party is on the same side as you, and "
                  "how strongly; statements where a party has no stated position"]:  # result
        assert label in html
    # The fixture's first language is not English: a quiz in English alone defaults to en.
    assert export(runner, "fixture-three", str(tmp_path / "default"))[0] == 0
    assert ui_data(parse(tmp_path / "default" / "index.html"))["lang"] == "en"


def test_page_has_no_inline_script_or_style(loaded_app: Flask, runner: FlaskCliRunner,
                                            tmp_path: Path) -> None:
    assert export(runner, "fixture", str(tmp_path / "out"))[0] == 0
    page = parse(tmp_path / "out" / "index.html")
    sources = []
    for attrs, text in page.scripts:
        if attrs.get("type") == "application/json":  # data, never executed
            json.loads(text)
            assert "src" not in attrs
        else:
            assert attrs.get("src") and not text.strip(), attrs
            sources.append(attrs["src"])
    assert sources == ["matching.js", "standalone.js"]
    for tag, attrs in page.elements:
        assert tag != "style"
        assert "style" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any((value or "").strip().lower().startswith("javascript:")
                       for value in attrs.values())


def test_page_has_only_relative_urls(loaded_app: Flask, runner: FlaskCliRunner,
                                     tmp_path: Path) -> None:
    assert export(runner, "fixture", str(tmp_path / "out"), "--lang", "en")[0] == 0
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "http" not in html and "//" not in html
    page = parse(tmp_path / "out" / "index.html")
    urls = [value for _, attrs in page.elements for name, value in attrs.items()
            if name in {"href", "src", "action", "srcset", "poster", "data"} and value]
    assert "valgomat.css" in urls and "standalone.js" in urls and "icon.svg" in urls
    for url in urls:
        assert not url.startswith("/") and ":" not in url.split("#")[0], url


def test_export_again_into_an_earlier_export(loaded_app: Flask, runner: FlaskCliRunner,
                                             tmp_path: Path) -> None:
    target = tmp_path / "out"
    assert export(runner, "fixture", str(target))[0] == 0
    code, output = export(runner, "fixture", str(target), "--lang", "en")
    assert code == 0, output
    assert ui_data(parse(target / "index.html"))["lang"] == "en"
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = export(runner, "fixture", str(target))
    assert code == 1
    assert "notes.txt" in output and "refusing" in output
    assert ui_data(parse(target / "index.html"))["lang"] == "en"  # untouched


def test_refuses_a_non_empty_foreign_directory(loaded_app: Flask, runner: FlaskCliRunner,
                                               tmp_path: Path) -> None:
    target = tmp_path / "website"
    target.mkdir()
    (target / "index.html").write_text("<p>someone else's page</p>", encoding="utf-8")
    code, output = export(runner, "fixture", str(target))
    assert code == 1
    assert "Error:" in output and "not empty" in output and MARKER in output
    assert (target / "index.html").read_text(encoding="utf-8") == "<p>someone else's page</p>"
    assert [p.name for p in target.iterdir()] == ["index.html"]
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    assert export(runner, "fixture", str(file))[0] != 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(runner, "fixture", str(empty))[0] == 0


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-quiz"], "No published quiz 'no-such-quiz'."),
    (["fixture", "--version", "7"], "Quiz 'fixture' has no published version 7."),
    (["fixture", "--lang", "xx"], "Unknown language 'xx'; choose one of: nb, sv, en, de."),
])
def test_errors(loaded_app: Flask, runner: FlaskCliRunner, tmp_path: Path, args: list[str],
                message: str) -> None:
    target = tmp_path / "out"
    code, output = export(runner, args[0], str(target), *args[1:])
    assert code == 1
    assert f"Error: {message}" in output
    assert not target.exists()


def test_unpublished_quiz_is_not_exported(app: Flask, runner: FlaskCliRunner,
                                          tmp_path: Path) -> None:
    code, output = export(runner, "fixture", str(tmp_path / "out"))
    assert code == 1 and "No published quiz 'fixture'." in output
