"""Editor routes for versions (on the editor blueprint): publish through the gate,
the list of versions, rollback, and the draft's preview.

Publishing and rollback switch the live version by compare-and-swap on the version
the admin saw (``valgomat.editor.editing``), so two admins never publish twice.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from valgomat.content.publish_gate import PublishRefused
from valgomat.core.model import quiz_to_dict
from valgomat.editor import editing
from valgomat.editor.auth import admin_required
from valgomat.editor.blueprint import bp
from valgomat.editor.checks import draft_problems, editor_quiz, override_reason, publish_audit
from valgomat.editor.forms import PublishForm, RollbackForm, add_error
from valgomat.storage.locking import DraftChanged, draft_digest

NO_SEEN_VERSION = ("This form did not say which version was live when it was shown, so nothing "
                   "was changed. Open the page again and repeat.")


@bp.route("/quizzes/<slug>/publish", methods=["GET", "POST"])
@admin_required
def publish(slug: str) -> Response | str | tuple[str, int]:
    """Publish through the publish gate: a refused draft needs a reason to go out."""
    row = editor_quiz(slug)
    form = PublishForm()
    problems = draft_problems(row)
    draft, report, verdict = publish_audit(row) if not problems else (None, None, None)
    already = None
    if form.validate_on_submit() and not problems:
        reason = override_reason(form, verdict, report)
        if not form.errors and form.seen_version() is None:  # no race check possible
            already = NO_SEEN_VERSION
        elif not form.errors:
            try:
                number = editing.publish(row, current_user.email, accept_audit=reason,
                                         seen_version=form.seen_version(),
                                         seen_draft=form.draft_digest.data or None)
            except PublishRefused:  # the draft changed since the page was shown
                add_error(form.reason, "The publish gate refuses the draft as it is now: "
                                       "read its warnings, then give a reason.")
            except (editing.AlreadyPublished, DraftChanged) as exc:
                already = exc.message()
            else:
                flash(f"Published version {number}." if number else
                      "Nothing to publish: the draft equals the live version.")
                return redirect(url_for("editor.versions", slug=slug))
    form.published_version.data = str(row.published_version or 0)
    form.draft_digest.data = draft_digest(quiz_to_dict(draft)) if draft is not None else ""
    return render_template("editor/publish.html", quiz=row, form=form, problems=problems,
                           draft=draft, report=report, verdict=verdict, already=already), \
        409 if already else 400 if request.method == "POST" else 200


@bp.get("/quizzes/<slug>/versions")
def versions(slug: str) -> str:
    return render_template("editor/versions.html", quiz=editor_quiz(slug), form=RollbackForm())


@bp.post("/quizzes/<slug>/versions/<int:number>/rollback")
@admin_required
def rollback(slug: str, number: int) -> Response:
    row = editor_quiz(slug)
    form = RollbackForm()
    if not form.validate_on_submit() or form.seen_version() is None:
        abort(400, description=NO_SEEN_VERSION)
    try:
        editing.rollback(row, number, current_user.email, seen_version=form.seen_version())
    except LookupError:
        abort(404, description=f"Quiz {slug} has no version {number}.")
    except editing.AlreadyPublished as exc:
        abort(409, description=exc.message())
    flash(f"Version {number} is live again.")
    return redirect(url_for("editor.versions", slug=slug))


@bp.get("/quizzes/<slug>/preview")
def preview(slug: str) -> Response:
    row = editor_quiz(slug)
    lang = row.languages[0] if row.languages[0] in current_app.config["LANGUAGES"] else "en"
    return redirect(url_for("quiz.intro", lang=lang, slug=slug, v=0))
