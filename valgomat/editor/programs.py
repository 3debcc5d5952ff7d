"""Editor routes for a party's program (on the editor blueprint): upload a PDF or a text
file, review and correct the extracted text, save it as the party's program.

The upload stores nothing: its text goes to the review page, and only "Save program"
keeps the text (``storage.programs``, once per SHA-256) and updates the party, locked
on the party's ``lock_version`` as the upload page showed it.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from valgomat.content.program_upload import (
    MAX_UPLOAD_BYTES,
    UploadRefused,
    extract_program,
    program_file_name,
    read_upload,
    tidy,
)
from valgomat.core.content.limits import MAX_PROGRAM_BYTES
from valgomat.editor import editing
from valgomat.editor.blueprint import bp
from valgomat.editor.checks import editor_quiz
from valgomat.editor.content import Page, _party
from valgomat.editor.forms import add_error
from valgomat.editor.program_forms import (
    ProgramReviewForm,
    ProgramUploadForm,
    read_receipt,
    sign_receipt,
)
from valgomat.storage import models
from valgomat.web.errors import handle_http_error


@bp.route("/quizzes/<slug>/parties/<pid>/program", methods=["GET", "POST"])
def upload_program(slug: str, pid: str) -> Page:
    row = editor_quiz(slug)
    party = _party(row, pid)
    form = ProgramUploadForm()
    if request.method == "GET":
        form = ProgramUploadForm(formdata=None, lock_version=str(party.lock_version),
                                 **dict(party.program or {}))
    if form.validate_on_submit():
        upload = form.file.data
        name = (upload.filename or "the file")[:200]
        try:
            extracted = extract_program(read_upload(upload.stream, name), name)
        except UploadRefused as refused:
            add_error(form.file, str(refused))
        else:
            receipt = sign_receipt(slug, pid, {
                "name": name, "kind": extracted.kind, "pages": extracted.pages,
                "source_sha256": extracted.source_sha256})
            review = ProgramReviewForm(formdata=None, text=extracted.text, receipt=receipt,
                                       lock_version=form.lock_version.data, **form.details())
            return _review_page(row, party, review, read_receipt(receipt, slug, pid))
    return render_template("editor/program_upload.html", quiz=row, party=party, form=form,
                           limit=MAX_UPLOAD_BYTES), 400 if form.errors else 200


@bp.post("/quizzes/<slug>/parties/<pid>/program/save")
def save_program(slug: str, pid: str) -> Page:
    row = editor_quiz(slug)
    party = _party(row, pid)
    form = ProgramReviewForm()
    upload = read_receipt(form.receipt.data, slug, pid)
    conflict = None
    if form.validate_on_submit():
        if upload is None:
            add_error(form.text, "This review's upload receipt is not valid (expired after "
                                 "the login's time, or altered), so nothing was saved. "
                                 "Upload the file again.")
        else:
            try:
                editing.save_program(row, party, tidy(form.text.data or ""),
                                     _program(row, party, form, upload), form.lock(),
                                     current_user.email)
            except editing.Conflict as exc:
                conflict = exc
                form.lock_version.data = str(party.lock_version)
            else:
                flash(f"Saved the program of {party.short_name}.")
                return redirect(url_for("editor.edit_party", slug=slug, pid=pid) + "#program")
    page = _review_page(row, party, form, upload, conflict)
    return page, 409 if conflict else 400


def _program(row: models.Quiz, party: models.Party, form: ProgramReviewForm,
             upload: dict[str, Any]) -> dict[str, str]:
    """The party's new ``program``: the reviewed details, the file content export writes
    the text to, and the uploaded original's hash (``sha256`` comes with the text)."""
    taken = {str((other.program or {}).get("file", "")) for other in row.parties
             if other.id != party.id}
    current = str((party.program or {}).get("file", ""))
    return {**(party.program or {}), **form.details(),
            "file": program_file_name(party.slug, current, taken),
            "source_sha256": str(upload["source_sha256"])}


def _review_page(row: models.Quiz, party: models.Party, form: ProgramReviewForm,
                 upload: dict[str, Any] | None, conflict: editing.Conflict | None = None
                 ) -> str:
    return render_template("editor/program_review.html", quiz=row, party=party, form=form,
                           upload=upload, conflict=conflict)


@bp.errorhandler(RequestEntityTooLarge)
def body_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A clear 413 for an upload over the limit (other editor pages keep the plain one)."""
    if request.endpoint == "editor.upload_program":
        return handle_http_error(RequestEntityTooLarge(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB, the most a "
            "program upload may be, so nothing was stored. Upload a smaller PDF (without "
            "pictures, say), or the program's text as a UTF-8 .txt file."))
    if request.endpoint == "editor.save_program":
        return handle_http_error(RequestEntityTooLarge(
            f"The program's text is larger than {MAX_PROGRAM_BYTES // (1024 * 1024)} MB, "
            "the most a program may have, so nothing was saved."))
    return handle_http_error(error)
