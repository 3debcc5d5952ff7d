"""Flask-WTF forms.

The voter's forms are GET forms without CSRF tokens on purpose: they change
nothing on the server (answers live only in the URL), and a token would need a
session cookie on every voter.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class VoterForm(FlaskForm):
    class Meta:
        csrf = False


class AnswerForm(VoterForm):
    """One statement: a value of the scale (or Skip) and the importance mark."""

    value = RadioField(coerce=int, validate_choice=True,
                       validators=[InputRequired(_l("Choose an answer, or press Skip."))])
    important = BooleanField(_l("Important to me"))

    def __init__(self, scale_values: tuple[int, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.value.choices = [SelectChoice(str(v), str(v)) for v in scale_values]


class PartiesForm(VoterForm):
    p = SelectMultipleField(validators=[InputRequired(_l("Choose at least one party."))])

    def __init__(self, party_ids: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.p.choices = [SelectChoice(pid, pid) for pid in party_ids]
