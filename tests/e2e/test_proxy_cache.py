"""nginx's cache with ``deploy/nginx.conf`` in front of gunicorn, for real.

Answer-free pages and API documents are served from nginx's cache (``HIT``), and
still with gunicorn stopped: fresh, then expired (``STALE``). A request with answers,
a logged-in editor's and the editor's pages never touch the cache; static files come
from disk, not from gunicorn. A voter without JavaScript takes the quiz through
nginx, and neither nginx's log nor gunicorn's holds a query string. Without nginx
these tests skip, except in CI (``CI=true``), where they fail. The last test stops
gunicorn.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_voter_flow import answer_all, back_target, open_quiz, show_results
from tls_proxy import Site, proxied_site, published_site
from voter_plans import QUIZ, answer_code, voter_plan

from tools.ops import processes

MAX_AGE = 5  # seconds an answer-free response is fresh (VALGOMAT_CACHE_MAX_AGE)
MAX_WAIT = 70  # the longest the last test waits for responses to expire (60 s by default)
# Fresh, or expired and served while one request refreshes it (proxy_cache_background_update)
FROM_CACHE = ("HIT", "STALE", "UPDATING")
KEYED = {"accept-encoding", "accept-language", "origin"}  # in nginx.conf's cache key
ANSWER_FREE = ("/en/", f"/en/{QUIZ}/", f"/en/{QUIZ}/1?v=1", f"/en/{QUIZ}/method",
               f"/api/v1/quizzes/{QUIZ}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("proxy-cache")
    binary, env = published_site(work, {"VALGOMAT_CACHE_MAX_AGE": str(MAX_AGE)})
    with proxied_site(binary, work, env) as running:
        yield running


def test_the_no_js_flow_leaves_no_query_string_in_either_log(browser: Any, expect: Any,
                                                              site: Site) -> None:
    quiz = _quiz(site)
    plan = voter_plan(len(quiz["statements"]), seed=7)
    code = answer_code(plan)
    context = browser.new_context(ignore_https_errors=True, java_script_enabled=False)
    page = context.new_page()
    open_quiz(page, site.base, quiz, expect)
    answer_all(page, expect, quiz, plan, back_target(plan))
    show_results(page, expect, quiz)
    share = page.get_by_label("Link to this result").input_value()
    assert f"a={code}" in share  # the answers really travelled in the query string
    page.goto(share)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    context.close()

    access, gunicorn = site.nginx.access_log.read_text(errors="replace"), site.gunicorn.log()
    assert f'"GET /en/{QUIZ}/result HTTP/2.0" 200' in access  # the search sees the flow
    assert f'"GET /en/{QUIZ}/result HTTP/1.1" 200' in gunicorn
    for name, text in {"nginx access log": access, "gunicorn log": gunicorn}.items():
        for trace in (code, code[:12], "?", "a=", "v=1"):
            assert trace not in text, f"{trace!r} found in the {name}"


def test_answer_free_responses_come_from_the_cache(site: Site) -> None:
    for path in ANSWER_FREE:
        site.get(path)
        status, headers, _ = site.get(path)
        assert status == 200 and headers.get("x-cache-status") in FROM_CACHE, (path, headers)
        assert headers["cache-control"].startswith("public"), (path, headers)
        assert _vary(headers) <= KEYED, (path, headers)


def test_the_cache_keeps_apart_what_the_app_varies_on(site: Site) -> None:
    """nginx.conf ignores Vary and keys by the headers the app names in it instead."""
    for language in ("sv", "de", "sv"):
        status, headers, _ = site.get("/", {"Accept-Language": language})
        assert (status, headers["location"]) == (302, f"/{language}/"), headers
        assert _vary(headers) <= KEYED, headers
    assert headers["x-cache-status"] == "HIT"
    for accepted, encoding in {"gzip, deflate, br, zstd": "br", "gzip": "gzip", "": None,
                               "br;q=1.0, gzip;q=0.5": "br"}.items():
        headers = site.get(f"/en/{QUIZ}/", {"Accept-Encoding": accepted})[1]
        assert headers.get("content-encoding") == encoding, (accepted, headers)


def _vary(headers: dict[str, str]) -> set[str]:
    return {name.strip().lower() for name in headers.get("vary", "").split(",") if name.strip()}


def test_answers_and_editors_never_touch_the_cache(site: Site) -> None:
    for _ in range(2):
        status, headers, _ = site.get(_with_answers(site))
        assert (status, headers.get("x-cache-status")) == (200, "BYPASS"), headers
        assert headers["cache-control"] == "no-store"
        status, headers, _ = site.get(f"/en/{QUIZ}/", {"Cookie": "session=an-editor"})
        assert (status, headers.get("x-cache-status")) == (200, "BYPASS"), headers
        status, headers, _ = site.get("/editor/login")
        assert status == 200 and "x-cache-status" not in headers, headers  # cache off


def test_static_files_come_from_disk(site: Site) -> None:
    _, _, page = site.get(f"/en/{QUIZ}/")
    pinned = re.findall(r'href="(/static/[^"?]+\.css)\?v=([0-9a-f]+)"', page.decode())
    assert pinned, "the page links no fingerprinted stylesheet"
    path, fingerprint = pinned[0]
    status, headers, body = site.get(f"{path}?v={fingerprint}")
    assert status == 200 and body == (processes.ROOT / "valgomat" / path[1:]).read_bytes()
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["x-content-type-options"] == "nosniff"
    assert site.get(path)[1]["cache-control"] == "public, max-age=300"  # an old snippet's URL
    assert "/static/" not in site.gunicorn.log()


def test_with_gunicorn_stopped_answer_free_responses_still_come_from_the_cache(
        site: Site) -> None:
    filled = time.monotonic()
    max_ages = {path: _max_age(site.get(path)[1]) for path in ANSWER_FREE}
    with_answers = _with_answers(site)
    site.gunicorn.stop()
    _expect_from_cache(site, {path: FROM_CACHE for path in ANSWER_FREE})
    waited = min(max(max_ages.values()), MAX_WAIT) + 1
    time.sleep(max(0.0, filled + waited - time.monotonic()))
    # expired, and still served while gunicorn is down
    _expect_from_cache(site, {path: ("STALE",) if age < waited else ("HIT",)
                              for path, age in max_ages.items()})
    assert site.get(with_answers)[0] == 502  # only gunicorn computes a result
    assert site.get("/editor/login")[0] == 502
    cache = _cache_keys(site.work / "nginx" / "cache")
    assert any(f"/en/{QUIZ}/1?v=1" in key for key in cache), cache
    for key in cache:
        assert "a=" not in key and "/editor/" not in key, key


def _max_age(headers: dict[str, str]) -> int:
    found = re.search(r"\bmax-age=(\d+)", headers.get("cache-control", ""))
    assert found, headers
    return int(found.group(1))


def _expect_from_cache(site: Site, verdicts: dict[str, tuple[str, ...]]) -> None:
    for path, wanted in verdicts.items():
        status, headers, _ = site.get(path)
        assert status == 200 and headers.get("x-cache-status") in wanted, (path, headers)


def _with_answers(site: Site) -> str:
    """A result page's URL with a voter's answers."""
    code = answer_code(voter_plan(len(_quiz(site)["statements"]), seed=1))
    return f"/en/{QUIZ}/result?v=1&a={code}"


def _quiz(site: Site) -> dict[str, Any]:
    import json

    status, _, body = site.get(f"/api/v1/quizzes/{QUIZ}")
    assert status == 200
    data: dict[str, Any] = json.loads(body)
    return data


def _cache_keys(folder: Path) -> list[str]:
    """The ``KEY:`` line nginx writes into each cache file's header."""
    keys = []
    for path in folder.rglob("*"):
        if path.is_file():
            found = re.search(rb"\nKEY: ([^\n]*)\n", path.read_bytes())
            keys.append(found.group(1).decode("latin-1") if found else f"{path}: no key")
    return keys
