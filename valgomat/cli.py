"""The ``valgomat`` command: Flask's CLI plus the content commands of api.md."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

content = click.Group("content", help="Check, load and export content files.")


def _content_dir(directory: str | None) -> Path:
    return Path(directory) if directory else Path(current_app.config["CONTENT_DIR"])


@content.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@with_appcontext
def check_command(directory: str | None) -> None:
    """Validate questions/ and positions/ without touching a database."""
    from valgomat.core.content import read_content

    root = _content_dir(directory)
    quizzes, problems = read_content(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)
    click.echo(f"{len(quizzes)} quiz(zes) valid in {root}")


@content.command("load")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--publish", is_flag=True, help="Publish the loaded quizzes as new versions.")
@with_appcontext
def load_command(directory: str | None, publish: bool) -> None:
    """Load content files into the configured database (idempotent)."""
    from valgomat import services

    try:
        report = services.load_content(_content_dir(directory), publish=publish)
    except services.ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    for line in report:
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(content)


def _create_app() -> Flask:
    from valgomat import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_default_commands=True,
                  help="Valgomat: run, check and load the voter-advice quiz.")
