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

from valgomat import editing, models, services, theming
from valgomat.editor_forms import SLUG, hex_colour, options
from valgomat.editor_support import editor_quiz
from valgomat.extensions import db
from valgomat.views.editor import bp

ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:\d{1,5})?")


def parse_origins(text: str | None) -> list[str]:
    lines = [line.strip().rstrip("/").lower() for line in (text or "").splitlines()]
    return list(dict.fromkeys(line for line in lines if line))


def _valid_origins(form: FlaskForm, field: TextAreaField) -> None:
    bad = [origin for origin in parse_origins(field.data) if not ORIGIN.fullmatch(origin)]
    if bad:
        raise ValidationError(f"Not an origin (scheme://host[:port], no path): {', '.join(bad)}")


class EmbedForm(FlaskForm):
    origins = TextAreaField("Partner origins allowed to frame this quiz (one per line)",
                            validators=[Length(max=5000), _valid_origins])


class ProfileForm(FlaskForm):
    slug = StringField("Profile id", validators=[InputRequired(), Length(max=100), SLUG])
    brand_colour = StringField("Brand colour (buttons)", validators=[InputRequired(), hex_colour])
    accent_colour = StringField("Accent colour (links, focus)",
                                validators=[InputRequired(), hex_colour])
    font = SelectField("Font", choices=options((key, key) for key in theming.FONTS))
    radius = IntegerField("Corner radius (px)", default=6,
                          validators=[InputRequired(), NumberRange(0, 24)])
    logo = FileField("Logo (PNG, JPEG or WebP, at most 200 KB)")


@bp.post("/quizzes/<slug>/embed/profiles")
def save_profile(slug: str) -> Response | tuple[str, int]:
    row = editor_quiz(slug)
    form = ProfileForm()
    if form.validate_on_submit() and _profile_ok(form):
        profile = next((p for p in _profiles(row) if p.slug == form.slug.data), None)
        before = None if profile is None else _profile_state(profile)
        if profile is None:
            profile = models.EmbedProfile(quiz_id=row.id, slug=form.slug.data)
            db.session.add(profile)
        profile.brand_colour = form.brand_colour.data.lower()
        profile.accent_colour = form.accent_colour.data.lower()
        profile.font, profile.radius = form.font.data, form.radius.data
        if form.logo.data:
            profile.logo, profile.logo_type = form.logo.data._bytes, form.logo.data._type
        editing.record(current_user.email, slug, "embed-profile", f"{slug}/{profile.slug}",
                       "update" if before else "create", before, _profile_state(profile))
        db.session.commit()
        flash(f"Saved the profile {profile.slug}.")
        return redirect(url_for("editor.embed", slug=slug, profile=profile.slug))
    return _embed_page(row, EmbedForm(formdata=None, origins="\n".join(row.embed_origins or [])),
                       form), 400


def _profile_ok(form: ProfileForm) -> bool:
    for field, message in theming.contrast_problems(form.brand_colour.data.lower(),
                                                    form.accent_colour.data.lower()).items():
        getattr(form, field).errors.append(message)
    upload = form.logo.data
    if upload:
        data = upload.read(theming.MAX_LOGO_BYTES + 1)
        kind = theming.logo_type(data)
        if kind is None:
            form.logo.errors.append("The logo must be a PNG, JPEG or WebP image of at most "
                                    "200 KB.")
        upload._bytes, upload._type = data, kind
    return not form.errors


def _profiles(row: models.Quiz) -> list[models.EmbedProfile]:
    return list(db.session.scalars(select(models.EmbedProfile).where(
        models.EmbedProfile.quiz_id == row.id).order_by(models.EmbedProfile.slug)))


def _profile_state(profile: models.EmbedProfile) -> dict[str, object]:
    return {"brand_colour": profile.brand_colour, "accent_colour": profile.accent_colour,
            "font": profile.font, "radius": profile.radius,
            "logo": f"{len(profile.logo)} bytes" if profile.logo else None}


@bp.route("/quizzes/<slug>/embed", methods=["GET", "POST"])
def embed(slug: str) -> Response | str | tuple[str, int]:
    row = editor_quiz(slug)
    form = EmbedForm()
    if request.method == "GET":
        form.origins.data = "\n".join(row.embed_origins or [])
    if form.validate_on_submit():
        before = {"embed_origins": list(row.embed_origins or [])}
        row.embed_origins = parse_origins(form.origins.data)
        editing.record(current_user.email, slug, "quiz", slug, "embed", before,
                       {"embed_origins": row.embed_origins})
        db.session.commit()
        services.forget_live_versions()
        flash("Saved the partner origins.")
        return redirect(url_for("editor.embed", slug=slug))
    return _embed_page(row, form, ProfileForm(formdata=None)), 400 if form.errors else 200


def _embed_page(row: models.Quiz, form: EmbedForm, profile_form: ProfileForm) -> str:
    languages = [lang for lang in row.languages if lang in current_app.config["LANGUAGES"]]
    chosen = request.args.get("lang") if request.args.get("lang") in languages else (
        languages[0] if languages else "en")
    profiles = _profiles(row)
    profile = request.args.get("profile") if request.args.get("profile") in {
        p.slug for p in profiles} else None
    frame = url_for("embed.intro", lang=chosen, slug=row.slug, t=profile, _external=True)
    host = url_for("static", filename="js/host.js", _external=True)
    title = escape(row.title.get(chosen, row.slug))
    snippet = (f'<iframe src="{frame}" title="{title}" data-valgomat '
               f'style="width:100%;height:640px;border:0" loading="lazy"></iframe>\n'
               f'<script src="{host}" async></script>')
    return render_template("editor/embed.html", quiz=row, form=form, snippet=snippet,
                           frame=frame, languages=languages, chosen=chosen,
                           profiles=profiles, profile=profile, profile_form=profile_form)
