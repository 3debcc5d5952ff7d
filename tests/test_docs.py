"""The README cannot fall behind the settings, the commands and the API."""

from __future__ import annotations

import re
from pathlib import Path

from valgomat.api.openapi import openapi_document
from valgomat.content.cli import content
from valgomat.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


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


def test_every_top_level_command_is_documented() -> None:
    for command in ("valgomat audit", "valgomat import qual-o-mat", "valgomat editor create",
                    "valgomat translate update", "valgomat export-static"):
        assert command in README, command


def test_content_format_is_documented() -> None:
    assert (ROOT / "docs" / "content-format.md").exists()
