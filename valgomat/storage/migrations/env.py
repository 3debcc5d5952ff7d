"""Alembic environment: runs against the app's configured database."""

from collections.abc import Iterable
from typing import TypedDict

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from flask import current_app

config = context.config
target_db = current_app.extensions["migrate"].db


class Options(TypedDict):
    compare_type: bool
    render_as_batch: bool


OPTIONS: Options = {"compare_type": True, "render_as_batch": True}


def run_offline() -> None:
    context.configure(url=str(target_db.engine.url), target_metadata=target_db.metadata,
                      literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    def skip_empty(context: MigrationContext, revision: str | Iterable[str | None] | Iterable[str],
                   directives: list[MigrationScript]) -> None:
        if not getattr(config.cmd_opts, "autogenerate", False):
            return
        operations = directives[0].upgrade_ops  # None only with several databases
        if operations is not None and operations.is_empty():
            directives[:] = []

    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata,
                          process_revision_directives=skip_empty, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
