"""Editor route for embedding: the partner-origin allowlist and the snippet generator."""

from __future__ import annotations

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, ValidationError

from valgomat import editing
from valgomat.editor_forms import options
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
        flash("Saved the partner origins.")
        return redirect(url_for("editor.embed", slug=slug))
    languages = [lang for lang in row.languages if lang in current_app.config["LANGUAGES"]]
    language = SelectField("Language", choices=options((lang, lang) for lang in languages))
    chosen = request.args.get("lang") if request.args.get("lang") in languages else (
        languages[0] if languages else "en")
    frame = url_for("embed.intro", lang=chosen, slug=slug, _external=True)
    host = url_for("static", filename="js/host.js", _external=True)
    snippet = (f'<iframe src="{frame}" title="{row.title.get(chosen, slug)}" data-valgomat '
               f'style="width:100%;height:640px;border:0" loading="lazy"></iframe>\n'
               f'<script src="{host}" async></script>')
    return render_template("editor/embed.html", quiz=row, form=form, snippet=snippet,
                           frame=frame, languages=languages, chosen=chosen,
                           language=language), 400 if form.errors else 200
