"""axe-core on every voter page type, in English and Norwegian: no serious or critical
violations (WCAG 2.x A/AA rules and axe's best practices, as axe reports them).

axe-core comes from the npm registry (``tests/e2e/package.json``, ``make e2e-deps``).
The site's Content-Security-Policy forbids scripts that are not its own, so the
browser context bypasses CSP to inject axe; nothing else about the pages changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from voter_plans import QUIZ, answer_code, voter_plan

LANGUAGES = ["en", "nb"]
BLOCKING = {"serious", "critical"}


PAGES: dict[str, tuple[str, Callable[[Any], None] | None]] = {
    # name: (path after /<lang>, action after loading)
    "start": ("/", None),
    "intro": (f"/{QUIZ}/", None),
    "step": (f"/{QUIZ}/1?v={{v}}", None),
    # A change from the result: the earlier answer marked, "Back to result".
    "step-change": (f"/{QUIZ}/2?v={{v}}&a={{a}}&r=1", None),
    # An answer request without an answer: the server answers 400 with the error.
    "step-error-server": (f"/{QUIZ}/1/answer?v={{v}}", None),
    "review": (f"/{QUIZ}/review?v={{v}}&a={{a}}", None),
    "parties": (f"/{QUIZ}/parties?v={{v}}&a={{a}}", None),
    "result": (f"/{QUIZ}/result?v={{v}}&a={{a}}", None),
    "compare": (f"/{QUIZ}/compare?v={{v}}&a={{a}}", None),
    "party": (f"/{QUIZ}/party/trondheim-byradet?v={{v}}&a={{a}}", None),
    "method": ("/method", None),
    "program": (f"/{QUIZ}/programs/trondheim-byradet?v={{v}}", None),
    "not-found": ("/no-such-quiz/", None),
}


def run_axe(page: Any, axe_source: Path) -> dict[str, Any]:
    page.add_script_tag(path=str(axe_source))
    results: dict[str, Any] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})")
    return results


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                     f"<{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_violations(browser: Any, live_server: str,
                                             quiz_data: dict[str, Any], axe_source: Path,
                                             lang: str, kind: str) -> None:
    path, action = PAGES[kind]
    code = answer_code(voter_plan(len(quiz_data["statements"])))
    url = live_server + f"/{lang}" + path.format(v=quiz_data["version"], a=code)
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None
        expected_status = {"not-found": 404, "step-error-server": 400}.get(kind, 200)
        assert response.status == expected_status, url
        assert page.evaluate("document.documentElement.lang") == lang
        if action:
            action(page)
        results = run_axe(page, axe_source)
    finally:
        context.close()
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, (f"{len(blocking)} serious/critical axe violation(s) on {url}:\n"
                          + describe(blocking))


def test_axe_finds_what_it_should(browser: Any, axe_source: Path) -> None:
    """The check itself works: a page with known problems fails it."""
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content("<!doctype html><html><head><title>t</title></head>"
                         "<body><main><button></button></main></body></html>")
        results = run_axe(page, axe_source)
    finally:
        context.close()
    found = {v["id"]: v["impact"] for v in results["violations"]}
    assert found.get("button-name") == "critical", found
    assert found.get("html-has-lang") == "serious", found
