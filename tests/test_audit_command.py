"""``valgomat audit``: loading drafts and versions, the text report, the JSON form, and
the audit's SVG charts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from xml.etree import ElementTree

from flask import Flask
from flask.testing import FlaskCliRunner

from tests.core.quizzes import make_quiz
from valgomat.core.audit.report import TOP_LEVEL_KEYS, AuditReport
from valgomat.core.audit.run import run_audit
from valgomat.core.model import Quiz
from valgomat.editor.audit_charts import (
    distance_heat_map,
    distance_rows,
    shares_bar_chart,
    shares_rows,
)
from valgomat.editor.cli import audit_command, table

FAST = ["--voters", "3000", "--seed", "1"]


def test_json_top_level_keys_are_stable(loaded_app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(audit_command, ["fixture", "--json", *FAST])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["format", "quiz", "settings", "fair_share", "populations",
                          "sensitivity", "parties", "statements", "distances", "warnings"]
    assert list(data) == list(TOP_LEVEL_KEYS)
    assert data["format"] == 1
    assert data["quiz"]["slug"] == "fixture" and data["quiz"]["version"] is None
    assert data["settings"]["voters"] == 3000 and data["settings"]["seed"] == 1


def test_json_nested_keys_are_stable(loaded_app: Flask, runner: FlaskCliRunner) -> None:
    data = json.loads(runner.invoke(audit_command, ["fixture", "--json", *FAST]).output)
    assert list(data["quiz"]) == ["slug", "version", "scale", "method", "missing",
                                  "importance_multiplier", "statements", "parties"]
    assert [p["name"] for p in data["populations"]] == ["uniform", "parties"]
    assert list(data["populations"][0]["settings"][0]) == [
        "method", "missing", "own", "no_first_place", "shares", "recovery"]
    assert list(data["parties"][0]) == ["id", "name", "stated", "coverage", "confidence",
                                        "share", "recovery", "self_match", "reachability",
                                        "stands_alone"]
    assert list(data["statements"][0]) == ["id", "number", "topic", "weight", "stated", "low",
                                           "high", "spread", "agreement", "discrimination"]
    assert list(data["distances"]) == ["parties", "matrix", "shared", "same_display",
                                       "close_pairs"]
    for warning in data["warnings"]:
        assert list(warning) == ["code", "party", "statement", "numbers", "text"]


def test_json_is_the_same_for_the_same_seed(loaded_app: Flask,
                                            runner: FlaskCliRunner) -> None:
    first = runner.invoke(audit_command, ["fixture", "--json", *FAST]).output
    again = runner.invoke(audit_command, ["fixture", "--json", *FAST]).output
    assert first == again


def test_text_report_has_tables_and_warnings(loaded_app: Flask,
                                             runner: FlaskCliRunner) -> None:
    result = runner.invoke(audit_command, ["fixture-three", *FAST])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Audit of quiz 'fixture-three' (draft)" in out
    assert "First places under the quiz's own settings (directional, exclude)" in out
    assert "Party A" in out and "Party B" in out
    assert "Sensitivity" in out and "Statements" in out
    assert "Warnings" in out or "No warnings." in out


def test_published_version(loaded_app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(audit_command, ["fixture", "--version", "1", "--json", *FAST])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["quiz"]["version"] == 1


def test_unknown_quiz_fails_with_a_message(loaded_app: Flask,
                                          runner: FlaskCliRunner) -> None:
    result = runner.invoke(audit_command, ["no-such-quiz"])
    assert result.exit_code == 1
    assert "No quiz 'no-such-quiz'" in result.output


def test_unknown_version_fails_with_a_message(loaded_app: Flask,
                                             runner: FlaskCliRunner) -> None:
    result = runner.invoke(audit_command, ["fixture", "--version", "99"])
    assert result.exit_code == 1
    assert "Quiz 'fixture' has no published version 99" in result.output


LEAN_RUN = """
import json, sys
from valgomat.cli import main
try:
    main.main(sys.argv[1:], prog_name="valgomat")
except SystemExit as exit:
    assert not exit.code, exit.code
web = ("flask_migrate", "alembic", "flask_limiter", "flask_wtf", "flask_babel",
       "flask_compress", "flask_login", "valgomat.voter", "valgomat.api",
       "valgomat.partner.embed", "valgomat.editor.routes", "valgomat.editor.auth")
print(json.dumps(sorted(m for m in sys.modules if m.startswith(web))), file=sys.stderr)
"""


def test_valgomat_audit_runs_on_the_database_alone(loaded_app: Flask,
                                                   runner: FlaskCliRunner) -> None:
    """``valgomat audit`` builds only the configuration and the database (no views, no
    web extensions): the same report as through the whole application."""
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    for args in (["fixture", "--json", *FAST], ["fixture", "--version", "1", *FAST]):
        done = subprocess.run([sys.executable, "-c", LEAN_RUN, "audit", *args],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "VALGOMAT_DATABASE_URL": url})
        assert json.loads(done.stderr.splitlines()[-1]) == []
        assert done.stdout == runner.invoke(audit_command, args).output


def test_table_aligns_columns() -> None:
    text = table(["name", "share"], [["A", "5.0 %"], ["Longer", "12.5 %"]], right=(1,))
    lines = text.splitlines()
    assert lines[0] == "name     share"
    assert lines[2] == "A        5.0 %"
    assert lines[3] == "Longer  12.5 %"


def _plot_report() -> tuple[AuditReport, Quiz]:
    quiz = make_quiz({"A <&> “B”": {"s1": 2, "s2": -1}, "Other": {"s1": -2, "s2": None}})
    quiz = replace(quiz, parties=(replace(quiz.parties[0], colour="red;x"),
                                  *quiz.parties[1:]))
    return run_audit(quiz, voters=500, workers=1), quiz


def test_charts_are_accessible_svg_without_inline_styles() -> None:
    report, quiz = _plot_report()
    for svg, prefix in ((shares_bar_chart(report, quiz), "audit-shares"),
                        (distance_heat_map(report, quiz), "audit-distances")):
        root = ElementTree.fromstring(svg)  # well-formed, names escaped
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
        assert "style" not in svg
        assert "A &lt;&amp;&gt; “B”" in svg
        assert all(element.get("style") is None for element in root.iter())
    assert 'fill="red;x"' not in shares_bar_chart(report, quiz)  # colours are checked


def test_charts_print_their_numbers() -> None:
    report, quiz = _plot_report()
    bars = shares_bar_chart(report, quiz)
    for _, share in shares_rows(report, quiz):
        assert f"{share * 100:.1f} %" in bars
    heat = distance_heat_map(report, quiz)
    assert heat.count(">0.00</text>") == 2 and ">1.00</text>" in heat
    assert [name for name, _ in distance_rows(report, quiz)] == ["A <&> “B”", "Other"]
