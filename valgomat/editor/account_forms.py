"""Forms of the accounts pages: new accounts, passwords (all CSRF-protected).

Passwords are taken exactly as typed; ``accounts.password_problem`` says which
new ones are refused.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from valgomat.editor.accounts import password_problem
from valgomat.editor.forms import EMAIL, options

MAX_PASSWORD_LENGTH = 200


def acceptable_password(form: FlaskForm, field: Any) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[InputRequired(), Length(max=MAX_PASSWORD_LENGTH),
                                            acceptable_password])


class UserForm(FlaskForm):
    email = StringField("E-mail", validators=[InputRequired(), EMAIL, Length(max=254)])
    password = _new_password("Password")
    role = SelectField("Role", choices=options([("editor", "editor"), ("admin", "admin")]))


class NewPasswordForm(FlaskForm):
    new_password = _new_password("New password")
    new_password_again = PasswordField("New password again", validators=[
        InputRequired(), EqualTo("new_password", message="The two new passwords do not match.")])


class SetPasswordForm(NewPasswordForm):
    """An admin's new password for another account, confirmed with the admin's own
    password (a borrowed admin session must not take over other accounts)."""

    your_password = PasswordField("Your own password, to confirm it is you", validators=[
        InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class PasswordChangeForm(NewPasswordForm):
    """Everyone's own password change: the current password, then the new one twice."""

    current_password = PasswordField("Current password", validators=[
        InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])
