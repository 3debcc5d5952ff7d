"""The README and docs/ cannot fall behind the settings, the commands and the API,
and no link in them leads outside the repository or nowhere."""

from __future__ import annotations

import re
from pathlib import Path

from valgomat.api.openapi import openapi_document
from valgomat.config import SETTINGS
from valgomat.content.cli import content

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
API_CONTRACT = (ROOT / "docs" / "api.md").read_text()
DOCUMENTS = [ROOT / "README.md", ROOT / "CHANGES.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK_RE = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_leads_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_setting_is_documented() -> None:
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README, f"{setting.name} missing from README"


def test_every_content_command_is_documented() -> None:
    for name in content.commands:
        assert f"valgomat content {name}" in README


def test_every_api_route_is_documented() -> None:
    for path in openapi_document()["paths"]:
        documented = re.sub(r"\{[^}]+\}", "{slug}", path)
        assert documented in README, path
        assert documented in API_CONTRACT, path


def test_every_api_error_status_is_in_the_contract() -> None:
    statuses = {status for route in openapi_document()["paths"].values()
                for operation in route.values() for status in operation["responses"]
                if int(status) >= 400}
    for status in statuses:
        assert re.search(rf"^\| {status} \| `", API_CONTRACT, re.MULTILINE), status


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_every_link_stays_in_the_repository_and_arrives() -> None:
    for document in DOCUMENTS:
        text = document.read_text()
        assert "shared/" not in text, f"{document.name} points outside the repository"
        for target in LINK_RE.findall(text):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            assert linked.is_relative_to(ROOT), f"{document.name}: {target} leaves the repository"
            assert linked.exists(), f"{document.name}: {target} does not exist"
            if anchor:
                assert anchor in _anchors(linked.read_text()), f"{document.name}: {target}"


def test_every_top_level_command_is_documented() -> None:
    for command in ("valgomat audit", "valgomat import qual-o-mat", "valgomat editor create",
                    "valgomat translate update", "valgomat export-static"):
        assert command in README, command


def test_content_format_is_documented() -> None:
    assert (ROOT / "docs" / "content-format.md").exists()
