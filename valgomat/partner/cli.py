"""``valgomat export-static QUIZ DIR``: a published quiz as a static bundle (static_export)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("export-static")
@click.argument("quiz")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--version", type=click.IntRange(min=1),
              help="Export this published version instead of the live one.")
@click.option("--lang", help="Interface language (default: the quiz's first language "
                             "that the interface offers, else en).")
@with_appcontext
def export_static_command(quiz: str, directory: Path, version: int | None,
                          lang: str | None) -> None:
    """Write QUIZ as a self-contained static site (HTML, CSS, JS, quiz.json) into DIRECTORY."""
    from flask import current_app

    from valgomat.partner.static_export import ExportError, export_static
    from valgomat.storage import published

    if lang is not None and lang not in current_app.config["LANGUAGES"]:
        raise click.ClickException(
            f"Unknown language '{lang}'; choose one of: "
            f"{', '.join(current_app.config['LANGUAGES'])}.")
    loaded = published.published_quiz(quiz, version)
    if loaded is None:
        if version is None:
            raise click.ClickException(f"No published quiz '{quiz}'.")
        raise click.ClickException(f"Quiz '{quiz}' has no published version {version}.")
    try:
        written = export_static(loaded, directory, lang)
    except (ExportError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Exported {quiz} version {loaded.version} ({len(written)} files) to "
               f"{directory}. Serve that folder with any static web server; see README.txt.")
