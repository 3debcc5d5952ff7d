"""A partner page on another origin embeds the quiz: framing, auto-height, messages."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.e2e.conftest import published_app, serve
from valgomat.extensions import db
from valgomat.storage import models

HOST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title>
<script src="record.js"></script></head><body><h1>An article</h1>
<iframe src="{frame}" title="Valgomat" data-valgomat style="width:100%;height:300px;border:0">
</iframe><script src="{host}"></script></body></html>"""
RECORDER = "window.seen = []; addEventListener('message', e => seen.push(e.data));"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(our URL, the partner's URL, the partner's folder): two origins on loopback."""
    folder = tmp_path_factory.mktemp("partner")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    partner_url = f"http://localhost:{server.server_port}"
    app = published_app(tmp_path_factory.mktemp("embed-db") / "embed.sqlite3")
    with app.app_context():
        quiz = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == "lokalvalg"))
        quiz.embed_origins = [partner_url]
        db.session.commit()
    try:
        with serve(app) as ours:
            yield ours, partner_url, folder
    finally:
        server.shutdown()
        server.server_close()


def host_page(folder: Path, ours: str, path: str) -> None:
    (folder / "record.js").write_text(RECORDER)
    (folder / "index.html").write_text(HOST_PAGE.format(
        frame=f"{ours}{path}", host=f"{ours}/static/js/host.js"))


def test_partner_page_embeds_and_resizes(browser: Any, partner: tuple[str, str, Path],
                                         expect: Any) -> None:
    ours, partner_url, folder = partner
    host_page(folder, ours, "/embed/en/lokalvalg/")
    page = browser.new_page(viewport={"width": 400, "height": 800})
    page.goto(f"{partner_url}/index.html")
    frame = page.frame_locator("iframe[data-valgomat]")
    expect(frame.get_by_role("link", name="Start")).to_be_visible()
    iframe = page.locator("iframe[data-valgomat]")
    page.wait_for_function("document.querySelector('iframe').style.height !== '300px'")
    intro_height = iframe.evaluate("f => f.getBoundingClientRect().height")
    frame.get_by_role("link", name="Start").click()
    frame.get_by_role("button", name="Agree", exact=True).click()
    frame.get_by_role("button", name="Disagree", exact=True).click()
    page.wait_for_timeout(300)
    step_height = iframe.evaluate("f => f.getBoundingClientRect().height")
    assert step_height != intro_height
    # The frame fits its page both ways: it grows and it shrinks back (no blank space).
    for page_height in (intro_height, step_height):
        assert page_height >= 200
    content = frame.locator("html").evaluate("h => h.getBoundingClientRect().height")
    assert abs(step_height - max(200, content)) <= 1
    page.goto(f"{partner_url}/index.html")
    page.wait_for_function("window.seen.length > 0")
    seen = page.evaluate("window.seen")
    assert seen and all(set(message) == {"type", "height"} for message in seen)
    assert all(m["type"] == "valgomat:height" and isinstance(m["height"], int | float)
               for m in seen)
    page.close()


def test_other_origins_cannot_frame(browser: Any, partner: tuple[str, str, Path]) -> None:
    ours, partner_url, folder = partner
    host_page(folder, ours, "/en/lokalvalg/")  # the full site is never framable
    page = browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    page.goto(f"{partner_url}/index.html")
    page.wait_for_timeout(800)
    frames = [frame for frame in page.frames if frame is not page.main_frame]
    assert all('id="main"' not in frame.content() for frame in frames)  # blocked, not shown
    assert any("frame-ancestors" in text or "Refused to display" in text for text in blocked)
    page.close()
