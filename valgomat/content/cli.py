"""``valgomat content check|load|export`` and ``valgomat import qual-o-mat``: content
files and imported datasets in and out of the database."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from valgomat.core.content.limits import capped

content = click.Group("content", help="Check and load content files (questions/, positions/).")
DIRECTORY = click.Path(exists=True, file_okay=False)
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def _content_dir(directory: str | None) -> Path:
    return Path(directory) if directory else Path(current_app.config["CONTENT_DIR"])


@content.command("check")
@click.argument("directory", required=False, type=DIRECTORY)
@with_appcontext
def check_command(directory: str | None) -> None:
    """Validate questions/ and positions/, and every quote against programs/, without
    touching a database."""
    from valgomat.content.files import read_content

    root = _content_dir(directory)
    quizzes, problems = read_content(root)
    for line in capped([str(problem) for problem in problems]):
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo(f"{len(quizzes)} quiz(zes) valid in {root}")


@content.command("load")
@click.argument("directory", required=False, type=DIRECTORY)
@click.option("--publish", is_flag=True, help="Publish every quiz whose draft changed.")
@click.option("--if-changed", is_flag=True,
              help="Do nothing when the files are the same as at the last load.")
@click.option("--accept-audit", "reason", metavar="REASON",
              help="Publish even where the publish gate refuses, for this reason (kept with "
                   "the version, in the audit log and on its method page).")
@click.option("--force", is_flag=True,
              help="Overwrite (and with --publish publish) drafts that editors changed "
                   "since the last load; without it such a load is refused.")
@click.option("--keep-edited", is_flag=True,
              help="Leave drafts that editors changed since the last load as they are "
                   "(neither loaded nor published), load the other quizzes and say which "
                   "were kept (make run does this).")
@with_appcontext
def load_command(directory: str | None, publish: bool, if_changed: bool,
                 reason: str | None, force: bool, keep_edited: bool) -> None:
    """Load content files into the configured database (idempotent)."""
    from flask_migrate import upgrade

    from valgomat.content import draft_guard, lifecycle
    from valgomat.content.publish_gate import PublishRefused, refusal_lines
    from valgomat.core.audit.gate import check_reason
    from valgomat.storage import locking

    if force and keep_edited:
        raise click.UsageError("Give --force or --keep-edited, not both.")

    if reason is not None:
        if not publish:
            _fail(["--accept-audit only applies with --publish."])
        try:
            reason = check_reason(reason)
        except ValueError as exc:
            _fail([str(exc)])
    try:
        upgrade()
        report = lifecycle.load_content(
            _content_dir(directory), publish=publish, if_changed=if_changed,
            accept_audit=reason, workers=None,
            on_edited="overwrite" if force else "keep" if keep_edited else "refuse")
    except lifecycle.ContentError as exc:
        _fail([str(problem) for problem in exc.problems])
    except PublishRefused as exc:
        _fail(refusal_lines(exc, override='publish anyway with --accept-audit "REASON"'))
    except draft_guard.DraftsEdited as exc:
        _fail(draft_guard.refusal_lines(exc))
    except locking.AlreadyPublished as exc:
        _fail([exc.message(), "Nothing of this load was stored; run it again."])
    except SQLAlchemyError as exc:
        raise click.ClickException(f"The database refused the load: {exc.__class__.__name__}: "
                                   f"{str(exc).splitlines()[0]}") from None
    for line in report:
        click.echo(line)


@content.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--quiz", "slugs", multiple=True, help="Only this quiz (repeatable).")
@click.option("--version", type=click.IntRange(min=1),
              help="Export this published version instead of the draft (needs one --quiz).")
@with_appcontext
def export_command(directory: str, slugs: tuple[str, ...], version: int | None) -> None:
    """Write quizzes back to questions/, positions/ and programs/ under DIRECTORY."""
    from valgomat.content import lifecycle

    if version is not None and len(slugs) != 1:
        raise click.UsageError("--version needs exactly one --quiz.")
    try:
        written = lifecycle.export_content(Path(directory), list(slugs), version)
    except LookupError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    for slug in written:
        click.echo(f"Wrote {slug} to {directory}")


importer = click.Group("import", help="Import quizzes from other voter-advice datasets.")


@importer.command("qual-o-mat")
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--slug", help="Quiz slug (default: from overview.json).")
@click.option("--publish", is_flag=True, help="Publish the imported quiz.")
@click.option("--replace", is_flag=True, help="Overwrite an existing quiz with this slug.")
@with_appcontext
def import_qualomat(path: str, slug: str | None, publish: bool, replace: bool) -> None:
    """Import one election folder in the qual-o-mat-data format (Wahl-O-Mat)."""
    from flask_migrate import upgrade

    from valgomat.content import lifecycle
    from valgomat.content.importers.qualomat import ImportProblems, read_election
    from valgomat.content.publish_gate import PublishRefused, refusal_lines
    from valgomat.storage import locking

    if slug is not None and not SLUG_RE.fullmatch(slug):
        raise click.BadParameter("use lowercase letters, digits and hyphens", param_hint="--slug")
    try:
        quiz = read_election(Path(path), slug)
        upgrade()
        report = lifecycle.import_quiz(quiz, source=str(Path(path).resolve()),
                                      publish=publish, replace=replace, workers=None)
    except ImportProblems as exc:
        _fail(exc.problems)
    except lifecycle.ContentError as exc:
        _fail([str(p) for p in exc.problems])
    except lifecycle.QuizExists as exc:
        _fail([f"A quiz '{exc.args[0]}' exists already; use --replace to overwrite its "
               "draft (published versions are kept) or --slug to import under another name."])
    except PublishRefused as exc:
        _fail(refusal_lines(exc, override="import without --publish and publish anyway "
                                           "in the editor, giving a reason"))
    except locking.AlreadyPublished as exc:
        _fail([exc.message(), "Nothing was imported; run the import again."])
    for line in report:
        click.echo(line)


def _fail(problems: list[str]) -> NoReturn:
    for line in capped(problems):
        click.echo(line, err=True)
    sys.exit(1)
