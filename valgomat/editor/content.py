"""Editor routes for statements, parties and the position grid (on the editor blueprint)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from valgomat.editor import editing
from valgomat.editor.blueprint import bp
from valgomat.editor.checks import decimal_to_float, editor_quiz
from valgomat.editor.forms import (
    ConfirmForm,
    PartyFormFields,
    StatementFormFields,
    add_error,
    entered,
    party_form,
    position_form,
    statement_form,
    texts_of,
)
from valgomat.editor.program_panel import choosing, fill_chosen, key_word_queries, program_panel
from valgomat.editor.program_status import program_status
from valgomat.storage import models

Page = Response | str | tuple[str, int]


def _statement(row: models.Quiz, slug: str) -> models.Statement:
    found = next((s for s in row.statements if s.slug == slug), None)
    if found is None:
        abort(404, description=f"Quiz {row.slug} has no statement '{slug}'.")
    return found


def _party(row: models.Quiz, slug: str) -> models.Party:
    found = next((p for p in row.parties if p.slug == slug), None)
    if found is None:
        abort(404, description=f"Quiz {row.slug} has no party '{slug}'.")
    return found


def _splits(row: models.Quiz) -> dict[int, Counter[str]]:
    """Per statement: how many parties agree, are neutral, disagree, state nothing."""
    splits: dict[int, Counter[str]] = {s.id: Counter() for s in row.statements}
    for party in row.parties:
        stated = {p.statement_id: p.value for p in party.positions}
        for statement in row.statements:
            value = stated.get(statement.id)
            kind = "none" if value is None else "agree" if value > 0 else \
                "disagree" if value < 0 else "neutral"
            splits[statement.id][kind] += 1
    return splits


@bp.get("/quizzes/<slug>/statements")
def statements(slug: str) -> str:
    row = editor_quiz(slug)
    ordered = sorted(row.statements, key=lambda s: (s.order, s.id))
    return render_template("editor/statements.html", quiz=row, statements=ordered,
                           splits=_splits(row), form=ConfirmForm())


@bp.route("/quizzes/<slug>/statements/new", methods=["GET", "POST"])
@bp.route("/quizzes/<slug>/statements/<sid>", methods=["GET", "POST"])
def edit_statement(slug: str, sid: str | None = None) -> Page:
    row = editor_quiz(slug)
    statement = _statement(row, sid) if sid else None
    languages = list(row.languages)
    topics = [(t.slug, t.name.get(languages[0], t.slug)) for t in row.topics]
    form = statement_form(languages, topics, creating=statement is None)()
    if request.method == "GET" and statement is not None:
        _fill_statement(form, statement, languages)
    conflict = None
    if form.validate_on_submit() and _id_free(form, statement, row.statements, "statement"):
        values = {"topic": form.topic.data, "weight": decimal_to_float(form.weight.data),
                  "order": form.order.data if form.order.data is not None else
                  (statement.order if statement else 10 * (len(row.statements) + 1)),
                  "text": texts_of(form, "text", languages),
                  "explanation": texts_of(form, "explanation", languages)}
        try:
            saved = editing.save_statement(row, statement, sid or entered(form.slug), values,
                                           form.lock(), current_user.email)
            flash(f"Saved the statement {saved.slug}.")
            return redirect(url_for("editor.statements", slug=slug))
        except editing.Conflict as exc:
            conflict = exc
            form.lock_version.data = str(statement.lock_version) if statement else ""
    return render_template("editor/statement_form.html", quiz=row, statement=statement,
                           form=form, languages=languages, conflict=conflict), \
        _status(form, conflict)


def _status(form: Any, conflict: Any) -> int:
    return 409 if conflict else 400 if form.errors else 200


def _fill_statement(form: Any, statement: models.Statement, languages: list[str]) -> None:
    form.lock_version.data = str(statement.lock_version)
    form.topic.data, form.weight.data = statement.topic.slug, statement.weight
    form.order.data = statement.order
    for lang in languages:
        getattr(form, f"text_{lang}").data = statement.text.get(lang, "")
        getattr(form, f"explanation_{lang}").data = (statement.explanation or {}).get(lang, "")


def _id_free(form: StatementFormFields | PartyFormFields, existing: Any, taken: Iterable[Any],
             what: str) -> bool:
    """A new statement or party needs an id its quiz does not use yet."""
    if existing is None and any(item.slug == form.slug.data for item in taken):
        add_error(form.slug, f"This quiz has a {what} with this id already.")
        return False
    return True


@bp.post("/quizzes/<slug>/statements/<sid>/<any(activate, deactivate, up, down):action>")
def statement_action(slug: str, sid: str, action: str) -> Response:
    row = editor_quiz(slug)
    statement = _statement(row, sid)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action in ("activate", "deactivate"):
            editing.set_active(row, statement, action == "activate", current_user.email)
        else:
            editing.move_statement(row, statement, -1 if action == "up" else 1,
                                   current_user.email)
    except editing.Conflict:
        abort(409, description=f"Someone else saved the statements of {slug} while you were "
                               "looking at the list, so nothing was changed. Look at the "
                               "list again, then try once more.")
    return redirect(url_for("editor.statements", slug=slug) + f"#s-{sid}")


@bp.get("/quizzes/<slug>/parties")
def parties(slug: str) -> str:
    return render_template("editor/parties.html", quiz=editor_quiz(slug))


@bp.route("/quizzes/<slug>/parties/new", methods=["GET", "POST"])
@bp.route("/quizzes/<slug>/parties/<pid>", methods=["GET", "POST"])
def edit_party(slug: str, pid: str | None = None) -> Page:
    row = editor_quiz(slug)
    party = _party(row, pid) if pid else None
    form = party_form(creating=party is None)()
    if request.method == "GET" and party is not None:
        form.lock_version.data = str(party.lock_version)
        form.name.data, form.short_name.data = party.name, party.short_name
        form.colour.data = party.colour
        form.program_title.data = party.program.get("title", "")
        form.program_url.data = party.program.get("url", "")
    conflict = None
    if form.validate_on_submit() and _id_free(form, party, row.parties, "party"):
        # The form edits title and URL; the rest (file, publisher, date, language, hash) stays.
        program = {**(party.program if party else {}), "title": form.program_title.data,
                   "url": form.program_url.data or ""}
        values = {"name": form.name.data, "short_name": form.short_name.data,
                  "colour": entered(form.colour).lower(), "program": program}
        try:
            saved = editing.save_party(row, party, pid or entered(form.slug), values, form.lock(),
                                       current_user.email)
            flash(f"Saved the party {saved.slug}.")
            return redirect(url_for("editor.parties", slug=slug))
        except editing.Conflict as exc:
            conflict = exc
            form.lock_version.data = str(party.lock_version) if party else ""
    return render_template("editor/party_form.html", quiz=row, party=party, form=form,
                           conflict=conflict, program=program_status(party)), \
        _status(form, conflict)


@bp.get("/quizzes/<slug>/grid")
def grid(slug: str) -> str:
    row = editor_quiz(slug)
    ordered = sorted(row.statements, key=lambda s: (s.order, s.id))
    cells = {(p.party_id, p.statement_id): p for party in row.parties for p in party.positions}
    active = {s.id for s in ordered if s.active}
    stated = {party.id: sum(1 for p in party.positions if p.statement_id in active
                            and p.value is not None) for party in row.parties}
    return render_template("editor/grid.html", quiz=row, statements=ordered, cells=cells,
                           splits=_splits(row), active=active, stated=stated,
                           queries=key_word_queries(row, cells))


@bp.route("/quizzes/<slug>/positions/<pid>/<sid>", methods=["GET", "POST"])
def edit_position(slug: str, pid: str, sid: str) -> Page:
    row = editor_quiz(slug)
    party, statement = _party(row, pid), _statement(row, sid)
    position = next((p for p in party.positions if p.statement_id == statement.id), None)
    languages = list(row.languages)
    form = position_form(languages, row.scale)()
    panel = program_panel(row, party, statement)
    if request.method == "GET" and position is not None:
        _fill_position(form, position, languages)
    fill_chosen(panel, form)
    conflict = None
    if not choosing() and form.validate_on_submit() and _position_complete(form, row):
        values = _position_values(form, languages)
        try:
            editing.save_position(row, party, statement, values, form.lock(),
                                  current_user.email)
            flash(f"Saved {party.short_name} on {statement.slug}.")
            return redirect(url_for("editor.grid", slug=slug) + f"#s-{sid}")
        except editing.Conflict as exc:
            conflict = exc
            form.lock_version.data = str(position.lock_version) if position else ""
    return render_template("editor/position_form.html", quiz=row, party=party,
                           statement=statement, form=form, languages=languages,
                           conflict=conflict, panel=panel), \
        max(_status(form, conflict), panel.status)


def _fill_position(form: Any, position: models.Position, languages: list[str]) -> None:
    form.lock_version.data = str(position.lock_version)
    form.value.data = "" if position.value is None else str(position.value)
    form.quote.data, form.source.data = position.quote, position.source
    form.confidence.data = position.confidence or ""
    for lang in languages:
        getattr(form, f"justification_{lang}").data = (position.justification or {}).get(
            lang, "")


def _position_values(form: Any, languages: list[str]) -> dict[str, Any]:
    value = None if form.value.data in ("", None) else int(form.value.data)
    if value is None:
        return {"value": None, "quote": "", "source": "", "confidence": None,
                "justification": {}}
    return {"value": value, "quote": form.quote.data, "source": form.source.data,
            "confidence": form.confidence.data or None,
            "justification": texts_of(form, "justification", languages)}


def _position_complete(form: Any, row: models.Quiz) -> bool:
    """A stated position needs its evidence (the quote only where the quiz requires quotes)."""
    if form.value.data in ("", None):
        return True
    needed = []  # imported answers (no quotes required) come without a confidence
    if row.quotes_required:
        needed += [("confidence", form.confidence), ("quote", form.quote),
                   ("source", form.source)]
        needed += [(f"justification ({lang})", getattr(form, f"justification_{lang}"))
                   for lang in row.languages]
    missing = [field for _, field in needed if not field.data]
    for field in missing:
        field.errors.append("Needed for a stated position.")
    return not missing
