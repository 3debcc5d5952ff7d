"""Editor route for embedding: the partner-origin allowlist and the snippet generator."""

from __future__ import annotations

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import escape
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from valgomat.content import theming
from valgomat.editor import editing
from valgomat.editor.blueprint import bp
from valgomat.editor.checks import editor_quiz
from valgomat.editor.forms import SLUG, LockedForm, add_error, entered, hex_colour, options
from valgomat.extensions import db
from valgomat.storage import models, published

ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:\d{1,5})?")


def parse_origins(text: str | None) -> list[str]:
    lines = [line.strip().rstrip("/").lower() for line in (text or "").splitlines()]
    return list(dict.fromkeys(line for line in lines if line))


def _valid_origins(form: FlaskForm, field: TextAreaField) -> None:
    bad = [origin for origin in parse_origins(field.data) if not ORIGIN.fullmatch(origin)]
    if bad:
        raise ValidationError(f"Not an origin (scheme://host[:port], no path): {', '.join(bad)}")


class EmbedForm(LockedForm):
    origins = TextAreaField("Partner origins allowed to frame this quiz (one per line)",
                            validators=[Length(max=5000), _valid_origins])


class ProfileForm(LockedForm):
    slug = StringField("Profile id", validators=[InputRequired(), Length(max=100), SLUG])
    brand_colour = StringField("Brand colour (buttons)", validators=[InputRequired(), hex_colour])
    accent_colour = StringField("Accent colour (links, focus)",
                                validators=[InputRequired(), hex_colour])
    font = SelectField("Font", choices=options((key, key) for key in theming.FONTS))
    radius = IntegerField("Corner radius (px)", default=6,
                          validators=[InputRequired(), NumberRange(0, 24)])
    logo = FileField("Logo (PNG, JPEG or WebP, at most 200 KB and 2000 × 2000 pixels)")


@bp.post("/quizzes/<slug>/embed/profiles")
def save_profile(slug: str) -> Response | tuple[str, int]:
    row = editor_quiz(slug)
    form = ProfileForm()
    if form.validate_on_submit() and _profile_ok(form):
        values = {"brand_colour": entered(form.brand_colour).lower(),
                  "accent_colour": entered(form.accent_colour).lower(),
                  "font": form.font.data, "radius": form.radius.data}
        if form.logo.data:
            values.update(logo=form.logo.data._bytes, logo_type=form.logo.data._type)
        try:
            profile = editing.save_profile(row, entered(form.slug), values, form.lock(),
                                           current_user.email)
        except editing.Conflict as exc:
            form.lock_version.data = _profile_lock(row, entered(form.slug))
            return _embed_page(row, _origins_form(row), form, profile_conflict=exc), 409
        flash(f"Saved the profile {profile.slug}.")
        return redirect(url_for("editor.embed", slug=slug, profile=profile.slug))
    return _embed_page(row, _origins_form(row), form), 400


def _origins_form(row: models.Quiz) -> EmbedForm:
    return EmbedForm(formdata=None, origins="\n".join(row.embed_origins or []),
                     lock_version=str(row.origins_lock_version))


def _profile_lock(row: models.Quiz, slug: str) -> str:
    profile = next((p for p in _profiles(row) if p.slug == slug), None)
    return "" if profile is None else str(profile.lock_version)


def _filled_profile_form(profile: models.EmbedProfile | None) -> ProfileForm:
    """The profile form, opened on ``profile`` (its values and lock) when one is chosen."""
    if profile is None:
        return ProfileForm(formdata=None)
    return ProfileForm(formdata=None, slug=profile.slug, brand_colour=profile.brand_colour,
                       accent_colour=profile.accent_colour, font=profile.font,
                       radius=profile.radius, lock_version=str(profile.lock_version))


def _profile_ok(form: ProfileForm) -> bool:
    for field, message in theming.contrast_problems(entered(form.brand_colour).lower(),
                                                    entered(form.accent_colour).lower()).items():
        getattr(form, field).errors.append(message)
    upload = form.logo.data
    if upload:
        data = upload.read(theming.MAX_LOGO_BYTES + 1)
        problem = theming.logo_problem(data)
        if problem:
            add_error(form.logo, problem)
        upload._bytes, upload._type = data, theming.logo_type(data)
    return not form.errors


def _profiles(row: models.Quiz) -> list[models.EmbedProfile]:
    return list(db.session.scalars(select(models.EmbedProfile).where(
        models.EmbedProfile.quiz_id == row.id).order_by(models.EmbedProfile.slug)))


@bp.route("/quizzes/<slug>/embed", methods=["GET", "POST"])
def embed(slug: str) -> Response | str | tuple[str, int]:
    row = editor_quiz(slug)
    form = EmbedForm()
    if request.method == "GET":
        form = _origins_form(row)
    if form.validate_on_submit():
        try:
            editing.save_origins(row, parse_origins(form.origins.data), form.lock(),
                                 current_user.email)
        except editing.Conflict as exc:
            form.lock_version.data = str(row.origins_lock_version)
            return _embed_page(row, form, ProfileForm(formdata=None), origins_conflict=exc), 409
        published.forget_live_versions()
        flash("Saved the partner origins.")
        return redirect(url_for("editor.embed", slug=slug))
    return _embed_page(row, form, None), 400 if form.errors else 200


def _embed_page(row: models.Quiz, form: EmbedForm, profile_form: ProfileForm | None,
                **conflicts: editing.Conflict) -> str:
    """The embed page; ``profile_form`` None opens the chosen profile (``?profile=``)."""
    languages = [lang for lang in row.languages if lang in current_app.config["LANGUAGES"]]
    asked = request.args.get("lang")
    chosen = asked if asked in languages else (languages[0] if languages else "en")
    profiles = _profiles(row)
    chosen_profile = next((p for p in profiles if p.slug == request.args.get("profile")),
                          None)
    profile = chosen_profile.slug if chosen_profile else None
    if profile_form is None:
        profile_form = _filled_profile_form(chosen_profile)
    frame = url_for("embed.intro", lang=chosen, slug=row.slug, t=profile, _external=True)
    host = url_for("static", filename="js/host.js", _external=True)
    title = escape(row.title.get(chosen, row.slug))
    snippet = (f'<iframe src="{frame}" title="{title}" data-valgomat '
               f'style="width:100%;height:640px;border:0" loading="lazy"></iframe>\n'
               f'<script src="{host}" async></script>')
    return render_template("editor/embed.html", quiz=row, form=form, snippet=snippet,
                           frame=frame, languages=languages, chosen=chosen,
                           profiles=profiles, profile=profile, profile_form=profile_form,
                           **conflicts)
