"""Keeping what an editor typed: a body limit that fits every valid form, and a form
shown again, filled in, when its CSRF token fails.

The global ``MAX_CONTENT_LENGTH`` (64 KiB) is for voters and the API. A valid
editor form can be larger: a position in eight languages with every text at
its maximum (5,000 + 500 + 8 × 2,000 characters) is 21,500 characters, up to
twelve bytes each once a four-byte character is percent-encoded, about 260 KB;
a logo upload is 200 KB and a few fields. So editor pages accept 400 KiB (below
Werkzeug's 500,000-byte limit on form data in memory), and field lengths are
the form's own errors; only absurd bodies get 413.

When the CSRF check refuses a form page's POST (token expired or missing), the
page's own view renders it again: its form does not validate (the token fails
the form's check too), so nothing is written, and the page shows the input with
a fresh token and a message. Other POSTs (buttons) keep the plain 400.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, make_response, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from valgomat.content.program_upload import MAX_UPLOAD_BYTES
from valgomat.core.content.limits import MAX_PROGRAM_BYTES
from valgomat.editor.blueprint import bp, require_login
from valgomat.web.errors import handle_http_error

EDITOR_MAX_BODY = 400 * 1024
# A program upload is a file of up to 20 MB and a few short fields; its review carries the
# program's text (2 MB at most), percent-encoded: up to three bytes for each byte of it.
LARGER_BODIES = {"editor.upload_program": MAX_UPLOAD_BYTES + 64 * 1024,
                 "editor.save_program": 3 * MAX_PROGRAM_BYTES + EDITOR_MAX_BODY}

# Views that write only after ``form.validate_on_submit()`` and answer 400 with the
# form filled in when it fails.
FORM_PAGES = frozenset({
    "editor.login", "editor.new_quiz", "editor.settings", "editor.topics", "editor.publish",
    "editor.edit_statement", "editor.edit_party", "editor.edit_position", "editor.embed",
    "editor.save_profile", "editor.users", "editor.user", "editor.account",
    "editor.upload_program", "editor.save_program"})


@bp.url_value_preprocessor
def editor_body_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Runs before every before_request function, so before CSRFProtect reads the form.
    request.max_content_length = LARGER_BODIES.get(endpoint or "", EDITOR_MAX_BODY)


@bp.errorhandler(CSRFError)
def form_token_failed(error: CSRFError) -> ResponseReturnValue:
    if request.endpoint not in FORM_PAGES:
        return handle_http_error(error)
    refused = require_login()  # CSRFProtect runs before the blueprint's own check
    if refused is not None and not (request.endpoint == "editor.login"
                                    and not current_user.is_authenticated):
        return refused
    g.form_token_failed = True
    view = current_app.view_functions[str(request.endpoint)]
    try:
        response = make_response(view(**(request.view_args or {})))
    except Exception as exc:  # 403, 404, database down…: Flask does not handle errors
        return current_app.handle_user_exception(exc)  # raised inside an error handler
    return response if response.status_code == 400 else handle_http_error(error)
