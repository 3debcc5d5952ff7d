"""The static export (``valgomat export-static``) taken end to end in Chromium.

The shipped quiz is exported and the bundle served by a plain static file server
(``http.server``), with no Valgomat behind it. A voter takes the whole quiz there
(some answers important, some skipped, Back once, one party unticked); the ranking
must equal the server's result page and the JSON API for the same answers and
parties, also when the share link is opened in a fresh browser, and no request may
leave the static server's origin.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from conftest import published_app, serve
from voter_plans import (
    LABELS,
    QUIZ,
    Choice,
    Ranking,
    answer,
    answer_code,
    api_match,
    expect_notes,
    expect_preselected,
    follow_first_reason,
    read_notes,
    read_ranking,
    voter_plan,
)

from valgomat.partner.cli import export_static_command

PHONE = {"width": 375, "height": 800}


class QuietHandler(SimpleHTTPRequestHandler):
    """No access log: the page's URLs hold no answers (they are after "#"), but quiet."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-export-server",
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def server_ranking(base: str, quiz: dict[str, Any], plan: list[Choice],
                   parties: list[str]) -> Ranking:
    """``POST /api/v1/quizzes/{slug}/match`` for these answers and parties, as
    (display name, whole percent as the API rounds it)."""
    ids = [s["id"] for s in quiz["statements"]]
    body = {"answers": {sid: c.value for sid, c in zip(ids, plan, strict=True)},
            "important": [sid for sid, c in zip(ids, plan, strict=True)
                          if c.important and c.value is not None],
            "parties": parties}
    request = urllib.request.Request(
        f"{base}/api/v1/quizzes/{quiz['slug']}/match", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as reply:
        result = json.load(reply)
    assert result["version"] == quiz["version"]
    names = {p["id"]: p["name"] for p in quiz["parties"]}
    return [(names[r["party"]], r["percent"]) for r in result["results"]]


def hash_params(url: str) -> dict[str, list[str]]:
    return parse_qs(url.split("#", 1)[1]) if "#" in url else {}


def expect_statement(page: Any, expect: Any, quiz: dict[str, Any], number: int) -> None:
    total = len(quiz["statements"])
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(quiz["statements"][number - 1]["text"]["en"])
    expect(heading).to_be_focused()  # focus moves to the new statement
    expect(page.locator("#progress")).to_contain_text(f"{number} / {total}")
    expect(page).to_have_title(re.compile(rf"^{number} / {total} "))




def test_static_export_matches_the_server(browser: Any, expect: Any, tmp_path: Path,
                                          build_dir: Path) -> None:
    app = published_app(tmp_path / "db.sqlite3")
    bundle = tmp_path / "bundle"
    with app.app_context():
        result = app.test_cli_runner().invoke(
            export_static_command, [QUIZ, str(bundle), "--lang", "en"])
        assert result.exit_code == 0, result.output
    quiz: dict[str, Any] = json.loads((bundle / "quiz.json").read_text(encoding="utf-8"))
    total = len(quiz["statements"])
    plan = voter_plan(total, seed=1)
    assert any(c.label is None for c in plan) and any(c.important for c in plan)
    back_at = next(n for n, c in enumerate(plan, start=1) if n > 2 and c.important and c.label)
    dropped = quiz["parties"][1]
    chosen = [p["id"] for p in quiz["parties"] if p["id"] != dropped["id"]]

    with serve(app) as server, static_server(bundle) as site:
        expected = server_ranking(server, quiz, plan, chosen)
        assert len(expected) == len(quiz["parties"]) - 1
        assert dropped["name"] not in {name for name, _ in expected}

        # The server's own result page for the same answers and parties.
        query = urlencode([("v", quiz["version"]), ("a", answer_code(plan))]
                          + [("p", pid) for pid in chosen])
        server_context = browser.new_context()
        try:
            server_page = server_context.new_page()
            server_page.goto(f"{server}/en/{QUIZ}/result?{query}")
            assert read_ranking(server_page, quiz) == expected
        finally:
            server_context.close()

        requests: list[str] = []
        context = browser.new_context()
        context.on("request", lambda request: requests.append(request.url))
        try:
            page = context.new_page()
            page.goto(f"{site}/")
            expect(page.get_by_role("heading", level=1)).to_have_text(quiz["title"]["en"])
            expect(page.get_by_text(f"{total} statements", exact=True)).to_be_visible()
            page.get_by_role("link", name="Start", exact=True).click()
            for number in range(1, total + 1):
                expect_statement(page, expect, quiz, number)
                if number == back_at + 1:
                    page.get_by_role("link", name="Back", exact=True).click()
                    expect_statement(page, expect, quiz, back_at)
                    expect_preselected(page, expect, plan[back_at - 1])
                    answer(page, plan[back_at - 1])
                    expect_statement(page, expect, quiz, number)
                answer(page, plan[number - 1])

            # The review: every answer in words, then "Continue".
            expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
            rows = page.locator("ol.review > li")
            expect(rows).to_have_count(total)
            for row, choice in zip(rows.all(), plan, strict=True):
                words = "Skipped" if choice.label is None else choice.label
                expect(row).to_contain_text(f"Your answer: {words}")
            page.get_by_role("link", name="Continue", exact=True).click()

            # The party step: all ticked; untick one.
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Which parties do you want to compare?")
            for party in quiz["parties"]:
                expect(page.get_by_role("checkbox", name=party["short_name"], exact=True)
                       ).to_be_checked()
            page.get_by_role("checkbox", name=dropped["short_name"], exact=True).uncheck()
            page.get_by_role("button", name="Show results", exact=True).click()
            heading = page.get_by_role("heading", name="Your result", exact=True)
            expect(heading).to_be_focused()

            assert read_ranking(page, quiz) == expected
            share = page.locator("input#share-link").input_value()
            assert share == page.url and share.startswith(f"{site}/#")
            params = hash_params(share)
            assert params["a"] == [answer_code(plan)]  # answercode.py's format
            assert params["p"] == chosen and params["s"] == ["result"]
            assert params["v"] == [str(quiz["version"])] and "r" not in params

            # "Why?" shows the statement table with the party's evidence.
            first = page.locator("ol").first.locator(":scope > li").first
            first.locator("summary", has_text="Why?").click()
            table = first.get_by_role("table")
            expect(table).to_be_visible()
            expect(table.locator("tbody > tr:not(.evidence)")).to_have_count(total)
            expect(table.locator("tr.evidence").first).to_contain_text("Confidence:")
            expect(table.locator("blockquote[lang]").first).to_be_attached()
            expect(page.locator("#view-result .method-sentence")).to_contain_text(
                "The percentage says how often each party is on the same side as you, and how "
                "strongly; statements where a party has no stated position are left out for "
                "that party.")  # the method's name only on the method view

            # Change an answer from the table: back on the result, the ranking follows
            # the server again.
            number = next(n for n, c in enumerate(plan, start=1) if c.label is not None)
            old = plan[number - 1]
            new = Choice("Strongly disagree" if old.value != -2 else "Strongly agree",
                         not old.important)
            first.get_by_role("link", name=f"Change your answer to statement {number}",
                              exact=True).click()
            expect_statement(page, expect, quiz, number)
            expect_preselected(page, expect, old)
            answer(page, new)
            expect(heading).to_be_visible()
            changed = [*plan]
            changed[number - 1] = new
            assert read_ranking(page, quiz) == server_ranking(server, quiz, changed, chosen)
            page.go_back()  # the browser's Back returns to the statement
            expect_statement(page, expect, quiz, number)
            page.go_forward()
            expect(heading).to_be_visible()
            share = page.locator("input#share-link").input_value()
            assert hash_params(share)["a"] == [answer_code(changed)]
        finally:
            context.close()

        # The share link, opened in a fresh browser at phone width, gives the same ranking.
        fresh = browser.new_context(viewport=PHONE)
        fresh.on("request", lambda request: requests.append(request.url))
        try:
            shared = fresh.new_page()
            shared.goto(share)
            expect(shared.get_by_role("heading", name="Your result", exact=True)).to_be_visible()
            assert read_ranking(shared, quiz) == server_ranking(server, quiz, changed, chosen)
            folder = build_dir / "screenshots"
            folder.mkdir(parents=True, exist_ok=True)
            shared.screenshot(path=str(folder / "static-result-phone.png"), full_page=True)
        finally:
            fresh.close()

    # Nothing but the static site itself is ever asked for anything.
    assert requests
    elsewhere = [url for url in requests if not url.startswith(site + "/")]
    assert elsewhere == []
    fetched = {url.removeprefix(site + "/").split("#")[0] for url in requests}
    assert fetched <= {"", "index.html", "valgomat.css", "matching.js", "standalone.js",
                       "quiz.json", "icon.svg"}, fetched


#: Answer codes (answercode.py) that show, on the shipped quiz, a party with nothing to
#: compare, few stated positions, parties too close to call (once with a party between
#: them that is not close itself), no near-tie, and reasons both ways (checked below).
CODES = ["easa", "csbcaaas", "Deccsd", "aAse", "adcesdacbdaedecesdbssdecbcd"]


def plan_of(code: str, total: int) -> list[Choice]:
    labels = {value: label for label, value in LABELS.items()}
    return [Choice(None) if ch == "s" else Choice(labels["abcde".index(ch.lower()) - 2],
                                                   important=ch.isupper())
            for ch in code.ljust(total, "s")]


def shown_texts(page: Any) -> tuple[str, str]:
    """The near-tie sentence (empty without one) and the topic scores, as read."""
    def read(selector: str) -> str:
        found = page.locator(f"{selector}:visible")
        return " ".join(found.inner_text().split()) if found.count() else ""

    return read(".near-tie"), read(".topics")


def test_static_export_says_what_the_server_says(browser: Any, expect: Any,
                                                 tmp_path: Path) -> None:
    """Coverage, few stated positions, nothing to compare, near-ties, reasons and topic
    scores: the static export's result shows what the server's result page shows, and
    both what the API returns."""
    app = published_app(tmp_path / "db.sqlite3")
    bundle = tmp_path / "bundle"
    with app.app_context():
        assert app.test_cli_runner().invoke(
            export_static_command, [QUIZ, str(bundle), "--lang", "en"]).exit_code == 0
    quiz: dict[str, Any] = json.loads((bundle / "quiz.json").read_text(encoding="utf-8"))
    version, seen = quiz["version"], []
    with serve(app) as server, static_server(bundle) as site:
        context = browser.new_context()
        try:
            page = context.new_page()
            for code in CODES:
                page.goto(f"{server}/en/{QUIZ}/result?v={version}&a={code}")
                result = api_match(server, quiz, plan_of(code, len(quiz["statements"])))
                expect_notes(page, expect, quiz, result)
                on_server = (read_ranking(page, quiz), read_notes(page), shown_texts(page))
                page.goto(f"{site}/#s=result&v={version}&a={code}")
                expect(page.get_by_role("heading", name="Your result", exact=True)
                       ).to_be_visible()
                expect_notes(page, expect, quiz, result)
                assert (read_ranking(page, quiz), read_notes(page), shown_texts(page)
                        ) == on_server, code
                seen += read_notes(page)
                assert "No stated position" in on_server[2][1] or code != "easa"
            follow_first_reason(page, expect)  # the static page's own handler opens it
            expect(page).to_have_url(re.compile(r"#s=result&"))  # the state stays
        finally:
            context.close()
    assert any(not note["bar"] for note in seen) and any(note["few"] for note in seen)
    assert any(note["tied"] for note in seen) and any(not note["tied"] for note in seen)
    kinds = {reason[0] for note in seen for reason in note["reasons"]}
    assert kinds == {"agree", "disagree"}


@contextmanager
def english_bundle(tmp_path: Path) -> Iterator[str]:
    """The demo exported in English and served; yields the site's URL."""
    app = published_app(tmp_path / "db.sqlite3")
    bundle = tmp_path / "bundle"
    with app.app_context():
        assert app.test_cli_runner().invoke(
            export_static_command, [QUIZ, str(bundle), "--lang", "en"]).exit_code == 0
    try:
        with static_server(bundle) as site:
            yield site
    finally:
        with app.app_context():
            from valgomat.extensions import db
            db.engine.dispose()


def test_review_marks_importance_and_a_change_comes_back(browser: Any, expect: Any,
                                                        tmp_path: Path) -> None:
    with english_bundle(tmp_path) as site:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{site}/#s=review&v=1&a=eesc")
            row = page.locator("#review-2")
            expect(row).to_contain_text("Your answer: Strongly agree")
            row.get_by_role("link", name="Mark as important").click()
            expect(page.locator("#review-2")).to_contain_text("Strongly agree · important")
            assert "a=eEsc" in page.url
            expect(page.locator("#review-3")).to_contain_text("Your answer: Skipped")
            expect(page.locator("#review-3").get_by_role("link")).to_have_count(1)  # Change
            page.locator("#review-4").get_by_role(
                "link", name="Change your answer to statement 4", exact=True).click()
            page.get_by_role("button", name="Disagree", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
            expect(page.locator("#review-4")).to_contain_text("Your answer: Disagree")
            page.get_by_role("link", name="Continue", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Which parties do you want to compare?")
            assert "a=eEsb" in page.url
        finally:
            context.close()


def test_damaged_share_link_says_so(browser: Any, expect: Any, tmp_path: Path) -> None:
    with english_bundle(tmp_path) as site:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{site}/#s=result&v=1&a=zzz")
            expect(page.get_by_role("alert")).to_contain_text("damaged")
            expect(page.get_by_role("link", name="Start", exact=True)).to_be_visible()
            page.goto(f"{site}/#s=result&v=1&a=c&p=no-such-party")
            expect(page.get_by_role("alert")).to_contain_text("not in this quiz")
        finally:
            context.close()


def test_static_pages_pass_axe(browser: Any, expect: Any, tmp_path: Path,
                               axe_source: Path) -> None:
    """axe-core on every screen of the bundle: no serious or critical violations."""
    app = published_app(tmp_path / "db.sqlite3")
    bundle = tmp_path / "bundle"
    with app.app_context():
        assert app.test_cli_runner().invoke(
            export_static_command, [QUIZ, str(bundle)]).exit_code == 0  # nb, the default
        from valgomat.extensions import db
        db.engine.dispose()
    quiz = json.loads((bundle / "quiz.json").read_text(encoding="utf-8"))
    code = answer_code(voter_plan(len(quiz["statements"])))
    screens = {"intro": "", "step": "#s=1&v=1", "step-answered": f"#s=2&v=1&a={code}",
               "review": f"#s=review&v=1&a={code}",
               "parties": f"#s=parties&v=1&a={code}", "result-why-open": f"#s=result&v=1&a={code}",
               "method": "#s=method&v=1", "damaged-link": "#s=result&v=1&a=zzz"}
    failures = []
    with static_server(bundle) as site:
        context = browser.new_context()
        try:
            for name, fragment in screens.items():
                page = context.new_page()
                page.goto(f"{site}/index.html{fragment}")
                expect(page.locator("section:not([hidden]) h1")).to_be_visible()
                if name == "result-why-open":
                    page.locator("ol").first.locator("summary").first.click()
                page.add_script_tag(path=str(axe_source))
                found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                failures += [f"{name}: {v['id']} ({v['impact']}): {v['help']} "
                             f"{[n['target'] for n in v['nodes'][:3]]}"
                             for v in found["violations"] if v["impact"] in {"serious",
                                                                              "critical"}]
                page.close()
        finally:
            context.close()
    assert not failures, "\n".join(failures)
