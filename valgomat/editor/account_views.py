"""Editor routes for accounts (on the editor blueprint): everyone's own password,
and for admins the account list, new accounts, deactivation and new passwords.

Rules and logging live in ``valgomat.editor.accounts``; a password change or a
deactivation ends the account's sessions in every browser.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from valgomat.editor import accounts
from valgomat.editor.account_forms import PasswordChangeForm, SetPasswordForm, UserForm
from valgomat.editor.auth import admin_required, authenticate, create_user
from valgomat.editor.blueprint import bp, login_limit, safe_next
from valgomat.editor.forms import ConfirmForm, LoginForm, add_error, entered
from valgomat.extensions import db, limiter
from valgomat.storage import models

Page = Response | str | tuple[str, int]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(entered(form.email), entered(form.password))
        if user is not None:
            session.clear()  # nothing planted before the login (a CSRF token) outlives it
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        add_error(form.password, "Wrong e-mail or password.")
    status = 400 if form.errors else 200
    return render_template("editor/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> Response:
    if ConfirmForm().validate_on_submit():
        accounts.log_out(current_user)
        logout_user()
    return redirect(url_for("editor.login"))


@bp.route("/account", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])  # guessing the current password is a login
def account() -> Page:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if check_password_hash(current_user.password_hash, entered(form.current_password)):
            accounts.set_password(current_user, entered(form.new_password), current_user.email)
            # This browser stays logged in, with the new token (the user, not the proxy).
            login_user(current_user._get_current_object())
            flash("Your password is changed; your other sessions have ended.")
            return redirect(url_for("editor.index"))
        add_error(form.current_password, "This is not your current password.")
    return render_template("editor/account.html", form=form), 400 if form.errors else 200


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> Page:
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(entered(form.email), entered(form.password), form.role.data,
                               by=current_user.email)
            flash(f"Created {user.role} {user.email}.")
            return redirect(url_for("editor.users"))
        except ValueError as exc:
            add_error(form.email, str(exc))
    rows = db.session.scalars(select(models.User).order_by(models.User.email)).all()
    return render_template("editor/users.html", form=form, accounts=rows), \
        400 if form.errors else 200


def _user(user_id: int) -> models.User:
    user = db.session.get(models.User, user_id)
    if user is None:
        abort(404, description="There is no such account.")
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
@limiter.limit(login_limit, methods=["POST"])  # guessing the admin's password is a login
def user(user_id: int) -> Page:
    """One account: its status, deactivate or reactivate, set a new password."""
    row = _user(user_id)
    form = SetPasswordForm()
    if form.validate_on_submit() and row.id == current_user.id:
        add_error(form.new_password, "Change your own password under Your account: it "
                                     "asks for the current one.")
    elif form.validate_on_submit() and not check_password_hash(current_user.password_hash,
                                                               entered(form.your_password)):
        add_error(form.your_password, "This is not your password.")
    elif form.validate_on_submit():
        accounts.set_password(row, entered(form.new_password), current_user.email)
        flash(f"New password set for {row.email}; their sessions have ended.")
        return redirect(url_for("editor.user", user_id=row.id))
    return _user_page(row, form, status=400 if form.errors else 200)


def _user_page(row: models.User, form: SetPasswordForm, refusal: str | None = None,
               status: int = 200) -> tuple[str, int]:
    return render_template("editor/user.html", account=row, form=form, confirm=ConfirmForm(),
                           refusal=refusal), status


@bp.post("/users/<int:user_id>/<any(activate, deactivate):status>")
@admin_required
def user_status(user_id: int, status: str) -> Page:
    row = _user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_active(row, status == "activate", current_user.email)
    except accounts.AccountRefused as exc:
        return _user_page(row, SetPasswordForm(formdata=None), str(exc), 400)
    flash(f"{row.email} is {'active' if row.active else 'deactivated'}.")
    return redirect(url_for("editor.users"))
