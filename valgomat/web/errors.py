"""Error pages and the one JSON error shape of the API.

Any error under ``/api/`` answers ``{"error": {"code", "message"}}``; everything
else gets a plain HTML page. Unexpected exceptions become a 500 without a
traceback to the client.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    ServiceUnavailable,
)

from valgomat.extensions import db, login_manager
from valgomat.web.logged_path import loggable_path

API_PREFIX = "/api/"


class ApiError(Exception):
    """Raised by API views for a refused request; answered with the JSON error shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def api_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def handle_api_error(exc: ApiError) -> Response:
    return api_error(exc.status, exc.code, exc.message)


def _code_for(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def handle_http_error(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    if request.path.startswith(API_PREFIX):
        response = api_error(status, _code_for(exc), exc.description or exc.name)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response
    return render_template("errors/error.html", status=status, exc=exc), status


def handle_unexpected(exc: Exception) -> Response | tuple[str, int]:
    current_app.logger.exception("Unhandled error on %s %s", request.method,
                                 loggable_path(request.path))
    return handle_http_error(InternalServerError())


def handle_database_down(exc: Exception) -> Response | tuple[str, int]:
    """The database is unreachable: a clear 503, never a traceback."""
    current_app.logger.error("Database unavailable on %s %s: %s", request.method,
                             loggable_path(request.path), exc.__class__.__name__)
    db.session.rollback()
    # Rendering must not ask the database for the logged-in user again.
    g._login_user = login_manager.anonymous_user()
    return handle_http_error(ServiceUnavailable(
        "The database is unavailable at the moment. Published quizzes keep working; "
        "editing will be back as soon as the database is."))


def init_app(app: Flask) -> None:
    for unreachable in (OperationalError, InterfaceError):
        app.register_error_handler(unreachable, handle_database_down)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
