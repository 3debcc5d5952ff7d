"""Editor routes for quizzes (on the editor blueprint): the list, new quizzes, settings,
topics, the audit and the audit log.

Statements, parties and positions live in ``content``, publishing and versions in
``versions``, login and accounts in ``account_views``; business rules live in
``valgomat.editor.editing``. Every route but login requires a logged-in editor
(``blueprint``); every POST is a Flask-WTF form (CSRF-checked by the global CSRFProtect).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from valgomat.editor import editing
from valgomat.editor.blueprint import bp
from valgomat.editor.checks import (
    draft_audit,
    draft_problems,
    editor_quiz,
    quiz_settings_values,
)
from valgomat.editor.forms import (
    ConfirmForm,
    QuizFormFields,
    add_error,
    entered,
    quiz_form,
    texts_of,
    topic_form,
)
from valgomat.extensions import db
from valgomat.storage import models

CHANGES_PER_PAGE = 50

@bp.get("/")
def index() -> str:
    quizzes = db.session.scalars(select(models.Quiz).order_by(models.Quiz.slug)).all()
    return render_template("editor/index.html", quizzes=quizzes)


@bp.route("/quizzes/new", methods=["GET", "POST"])
def new_quiz() -> Response | str | tuple[str, int]:
    languages = _languages_from_request()
    form = quiz_form(languages, creating=True)()
    if request.method == "GET":
        form.languages_field.data = ", ".join(languages)
        form.importance_multiplier.data = Decimal(2)
    conflict = None
    if form.validate_on_submit() and _slug_is_free(form):
        values = quiz_settings_values(form, languages)
        topic = (entered(form.topic_slug), texts_of(form, "topic", languages))
        try:
            row = editing.create_quiz({"slug": entered(form.slug), **values}, [topic],
                                      current_user.email)
        except editing.Conflict as exc:  # created by someone else at the same moment
            conflict = exc
        else:
            flash(f"Created the quiz {row.slug}.")
            return redirect(url_for("editor.quiz", slug=row.slug))
    status = 409 if conflict else 400 if form.errors else 200
    return render_template("editor/quiz_form.html", form=form, languages=languages,
                           quiz=None, conflict=conflict), status


def _languages_from_request() -> list[str]:
    raw = request.values.get("languages_field") or request.args.get("languages") or "nb, sv, en"
    codes = [code.strip() for code in raw.split(",") if code.strip()]
    valid = [c for c in codes if c.isalpha() and c.islower() and 2 <= len(c) <= 3]
    return list(dict.fromkeys(valid))[:8] or ["en"]


def _slug_is_free(form: QuizFormFields) -> bool:
    if db.session.scalar(select(models.Quiz.id).where(models.Quiz.slug == form.slug.data)):
        add_error(form.slug, "A quiz with this slug exists already.")
        return False
    return True


@bp.get("/quizzes/<slug>/")
def quiz(slug: str) -> str:
    row = editor_quiz(slug)
    draft, report = draft_audit(row)
    return render_template("editor/quiz.html", quiz=row, problems=draft_problems(row),
                           form=ConfirmForm(), draft=draft, report=report)


@bp.get("/quizzes/<slug>/audit")
def audit(slug: str) -> str:
    row = editor_quiz(slug)
    draft, report = draft_audit(row)
    return render_template("editor/audit.html", quiz=row, draft=draft, report=report)


@bp.route("/quizzes/<slug>/settings", methods=["GET", "POST"])
def settings(slug: str) -> Response | str | tuple[str, int]:
    row = editor_quiz(slug)
    languages = _languages_from_request() if request.method == "POST" else list(row.languages)
    form = quiz_form(languages, creating=False)()
    if request.method == "GET":
        _fill_settings(form, row)
    conflict = None
    if form.validate_on_submit():
        try:
            editing.update_quiz(row, quiz_settings_values(form, languages), form.lock(),
                                current_user.email)
            flash("Saved the settings.")
            return redirect(url_for("editor.quiz", slug=slug))
        except editing.Conflict as exc:
            conflict = exc
            form.lock_version.data = str(row.lock_version)
    status = 409 if conflict else 400 if form.errors else 200
    return render_template("editor/quiz_form.html", form=form, languages=languages, quiz=row,
                           conflict=conflict), status


def _fill_settings(form: Any, row: models.Quiz) -> None:
    form.lock_version.data = str(row.lock_version)
    form.languages_field.data = ", ".join(row.languages)
    form.scale.data, form.method.data, form.missing.data = row.scale, row.method, row.missing
    form.importance_multiplier.data = row.importance_multiplier
    for lang in row.languages:
        getattr(form, f"title_{lang}").data = row.title.get(lang, "")
        getattr(form, f"description_{lang}").data = (row.description or {}).get(lang, "")


@bp.route("/quizzes/<slug>/topics", methods=["GET", "POST"])
def topics(slug: str) -> Response | str | tuple[str, int]:
    row = editor_quiz(slug)
    languages = list(row.languages)
    form = topic_form(languages)()
    if request.method == "GET":
        _fill_topic(form, row, request.args.get("topic"))
    conflict = None
    if form.validate_on_submit():
        try:
            editing.save_topic(row, entered(form.slug), texts_of(form, "name", languages),
                               form.lock(), current_user.email)
            flash(f"Saved the topic {form.slug.data}.")
            return redirect(url_for("editor.topics", slug=slug))
        except editing.Conflict as exc:
            conflict = exc
            topic = next((t for t in row.topics if t.slug == form.slug.data), None)
            form.lock_version.data = str(topic.lock_version) if topic else ""
    status = 409 if conflict else 400 if form.errors else 200
    return render_template("editor/topics.html", quiz=row, form=form, conflict=conflict), status


def _fill_topic(form: Any, row: models.Quiz, slug: str | None) -> None:
    """Open an existing topic for renaming: its names and the lock it was read at."""
    topic = next((t for t in row.topics if t.slug == slug), None)
    if topic is None:
        return
    form.slug.data, form.lock_version.data = topic.slug, str(topic.lock_version)
    for lang in row.languages:
        getattr(form, f"name_{lang}").data = topic.name.get(lang, "")


@bp.get("/changes")
def changes() -> str:
    query = select(models.Change).order_by(models.Change.id.desc())
    filters = {name: request.args.get(name, "").strip()[:200]
               for name in ("quiz", "user", "entity", "action")}
    columns = {"quiz": models.Change.quiz_slug, "user": models.Change.user_email,
               "entity": models.Change.entity, "action": models.Change.action}
    for name, value in filters.items():
        if value:
            query = query.where(columns[name] == value)
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    entries = db.session.scalars(query.offset((page - 1) * CHANGES_PER_PAGE)
                                 .limit(CHANGES_PER_PAGE + 1)).all()
    return render_template("editor/changes.html", entries=entries[:CHANGES_PER_PAGE],
                           filters=filters, page=page,
                           more=len(entries) > CHANGES_PER_PAGE)

