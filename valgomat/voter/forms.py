"""Flask-WTF forms.

The voter's forms are GET forms without CSRF tokens on purpose: they change
nothing on the server (answers live only in the URL), and a token would need a
session cookie on every voter.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations, Translations
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs predate it
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired

_WTFORMS_CATALOGUES: dict[str, NullTranslations] = {}


class WTFormsMessages:
    """WTForms' own messages ("Not a valid choice.") in the request's language.

    Flask-WTF reads WTForms' catalogue from disk for every request that builds a
    form; a voter form is built on every statement page, so it is read once per
    locale and process here.
    """

    def gettext(self, string: str) -> str:
        return str(self._catalogue().ugettext(string))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return str(self._catalogue().ungettext(singular, plural, count))

    @staticmethod
    def _catalogue() -> NullTranslations:  # without a catalogue, the English messages
        locale = str(get_locale())
        found = _WTFORMS_CATALOGUES.get(locale)
        if found is None:
            found = Translations.load(messages_path(), [locale], domain="wtforms")
            _WTFORMS_CATALOGUES[locale] = found
        return found


class VoterForm(FlaskForm):
    class Meta:
        csrf = False

        def get_translations(self, form: Any) -> WTFormsMessages:
            return WTFormsMessages()


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
