"""The ``valgomat`` command: Flask's CLI (``run``, ``db``…) plus each area's commands
(``content``, ``import``, ``audit``, ``export-static``, ``editor``, ``translate``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo

from valgomat.content.cli import content, importer
from valgomat.editor.cli import audit_command, editor_group
from valgomat.partner.cli import export_static_command


def init_app(app: Flask) -> None:
    app.cli.add_command(content)
    app.cli.add_command(importer)
    app.cli.add_command(audit_command)
    app.cli.add_command(editor_group)
    app.cli.add_command(export_static_command)
    app.cli.add_command(translate)


def _create_app() -> Flask:
    from valgomat import create_app

    return _configured(create_app)


def _create_database_app() -> Flask:
    from valgomat import create_database_app

    return _configured(create_database_app)


def _configured(factory: Callable[[], Flask]) -> Flask:
    """The app, or exit 1 with the one line saying which setting is wrong."""
    from valgomat.config import ConfigError

    try:
        return factory()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


class _Main(FlaskGroup):
    """Flask's group; ``audit`` reads only the database, so it runs on
    ``create_database_app``: no web stack, no plugin commands to load (a second
    less of start-up). Every other command gets the whole application."""

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] == audit_command.name:
            info = ctx.ensure_object(ScriptInfo)
            if info.create_app is _create_app:
                info.create_app = _create_database_app
            return args[0], audit_command, args[1:]
        return super().resolve_command(ctx, args)


main = _Main(create_app=_create_app,
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
