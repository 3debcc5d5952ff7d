"""The result's two further views, registered on the voter blueprint (``views``) and
the embed: Compare (all chosen parties, statement by statement) and Party (one
party's whole table). Both carry the voter's answers in the URL like the result, so
they are private pages (``flow.public_page``) and work without JavaScript.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from valgomat.voter.compare_page import BadFilter, compare_page
from valgomat.voter.flow import load_flow
from valgomat.voter.party_page import change_urls, has_quotes, party_table
from valgomat.web.i18n import current_language


def compare(slug: str) -> str:
    flow = load_flow(slug)
    try:
        page = compare_page(flow.quiz, flow.answers, flow.parties, request.args,
                            current_language())
    except BadFilter:
        abort(400, description=_("This comparison has no such topic or page."))
    urls = [Markup(url) for url in change_urls(flow.quiz, flow.args(r=1))]  # escaped already
    return render_template("quiz/compare.html", flow=flow, page=page, change_urls=urls)


def party(slug: str, party: str) -> str:
    flow = load_flow(slug)
    found = next((p for p in flow.quiz.parties if p.id == party), None)
    if found is None:
        abort(404, description=_("This quiz has no such party."))
    return render_template("quiz/party.html", flow=flow, party=found,
                           quoted=has_quotes(flow.quiz),
                           table=party_table(flow.quiz, found, flow.answers, flow.args(r=1)))
