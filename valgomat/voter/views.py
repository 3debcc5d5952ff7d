"""The voter blueprint. The interface language is the first path segment.

Every step is a plain link or GET form, so the whole quiz works without
JavaScript; ``static/js/quiz.js`` only makes the steps smoother.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from valgomat.core.answercode import Answers
from valgomat.core.audit.gate import GATE_VOTERS
from valgomat.core.matching import InvalidAnswers, MatchResult, PartyResult, match
from valgomat.core.model import Party, Statement
from valgomat.storage import published
from valgomat.voter import presenters
from valgomat.voter.flow import Flow, load_flow, load_quiz, public_page, request_theme
from valgomat.voter.forms import AnswerForm, PartiesForm
from valgomat.voter.method_example import worked_example
from valgomat.voter.presenters import voter_url
from valgomat.voter.program_page import marked_program
from valgomat.voter.result_page import METHOD_SENTENCES, result_page
from valgomat.voter.result_views import compare, party
from valgomat.voter.review import review_rows
from valgomat.voter.version_gate import version_gate, warning_sentence
from valgomat.web import headers, i18n
from valgomat.web.collation import collated

METHOD_DEFINITION = Path(__file__).with_name("method.md")  # a link to docs/method.md

bp = Blueprint("quiz", __name__, template_folder="templates")
presenters.init_blueprint(bp)


@bp.app_context_processor
def page_layout() -> dict[str, str]:
    """Voter templates extend the site's layout, or the embed's minimal one."""
    return {"layout": "embed/base.html" if request.blueprint == "embed" else "base.html"}


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict[str, str] | None) -> None:
    if values is not None and "lang" in values:
        lang = values.pop("lang")
        if lang not in current_app.config["LANGUAGES"]:
            abort(404)  # before g.lang is set: the 404 page must not say lang="editor"
        g.lang = lang


@bp.url_defaults
def add_language(endpoint: str, values: dict[str, str]) -> None:
    if "lang" not in values and getattr(g, "lang", None):
        values["lang"] = g.lang


@bp.before_request
def allow_caching() -> None:
    """A voter page without answers in its URL may be cached (``web.headers``)."""
    if public_page():
        headers.allow_public_caching()


@bp.record_once
def set_start_page(state: BlueprintSetupState) -> None:
    i18n.set_start_page(state.app, "quiz.index")


@bp.get("/")
def root() -> Response:
    languages = current_app.config["LANGUAGES"]
    lang = request.accept_languages.best_match(languages) or current_app.config[
        "DEFAULT_LANGUAGE"]
    response = redirect(url_for("quiz.index", lang=lang))
    response.vary.add("Accept-Language")
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    return redirect(url_for("static", filename="img/icon.svg"), code=301)


@bp.get("/method.md")
def method_definition() -> Response:
    """docs/method.md, the normative definition of the matching, as published."""
    text = METHOD_DEFINITION.read_text(encoding="utf-8")
    return Response(text, content_type="text/markdown; charset=utf-8")


@bp.get("/<lang>/")
def index() -> str:
    return render_template("quiz/index.html", quizzes=published.published_quizzes())


@bp.get("/<lang>/method")
def method() -> str:
    return render_template("quiz/method.html", example=worked_example())


@bp.get("/<lang>/<slug>/method")
def quiz_method(slug: str) -> str:
    """One version's method: its method and missing policy, and what the publish gate said."""
    quiz = load_quiz(slug)
    return render_template("quiz/quiz_method.html", quiz=quiz, gate=version_gate(quiz),
                           example=worked_example(quiz.scale),
                           gate_voters=GATE_VOTERS, warning_sentence=warning_sentence,
                           flow=Flow(quiz, Answers(), theme=request_theme()))


@bp.get("/<lang>/<slug>/programs/<party>")
def program(slug: str, party: str) -> str:
    """A party's program with the passages its positions quote marked (no answers: the
    same for everyone, so cacheable; the voter returns to the result with "Back")."""
    quiz = load_quiz(slug)
    found = next((p for p in quiz.parties if p.id == party), None)
    marked = marked_program(quiz, found) if found is not None else None
    if found is None or marked is None:
        abort(404, description=_("This quiz has no program text for that party."))
    return render_template("quiz/program.html", quiz=quiz, party=found, marked=marked,
                           flow=Flow(quiz, Answers(), theme=request_theme()))


@bp.get("/<lang>/<slug>/")
def intro(slug: str) -> str:
    quiz = load_quiz(slug)
    return render_template("quiz/intro.html", quiz=quiz,
                           flow=Flow(quiz, Answers(), theme=request_theme()))


@bp.get("/<lang>/<slug>/<int:number>")
def step(slug: str, number: int) -> str:
    flow = load_flow(slug)
    statement = _statement(flow, number)
    form = AnswerForm(flow.quiz.scale_values, formdata=None,
                      value=flow.answers.values.get(statement.id),
                      important=statement.id in flow.answers.important)
    return _step_page(flow, number, statement, form)


@bp.get("/<lang>/<slug>/<int:number>/answer")
def answer(slug: str, number: int) -> Response | tuple[str, int]:
    flow = load_flow(slug)
    statement = _statement(flow, number)
    form = AnswerForm(flow.quiz.scale_values, formdata=request.args)
    go = request.args.get("go")  # each option is a button sending its value
    if go == "stay":  # Enter in "Important to me": the same step, nothing answered
        return _step_page(flow, number, statement, form), 200
    skipped = go == "skip"
    if not skipped and not form.validate():
        return _step_page(flow, number, statement, form), 400
    value = None if skipped else form.value.data
    flow = flow.answered(flow.answers.with_answer(statement.id, value, form.important.data))
    return redirect(_after(flow, slug, number), code=303)


def _step_page(flow: Flow, number: int, statement: Statement, form: AnswerForm) -> str:
    return render_template("quiz/step.html", flow=flow, number=number, statement=statement,
                           form=form)


def _after(flow: Flow, slug: str, number: int) -> str:
    if flow.back_to_result:
        return voter_url("result", slug=slug, **flow.args(r=None))
    if flow.back_to_review:  # to the changed row
        return voter_url("review", slug=slug, **flow.args(r=None)) + f"#review-{number}"
    if number < len(flow.quiz.statements):
        return voter_url("step", slug=slug, number=number + 1, **flow.args())
    return voter_url("review", slug=slug, **flow.args())


def _statement(flow: Flow, number: int) -> Statement:
    if not 1 <= number <= len(flow.quiz.statements):
        abort(404, description=_("This quiz has no statement number %(number)s.",
                                 number=number))
    return flow.quiz.statements[number - 1]


@bp.get("/<lang>/<slug>/statements.json")
def statements(slug: str) -> Response:
    """The statements' texts in this language for ``quiz.js``: answer-free and the same
    for every voter of a version, so cacheable; the step pages carry none of it."""
    quiz = load_quiz(slug)
    if "v" in request.args:  # a draft preview's (v=0) is never public at all
        headers.versioned_document()
    return Response(presenters.step_statements(quiz), content_type="application/json")


@bp.get("/<lang>/<slug>/review")
def review(slug: str) -> str:
    """Every answer after the last statement, to check, weight and change before the
    party selection."""
    flow = load_flow(slug)
    return render_template("quiz/review.html", flow=flow, rows=review_rows(flow))


@bp.get("/<lang>/<slug>/parties")
def parties(slug: str) -> str:
    flow = load_flow(slug)
    chosen = _preselected(flow)
    return render_template("quiz/parties.html", flow=flow, chosen=chosen, form=None,
                           listed=_alphabetical(flow))


def _alphabetical(flow: Flow) -> list[Party]:
    """The parties to choose from by short name, in the interface language's alphabet."""
    return collated(flow.quiz.parties, lambda party: party.short_name, i18n.current_language())


def _preselected(flow: Flow) -> set[str]:
    everyone = {p.id for p in flow.quiz.parties}
    selection = request.args.get("select")
    if selection in {"all", "none"} or flow.parties is None:
        return set() if selection == "none" else everyone
    return set(flow.parties)


@bp.get("/<lang>/<slug>/result")
def result(slug: str) -> str | tuple[str, int]:
    flow = load_flow(slug)
    if flow.parties is not None:
        form = PartiesForm([p.id for p in flow.quiz.parties], formdata=request.args)
        if not form.validate():
            return render_template("quiz/parties.html", flow=flow, chosen=set(),
                                   form=form, listed=_alphabetical(flow)), 400
        if len(flow.parties) == len(flow.quiz.parties):
            flow = replace(flow, parties=None)  # all chosen: the shorter share link
    outcome = _match(flow)
    page = result_page(flow.quiz, flow.answers, outcome)
    return render_template("quiz/result.html", flow=flow, outcome=outcome, page=page,
                           method_sentences=METHOD_SENTENCES)


bp.add_url_rule("/<lang>/<slug>/compare", "compare", compare)
bp.add_url_rule("/<lang>/<slug>/party/<party>", "party", party)


def _match(flow: Flow) -> MatchResult:
    answers = {sid: value for sid, value in flow.answers.values.items()}
    try:
        return match(flow.quiz, answers, flow.answers.important, parties=flow.parties)
    except InvalidAnswers as exc:
        if exc.code != "nothing_answered":
            raise
        chosen = flow.parties or [p.id for p in flow.quiz.parties]
        empty = {t.id: None for t in flow.quiz.topics}
        ranked = [p.id for p in collated([flow.quiz.party(pid) for pid in chosen],
                                         lambda party: party.short_name, i18n.current_language())]
        return MatchResult(flow.quiz.method, flow.quiz.missing,
                           tuple(PartyResult(pid, None, dict(empty)) for pid in ranked))
