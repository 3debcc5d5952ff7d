"""The forms of a party's program upload: the file with the program's details, then the
extracted text for the editor to review and correct, with the upload's signed receipt.

The review step keeps nothing on the server: the text travels in the review form's
text area, and what the server alone may vouch for (which file was uploaded, its
SHA-256) in a hidden field signed with the app's secret key (``receipt``), bound to the
quiz and party and as old at most as an editor's login.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, Optional, Regexp, ValidationError

from valgomat.content.program_upload import MAX_UPLOAD_BYTES
from valgomat.core.content.limits import (
    MAX_PROGRAM_BYTES,
    NAME_LENGTH,
    PROGRAM_DATE_LENGTH,
    URL_LENGTH,
    size_problem,
    unsafe_character,
)
from valgomat.core.content.rules import LANGUAGE_RE
from valgomat.editor.forms import LockedForm, plain, printable

RECEIPT_SALT = "valgomat.program-upload"
LANGUAGE_CODE = Regexp(rf"^(?:{LANGUAGE_RE.pattern})$",
                       message="A language code, like nb, sv or en-gb.")


class ProgramDetailsForm(LockedForm):
    """What a party file's ``program:`` says besides its file and hashes."""

    title = StringField("Program title", filters=[plain],
                        validators=[InputRequired(), Length(max=NAME_LENGTH), printable])
    url = StringField("Program URL (the official program)", filters=[plain],
                      validators=[Optional(), URL(), Length(max=URL_LENGTH), printable])
    publisher = StringField("Publisher", filters=[plain],
                            validators=[Optional(), Length(max=NAME_LENGTH), printable])
    date = StringField("Date (a year, a period or a date)", filters=[plain],
                       validators=[Optional(), Length(max=PROGRAM_DATE_LENGTH), printable])
    language = StringField("Language of the program", filters=[plain],
                           validators=[Optional(), LANGUAGE_CODE])

    def details(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in DETAIL_FIELDS}


DETAIL_FIELDS = ("title", "url", "publisher", "date", "language")


def _file_chosen(form: FlaskForm, field: Any) -> None:
    if not field.data or not getattr(field.data, "filename", ""):
        raise ValidationError("Choose the program's file (a PDF or UTF-8 text).")


class ProgramUploadForm(ProgramDetailsForm):
    file = FileField(f"Program file (a PDF or UTF-8 text, at most "
                     f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB)", validators=[_file_chosen])


def _program_text(form: FlaskForm, field: Any) -> None:
    too_large = size_problem(len((field.data or "").encode("utf-8")), MAX_PROGRAM_BYTES)
    if too_large is not None:
        raise ValidationError(f"The text {too_large}, more than a program may have.")
    character = unsafe_character(field.data or "")
    if character is not None:
        raise ValidationError(f"Remove the character {character} (a control character), "
                              "which cannot be stored.")


class ProgramReviewForm(ProgramDetailsForm):
    text = TextAreaField("The program's text (correct what the extraction got wrong)",
                         filters=[plain], validators=[InputRequired(), _program_text],
                         render_kw={"rows": 30, "spellcheck": "false"})
    receipt = HiddenField()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=RECEIPT_SALT)


def sign_receipt(quiz: str, party: str, upload: dict[str, Any]) -> str:
    """The upload's details, signed for this quiz and party."""
    return _serializer().dumps({"quiz": quiz, "party": party, **upload})


def read_receipt(token: str | None, quiz: str, party: str) -> dict[str, Any] | None:
    """The signed upload details, or None when the receipt is forged, expired or another
    party's."""
    hours = int(current_app.config["EDITOR_SESSION_HOURS"])
    try:
        data = _serializer().loads(token or "", max_age=hours * 3600)
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or data.get("quiz") != quiz or data.get("party") != party:
        return None
    return data
