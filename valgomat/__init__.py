"""Valgomat: a voter-advice quiz service. ``create_app`` is the WSGI entry point."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported lazily so that ``valgomat.core`` stays Flask-free.
    from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent  # a checkout's root, where content and docs are


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error handlers."""
    from valgomat import cli
    from valgomat.api.views import bp as api_pages
    from valgomat.editor import auth
    from valgomat.editor.routes import bp as editor_pages
    from valgomat.extensions import compress, csrf, db, migrate
    from valgomat.partner.embed import bp as embed_pages
    from valgomat.voter.views import bp as voter_pages
    from valgomat.web import assets, errors, headers, i18n, proxies, routing

    app = create_database_app(test_config)
    app.url_map.converters["int"] = routing.AsciiInteger  # before any route is added
    proxies.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "storage" / "migrations"))
    csrf.init_app(app)
    compress.init_app(app)
    assets.init_app(app)  # after Compress: its after_request must run first
    i18n.init_app(app)
    headers.init_app(app)
    auth.init_app(app)
    for blueprint in (voter_pages, editor_pages, api_pages, embed_pages):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    cli.init_app(app)
    return app


def create_database_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application's configuration and database, without the web: what a command
    that only reads the database needs (``valgomat audit``). It loads neither the
    views nor the web extensions, which is most of ``create_app``'s start-up."""
    from flask import Flask

    from valgomat import config
    from valgomat.extensions import db

    app = Flask(__name__, instance_relative_config=True,
                template_folder="templates", static_folder="static")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config.load_config(app, test_config)
    db.init_app(app)
    app.teardown_appcontext(_end_session)  # runs before Flask-SQLAlchemy's own teardown
    return app


def _end_session(_error: BaseException | None) -> None:
    """Close the request's database session, even on a connection the database has
    just dropped (a restart in the middle of a request): closing rolls back, which
    then raises, and a raise here would turn a response already made, such as a voter's
    page served from the cache, into a 500."""
    from sqlalchemy.exc import SQLAlchemyError

    from valgomat.extensions import db

    try:
        db.session.remove()
    except SQLAlchemyError:
        db.session.registry.clear()  # the connection is invalidated; the pool makes a new one
