"""The application log names a failing request's path escaped, as the access log does:
a ``%0a`` in a URL cannot start a forged line there either."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from valgomat.extensions import db


def fail(*args: object, **kwargs: object) -> None:
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_a_path_cannot_forge_a_line_in_the_application_log(
        editor_client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    for name in ("execute", "scalar", "scalars", "get"):
        monkeypatch.setattr(db.session, name, fail)
    with caplog.at_level(logging.ERROR):
        response = editor_client.get("/editor/quizzes/x%0a6.6.6.6%20forged%1b/statements?a=abc")
    assert response.status_code == 503
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /editor/quizzes/x%0A6.6.6.6%20forged%1B/statements" in logged
    assert "\n6.6.6.6" not in logged and "\x1b" not in logged and "a=abc" not in logged
