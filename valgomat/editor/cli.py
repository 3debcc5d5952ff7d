"""The editors' commands: ``valgomat audit QUIZ``, the fairness audit of a draft or a
published version, and ``valgomat editor create|password|deactivate|activate``, accounts.

The audit's figures come from the pure ``valgomat.core.audit.run``; this module loads the
quiz, prints a readable report (aligned tables, then the warnings) or, with ``--json``,
the documented JSON form (``docs/audit.md``). ``audit`` runs without the web stack
(``valgomat.cli``), so the accounts' modules are imported only by their own commands.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from valgomat.core.audit.report import AuditReport, PartyAudit, report_to_dict
from valgomat.core.model import Quiz

if TYPE_CHECKING:
    from valgomat.storage.models import User

WIDTH = 100
ROLES = ("admin", "editor")


@click.command("audit")
@click.argument("quiz")
@click.option("--version", type=click.IntRange(min=1),
              help="Audit this published version instead of the draft.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON form (docs/audit.md).")
@click.option("--voters", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Simulated voters (uniform population).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the simulation; the same seed gives the same report.")
@with_appcontext
def audit_command(quiz: str, version: int | None, as_json: bool, voters: int,
                  seed: int) -> None:
    """Check QUIZ for unfair advice: first-place shares, reachability, sensitivity."""
    from valgomat.core.audit.run import run_audit

    loaded = _load(quiz, version)
    try:
        report = run_audit(loaded, voters=voters, seed=seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report, loaded))


def _load(slug: str, version: int | None) -> Quiz:
    from sqlalchemy import select

    from valgomat.extensions import db
    from valgomat.storage import models, published
    from valgomat.storage.drafts import draft_to_quiz

    row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == slug))
    if row is None:
        raise click.ClickException(f"No quiz '{slug}'.")
    if version is None:
        return draft_to_quiz(row)
    quiz = published.published_quiz(slug, version)
    if quiz is None:
        raise click.ClickException(f"Quiz '{slug}' has no published version {version}.")
    return quiz


def render_text(report: AuditReport, quiz: Quiz) -> str:
    """The human report: headline, tables, warnings."""
    parts = [_headline(report), _own_table(report), _combo_table(report, quiz),
             _sensitivity(report), _party_table(report), _distance_table(report, quiz),
             _statement_table(report), _warnings(report)]
    return "\n\n".join(parts)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = (),
          ) -> str:
    """Columns padded to their widest cell; columns in ``right`` aligned right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows,
                                                                        strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                         for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
                         ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])]
                     + [line(row) for row in rows])


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f} %"


def _headline(report: AuditReport) -> str:
    q, s = report.quiz, report.settings
    which = "draft" if q.version is None else f"published version {q.version}"
    return "\n".join([
        f"Audit of quiz '{q.slug}' ({which})",
        f"{q.statements} statements, {q.parties} parties; scale {q.scale}, method {q.method}, "
        f"missing positions: {q.missing}, importance ×{q.importance_multiplier:g}",
        f"{s.voters:,} uniform simulated voters (seed {s.seed}; skip {pct(s.skip_rate, 0)}, "
        f"important {pct(s.importance_rate, 0)}); {s.party_voters:,} voters drawn around the "
        f"parties (noise {s.noise:g}); fair share {pct(report.fair_share)}"])


def _reach(party: PartyAudit) -> str:
    reach = party.reachability
    if reach.status == "reachable":
        return f"yes ({reach.how})"
    if reach.status == "unreachable":
        return "NO (exact)"
    return f"not found in {reach.tries:,} tries"


def _self(party: PartyAudit) -> str:
    own = party.self_match
    if own.score is None:
        return "–"
    tied = f", tied with {len(own.tied_with)}" if own.tied_with else ""
    return f"place {own.rank} ({own.score:.0f} %{tied})"


def _own_table(report: AuditReport) -> str:
    uniform = report.population("uniform").own()
    around = report.population("parties").own()
    rows = [[p.name, pct(u), pct(a), pct(p.recovery), _reach(p), _self(p)]
            for p, u, a in zip(report.parties, uniform.shares, around.shares, strict=True)]
    return (f"First places under the quiz's own settings ({uniform.method}, "
            f"{uniform.missing})\n"
            + table(["party", "uniform", "around parties", "recovered", "reachable",
                     "self-match"], rows, right=(1, 2, 3))
            + "\nVoters without a first place (no party could be scored): "
            f"{uniform.no_first_place:,} uniform, {around.no_first_place:,} around parties")


def _combo_table(report: AuditReport, quiz: Quiz) -> str:
    names = [party.short_name for party in quiz.parties]
    rows = [[s.method, s.missing + (" *" if s.own else ""), *[pct(x) for x in s.shares]]
            for s in report.population("uniform").settings]
    return ("First-place shares of the uniform voters, every method × missing policy "
            "(* = the quiz's own)\n"
            + table(["method", "missing", *names], rows, right=range(2, 2 + len(names))))


def _sensitivity(report: AuditReport) -> str:
    s, q = report.sensitivity, report.quiz
    methods = ", ".join(f"{m} {pct(v)}" for m, v in s.methods.items())
    policies = ", ".join(f"{m} {pct(v)}" for m, v in s.missing.items())
    return "\n".join([
        "Sensitivity: uniform voters whose first place changes",
        f"  with another method (missing {q.missing}): {methods}; any: {pct(s.any_method)}",
        f"  with another missing policy ({q.method}): {policies}; any: {pct(s.any_missing)}",
        f"  with any other combination: {pct(s.any_setting)}"])


def _party_table(report: AuditReport) -> str:
    rows = [[p.name, f"{p.stated}", pct(p.coverage, 0),
             "/".join(str(p.confidence[k]) for k in ("high", "medium", "low", "none")),
             f"{len(p.stands_alone)}"] for p in report.parties]
    return "Parties\n" + table(["party", "positions", "coverage", "high/medium/low/none",
                                "stands alone on"], rows, right=(1, 2, 4))


def _distance_table(report: AuditReport, quiz: Quiz) -> str:
    names = [party.short_name for party in quiz.parties]
    rows = [[name, *["–" if d is None else f"{d:.2f}" for d in row]]
            for name, row in zip(names, report.distances.matrix, strict=True)]
    close = report.distances.close_pairs
    note = ("Pairs voters can hardly tell apart: " + "; ".join(
        f"{quiz.party(c.first).short_name} and {quiz.party(c.second).short_name} "
        f"(same whole percent for {pct(c.same_display)})" for c in close)
        if close else "No pair of parties shows the same whole percent to most voters.")
    return ("Distances between parties (0 = same positions, 1 = opposite extremes, over the "
            "statements both take a position on)\n"
            + table(["", *names], rows, right=range(1, 1 + len(names))) + "\n" + note)


def _statement_table(report: AuditReport) -> str:
    rows = [[f"{s.number}", s.id, f"{s.stated}",
             "–" if s.low is None else f"{s.low}..{s.high}",
             "–" if s.spread is None else f"{s.spread:.2f}",
             (s.agreement or "").replace("_", " "), pct(s.discrimination)]
            for s in report.statements]
    return (f"Statements (discrimination: share of {report.settings.sample:,} sampled voters "
            "whose first place changes without the statement)\n"
            + table(["#", "statement", "positions", "range", "spread", "agreement",
                     "discrimination"], rows, right=(0, 2, 3, 4, 6)))


def _warnings(report: AuditReport) -> str:
    if not report.warnings:
        return "No warnings."
    lines = [f"Warnings ({len(report.warnings)})"]
    for warning in report.warnings:
        lines.append(textwrap.fill(warning.text, WIDTH, initial_indent="- ",
                                   subsequent_indent="  "))
    return "\n".join(lines)


editor_group = click.Group("editor", help="Manage editor accounts.")


@editor_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@with_appcontext
def create_command(email: str, role: str) -> None:
    """Create an account; the password is prompted for, or read from stdin."""
    from flask_migrate import upgrade

    from valgomat.editor.auth import create_user

    password = _read_password()
    upgrade()
    with _refusal_as_click_error():
        user = create_user(email, password, role)
    click.echo(f"Created {user.role} {user.email}.")


def _read_password() -> str:
    """Prompted twice on a terminal, else the first line of stdin (only its line break
    is removed: spaces belong to the password)."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().removesuffix("\n").removesuffix("\r")


@contextmanager
def _refusal_as_click_error() -> Iterator[None]:
    try:
        yield
    except ValueError as exc:  # a refused account change: its message, exit status 1
        raise click.ClickException(str(exc)) from None


def _account(email: str) -> User:
    from valgomat.editor.auth import find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email}.")
    return user


@editor_group.command("password")
@click.argument("email")
@with_appcontext
def password_command(email: str) -> None:
    """Set a new password (prompted for, or read from stdin); ends the account's sessions."""
    from valgomat.editor import accounts

    with _refusal_as_click_error():
        accounts.set_password(_account(email), _read_password(), "command line")
    click.echo(f"New password set for {email}; its sessions have ended.")


@editor_group.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_command(email: str) -> None:
    """Deactivate an account: it cannot log in, and its sessions end."""
    _set_active(email, False)


@editor_group.command("activate")
@click.argument("email")
@with_appcontext
def activate_command(email: str) -> None:
    """Reactivate a deactivated account."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    from valgomat.editor import accounts

    with _refusal_as_click_error():
        accounts.set_active(_account(email), active, "command line")
    click.echo(f"{'Activated' if active else 'Deactivated'} {email}.")
