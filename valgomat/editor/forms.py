"""Flask-WTF forms of the editor (all CSRF-protected), built for a quiz's languages.

Text fields are plain text, stored exactly as typed (``plain`` only trims the
ends and makes line breaks ``\n``, so saving a form unchanged changes nothing).
Angle brackets and ampersands are ordinary characters: every page escapes the
text on output and the API returns it as a plain string, so editor input never
becomes markup. Control characters other than tab and line break are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs predate it
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from valgomat.core.audit.gate import REASON_MAX, REASON_MIN
from valgomat.core.model import CONFIDENCES, METHODS, MISSING_POLICIES, SCALES
from valgomat.core.scale import WORDS
from valgomat.web.numbers import whole_number

SLUG = Regexp(r"^[a-z0-9][a-z0-9-]*$", message="Use lowercase letters, digits and hyphens.")
EMAIL = Regexp(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$",
               message="Enter an e-mail address.")
LANGUAGE_LIST = Regexp(r"^\s*[a-z]{2,3}(\s*,\s*[a-z]{2,3})*\s*$",
                       message="Comma-separated language codes, like: nb, sv, en")


def options(pairs: Any) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(str(value), str(label)) for value, label in pairs]


def plain(value: str | None) -> str:
    """The text as typed, with its ends trimmed and browsers' CRLF line breaks as LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if value else ""


CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(form: FlaskForm, field: Any) -> None:
    """Refuse control characters (a NUL cannot even be stored in PostgreSQL)."""
    if field.data and CONTROL_CHARACTER.search(field.data):
        raise ValidationError("Remove the control character (an invisible character "
                              "pasted with the text).")


def entered(field: StringField) -> str:
    """The text of a field that passed InputRequired (WTForms types every field's data
    as possibly missing)."""
    if field.data is None:
        raise ValueError(f"{field.name} was read before its form was validated")
    return field.data


def add_error(field: Field, message: str) -> None:
    """A view's own finding on a field of a validated form (validation made its errors
    a list; WTForms types them as a read-only sequence)."""
    cast("list[str]", field.errors).append(message)


class LoginForm(FlaskForm):
    email = StringField("E-mail", validators=[InputRequired(), EMAIL, Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A bare form for buttons that change state (publish, move, deactivate…)."""

    confirm = BooleanField("I have read the audit and want to publish anyway")


class RollbackForm(FlaskForm):
    """Make a version live again; carries the live version the admin saw (0: none)."""

    published_version = HiddenField()

    def seen_version(self) -> int | None:
        return whole_number(self.published_version.data)


class PublishForm(ConfirmForm, RollbackForm):
    """The publish confirmation; ``reason`` is required when the publish gate refuses
    (the view checks it with ``core.audit.gate.check_reason``). A publish whose
    ``published_version`` is no longer live is refused (someone published first)."""

    reason_min, reason_max = REASON_MIN, REASON_MAX
    draft_digest = HiddenField()  # the draft reviewed on the page (locking.draft_digest)
    reason = TextAreaField("Why publish although the publish gate refuses this draft",
                           filters=[plain], validators=[Length(max=REASON_MAX), printable],
                           render_kw={"maxlength": REASON_MAX, "rows": 3})


class LockedForm(FlaskForm):
    lock_version = HiddenField()

    def lock(self) -> int | None:
        return whole_number(self.lock_version.data)


# The fields of the forms that the functions below build for a quiz's languages (the
# per-language text fields, read with texts_of, are left out).

class QuizFormFields(LockedForm):
    languages_field: StringField
    scale: SelectField
    method: SelectField
    missing: SelectField
    importance_multiplier: DecimalField
    slug: StringField  # when creating
    topic_slug: StringField  # when creating


class TopicFormFields(LockedForm):
    slug: StringField


class StatementFormFields(LockedForm):
    topic: SelectField
    weight: DecimalField
    order: IntegerField
    slug: StringField  # when creating


class PartyFormFields(LockedForm):
    name: StringField
    short_name: StringField
    colour: StringField
    program_title: StringField
    program_url: StringField
    slug: StringField  # when creating


class PositionFormFields(LockedForm):
    value: RadioField
    quote: TextAreaField
    source: StringField
    confidence: SelectField


def _texts(form_class: type, prefix: str, label: str, languages: list[str],
           required: bool, max_length: int = 2000, area: bool = True) -> None:
    field = TextAreaField if area else StringField
    for lang in languages:
        validators = [InputRequired() if required else Optional(), Length(max=max_length),
                      printable]
        setattr(form_class, f"{prefix}_{lang}", field(f"{label} ({lang})", validators=validators,
                                                      filters=[plain]))


def texts_of(form: Any, prefix: str, languages: list[str]) -> dict[str, str]:
    values = {lang: getattr(form, f"{prefix}_{lang}").data for lang in languages}
    return {lang: text for lang, text in values.items() if text}


def quiz_form(languages: list[str], creating: bool) -> type[QuizFormFields]:
    class QuizForm(QuizFormFields):
        languages_field = StringField("Languages", validators=[InputRequired(), LANGUAGE_LIST])
        scale = SelectField("Scale", coerce=int,
                            choices=options((s, f"{s} points") for s in SCALES))
        method = SelectField("Method", choices=options((m, m) for m in METHODS))
        missing = SelectField("Missing positions",
                              choices=options((m, m) for m in MISSING_POLICIES))
        importance_multiplier = DecimalField("Importance multiplier", places=None,
                                             validators=[InputRequired(), NumberRange(1, 10)])

    if creating:
        QuizForm.slug = StringField("Slug", validators=[InputRequired(), Length(max=100), SLUG])
        QuizForm.topic_slug = StringField("First topic id",
                                          validators=[InputRequired(), Length(max=100), SLUG])
        _texts(QuizForm, "topic", "First topic name", languages, True, 200, area=False)
    _texts(QuizForm, "title", "Title", languages, True, 200, area=False)
    _texts(QuizForm, "description", "Description", languages, False)
    return QuizForm


def topic_form(languages: list[str]) -> type[TopicFormFields]:
    class TopicForm(TopicFormFields):
        slug = StringField("Topic id", validators=[InputRequired(), Length(max=100), SLUG])

    _texts(TopicForm, "name", "Name", languages, True, 200, area=False)
    return TopicForm


def statement_form(languages: list[str], topics: list[tuple[str, str]],
                   creating: bool) -> type[StatementFormFields]:
    class StatementForm(StatementFormFields):
        topic = SelectField("Topic", choices=options(topics))
        weight = DecimalField("Weight", places=None, default=Decimal(1),
                              validators=[InputRequired(), NumberRange(0, 100)])
        order = IntegerField("Order", validators=[Optional(), NumberRange(0, 10**6)])

    if creating:
        StatementForm.slug = StringField("Statement id",
                                         validators=[InputRequired(), Length(max=100), SLUG])
    _texts(StatementForm, "text", "Statement", languages, True, 500)
    _texts(StatementForm, "explanation", "Neutral explanation", languages, False)
    return StatementForm


def hex_colour(form: FlaskForm, field: Any) -> None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", field.data or ""):
        raise ValidationError("Use a #rrggbb colour, like #c8102e.")


def party_form(creating: bool) -> type[PartyFormFields]:
    class PartyForm(PartyFormFields):
        name = StringField("Display name", validators=[InputRequired(), Length(max=200),
                                                          printable], filters=[plain])
        short_name = StringField("Short name", validators=[InputRequired(), Length(max=50),
                                                              printable], filters=[plain])
        colour = StringField("Colour", validators=[InputRequired(), hex_colour])
        program_title = StringField("Program title", validators=[InputRequired(),
                                                                 Length(max=300), printable],
                                    filters=[plain])
        program_url = StringField("Program URL", validators=[Optional(), URL(), Length(max=500),
                                                            printable])

    if creating:
        PartyForm.slug = StringField("Party id",
                                     validators=[InputRequired(), Length(max=100), SLUG])
    return PartyForm


def position_label(value: int, scale: int) -> str:
    """A party position as the editor lists it: "+2 Strongly agree", "0 Neutral"."""
    number = f"{value:+d}" if value else "0"
    return f"{number} {WORDS[SCALES[scale].word(value)]}"


def position_form(languages: list[str], scale: int) -> type[PositionFormFields]:
    class PositionForm(PositionFormFields):
        value = RadioField("Position", choices=options(
            [("", "No stated position")] +
            [(v, position_label(v, scale)) for v in SCALES[scale].descending()]),
            default="")
        quote = TextAreaField("Verbatim quote", validators=[Length(max=5000), printable],
                              filters=[plain])
        source = StringField("Source section", validators=[Length(max=500), printable],
                             filters=[plain])
        confidence = SelectField("Confidence",
                                 choices=options([("", "–")] + [(c, c) for c in CONFIDENCES]))

    _texts(PositionForm, "justification", "Justification", languages, False)
    return PositionForm

