"""The ``valgomat`` command: Flask's CLI (``run``, ``db``…) plus the content commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

content = click.Group("content", help="Check and load content files (questions/, positions/).")
DIRECTORY = click.Path(exists=True, file_okay=False)


def _content_dir(directory: str | None) -> Path:
    return Path(directory) if directory else Path(current_app.config["CONTENT_DIR"])


@content.command("check")
@click.argument("directory", required=False, type=DIRECTORY)
@with_appcontext
def check_command(directory: str | None) -> None:
    """Validate questions/ and positions/ without touching a database."""
    from valgomat.content_files import read_content

    root = _content_dir(directory)
    quizzes, problems = read_content(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)
    click.echo(f"{len(quizzes)} quiz(zes) valid in {root}")


@content.command("load")
@click.argument("directory", required=False, type=DIRECTORY)
@click.option("--publish", is_flag=True, help="Publish every quiz whose draft changed.")
@click.option("--if-changed", is_flag=True,
              help="Do nothing when the files are the same as at the last load.")
@with_appcontext
def load_command(directory: str | None, publish: bool, if_changed: bool) -> None:
    """Load content files into the configured database (idempotent)."""
    from flask_migrate import upgrade

    from valgomat import services

    try:
        upgrade()
        report = services.load_content(_content_dir(directory), publish=publish,
                                       if_changed=if_changed)
    except services.ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"The database refused the load: {exc.__class__.__name__}: "
                                   f"{str(exc).splitlines()[0]}") from None
    for line in report:
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(content)
    app.cli.add_command(translate)


def _create_app() -> Flask:
    from valgomat import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app,
                  help="Valgomat: serve, check and load the voter-advice quiz.")


translate = click.Group("translate", help="Maintain the interface translations (Babel).")
BABEL_DIR = Path(__file__).resolve().parent / "translations"


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


@translate.command("update")
def translate_update() -> None:
    """Extract interface strings and merge them into every catalogue."""
    root = BABEL_DIR.parent.parent
    pot = str(BABEL_DIR / "messages.pot")
    _pybabel("extract", "-F", str(root / "babel.cfg"), "-k", "_l", "--no-location",
             "--omit-header", "-o", pot, str(root))
    _pybabel("update", "-i", pot, "-d", str(BABEL_DIR))


@translate.command("compile")
def translate_compile() -> None:
    """Compile the catalogues (``make`` does this before run and test)."""
    _pybabel("compile", "-d", str(BABEL_DIR))
