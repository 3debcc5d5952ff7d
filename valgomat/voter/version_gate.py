"""What the publish gate said about a published version, for the voter's method page.

Each version keeps the gate's blocking warnings from the moment it was published
(an empty list: it passed; ``None``: published before the gate existed) and, when
an admin published it although the gate refused, the reason. Both never change, so
they are read once per worker and version and kept with the cached version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from valgomat.core.model import Quiz
from valgomat.extensions import db
from valgomat.storage import models

DERIVED_KEY = "version_gate"


@dataclass(frozen=True)
class VersionGate:
    checked: bool  # published through the gate (False: before the gate existed)
    despite: str | None  # the admin's reason for publishing although the gate refused
    warnings: tuple[dict[str, Any], ...]  # the gate's blocking warnings then (stored form)


def version_gate(quiz: Quiz) -> VersionGate | None:
    """The gate's record of a published version; ``None`` for a draft preview."""
    if not quiz.version:
        return None
    if DERIVED_KEY not in quiz.derived:
        row = db.session.execute(
            select(models.QuizVersion.published_despite, models.QuizVersion.gate_warnings)
            .join(models.Quiz).where(models.Quiz.slug == quiz.slug,
                                     models.QuizVersion.number == quiz.version)).first()
        warnings = None if row is None else row.gate_warnings
        quiz.derived[DERIVED_KEY] = VersionGate(
            warnings is not None, None if row is None else row.published_despite,
            tuple(warnings or ()))
    gate: VersionGate = quiz.derived[DERIVED_KEY]
    return gate


def warning_sentence(warning: dict[str, Any]) -> str:
    """One stored gate warning in the voter's language (English text for unknown codes)."""
    numbers, party = warning.get("numbers") or {}, warning.get("party_name") or ""
    share, fair = _percent(numbers.get("share")), _percent(numbers.get("fair_share"))
    code = warning.get("code")
    if code == "share_low":
        text = _("%(party)s comes first for only %(share)s of simulated voters who answer at "
                 "random; a fair share is %(fair)s.", party=party, share=share, fair=fair)
    elif code == "share_high":
        text = _("%(party)s comes first for %(share)s of simulated voters who answer at "
                 "random, more than three times the fair share of %(fair)s.", party=party,
                 share=share, fair=fair)
    elif code == "unreachable":
        text = _("%(party)s can never come first on its own, whatever the answers.",
                 party=party)
    else:
        text = warning.get("text", "")
    return str(text)


def _percent(value: Any) -> str:
    """Whole percent as elsewhere on voter pages ("6 %"), one decimal under 1 %."""
    share = float(value or 0) * 100
    return f"{format_decimal(share, '#,##0.#' if 0 < share < 1 else '#,##0')} %"
