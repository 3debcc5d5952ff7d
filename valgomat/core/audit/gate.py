"""The publish gate: which audit warnings stop a quiz from being published.

Every publish (the editor's, ``content load --publish``, an import with
``--publish``) audits the quiz under its own method and missing policy with
``GATE_VOTERS`` uniform simulated voters and seed ``GATE_SEED``, and asks
``gate_verdict``. A curated quiz (``quotes_required``: positions taken from the
parties' programs by us) is refused when a party's share of first places is
outside [1/3, 3] × the fair share (``share_low``, ``share_high``) or when the
party can never be alone in first place (``unreachable``). Every other warning
is shown but does not block. Datasets of the parties' own answers
(``quotes_required: false``) are not our curation: they publish with the
warnings shown. An admin may publish a refused quiz anyway only with a reason
(``check_reason``). ``docs/audit.md`` documents the gate and its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from valgomat.core.audit.report import AuditWarning
from valgomat.core.audit.run import AuditReport, run_audit
from valgomat.core.model import Quiz

# 200,000 voters: the number the editor's audit page uses, so the page shows the
# figures the gate decides on; about 3.6 s for the demo quiz in one process.
GATE_VOTERS = 200_000
GATE_SEED = 0
BLOCKING = ("share_low", "share_high", "unreachable")
REASON_MIN, REASON_MAX = 10, 500  # characters of an override reason


@dataclass(frozen=True)
class GateVerdict:
    slug: str
    curated: bool  # the quiz's quotes_required: our curation, so the gate applies
    blocking: tuple[AuditWarning, ...]  # the warnings with a code in BLOCKING
    others: tuple[AuditWarning, ...]  # every other warning: shown, never blocking

    @property
    def refused(self) -> bool:
        return self.curated and bool(self.blocking)


def run_gate_audit(quiz: Quiz, *, workers: int | None = None) -> AuditReport:
    """The gate's audit: the quiz's own settings, ``GATE_VOTERS`` voters, ``GATE_SEED``."""
    return run_audit(quiz, voters=GATE_VOTERS, seed=GATE_SEED, workers=workers)


def gate_verdict(quiz: Quiz, report: AuditReport) -> GateVerdict:
    """Sort the report's warnings into blocking and others; the quiz says if it is curated."""
    blocking = tuple(w for w in report.warnings if w.code in BLOCKING)
    others = tuple(w for w in report.warnings if w.code not in BLOCKING)
    return GateVerdict(quiz.slug, quiz.quotes_required, blocking, others)


def check_reason(raw: str | None) -> str:
    """The override reason, trimmed; ``ValueError`` with a plain message when unusable."""
    reason = " ".join((raw or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ValueError(f"Give a reason of {REASON_MIN} to {REASON_MAX} characters for "
                         f"publishing despite the audit (got {len(reason)}).")
    return reason


def stored_warnings(quiz: Quiz, warnings: tuple[AuditWarning, ...]) -> list[dict[str, Any]]:
    """The JSON kept with a version: enough to show each warning again, in any language."""
    names = {party.id: party.name for party in quiz.parties}
    return [{"code": w.code, "party": w.party, "party_name": names.get(w.party or ""),
             "numbers": dict(w.numbers), "text": w.text} for w in warnings]
