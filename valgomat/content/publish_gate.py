"""The publish gate around ``core.audit.gate``: cached audits, refusals and their words.

A quiz version's audit is a pure function of its content, so it is computed once
per process (``cached_audit``) and shared by the editor's audit pages, the publish
page and the publish itself. ``PublishRefused`` carries the verdicts of the quizzes
the gate refused; ``refusal_lines`` and ``publication_lines`` say them in plain
English for the editor and the command line.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from valgomat.core.audit.gate import (
    GATE_SEED,
    GATE_VOTERS,
    GateVerdict,
    gate_verdict,
)
from valgomat.core.audit.report import AuditWarning
from valgomat.core.audit.run import AuditReport, run_audit
from valgomat.core.model import Quiz, quiz_to_dict

CACHE_SIZE = 16
_cache: OrderedDict[str, AuditReport] = OrderedDict()
_lock = threading.Lock()


class PublishRefused(Exception):
    """The gate refused one or more quizzes; nothing was stored."""

    def __init__(self, verdicts: list[GateVerdict]) -> None:
        super().__init__(", ".join(v.slug for v in verdicts))
        self.verdicts = verdicts


@dataclass(frozen=True)
class Publication:
    slug: str
    number: int
    verdict: GateVerdict
    despite: str | None  # the admin's reason, when the gate had refused


def cached_audit(quiz: Quiz, voters: int, *, workers: int | None = 1) -> AuditReport:
    """``run_audit(quiz, voters=voters, seed=0)``, computed once per content and size."""
    key = hashlib.sha256(json.dumps([quiz_to_dict(replace(quiz, version=None)), voters,
                                     GATE_SEED], sort_keys=True, default=str).encode()
                         ).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    report = run_audit(quiz, voters=voters, seed=GATE_SEED, workers=workers)
    with _lock:
        _cache[key] = report
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return report


def gate_audit(quiz: Quiz, *, workers: int | None = 1
               ) -> tuple[AuditReport | None, GateVerdict]:
    """The gate's audit of ``quiz`` and its verdict. A quiz the audit cannot simulate
    (more parties than it handles) has no report and one blocking warning that says so:
    nobody has checked it, so it is not published without a reason."""
    try:
        report = cached_audit(quiz, GATE_VOTERS, workers=workers)
    except ValueError as exc:
        unchecked = AuditWarning("not_audited", None, None, {},
                                 f"The audit cannot check this quiz: {exc}")
        return None, GateVerdict(quiz.slug, quiz.quotes_required, (unchecked,), ())
    return report, gate_verdict(quiz, report)


def refusal_lines(refused: PublishRefused, *, override: str) -> list[str]:
    """Why nothing was published, in plain words; ``override`` says how to publish anyway."""
    lines = []
    for verdict in refused.verdicts:
        lines.append(f"{verdict.slug}: the publish gate refuses this quiz. In an audit of "
                     f"{GATE_VOTERS:,} simulated voters who answer at random (seed {GATE_SEED}, "
                     "the quiz's own method and missing policy), each party must come first "
                     "for between a third and three times its fair share, and every party "
                     "must be able to come first:")
        lines += [f"  - {w.text}" for w in verdict.blocking]
        if verdict.others:
            lines.append("  Other audit warnings (these do not block publishing):")
            lines += [f"  - {w.text}" for w in verdict.others]
    lines.append("Nothing was stored and no live version changed. Change the statements, "
                 f"positions, method or missing policy, or {override}.")
    return lines


def publication_lines(publication: Publication) -> list[str]:
    """The report of one publish: the version, and the gate's warnings when it had any."""
    verdict = publication.verdict
    head = f"{publication.slug}: published version {publication.number}"
    if publication.despite is not None:
        return [head, f"  Published despite the publish gate; reason: {publication.despite}",
                *[f"  - {w.text}" for w in verdict.blocking]]
    if not verdict.curated and (verdict.blocking or verdict.others):
        return [head, "  The parties gave these answers themselves (quotes_required: false), "
                "so the audit's warnings do not block publishing:",
                *[f"  - {w.text}" for w in verdict.blocking + verdict.others]]
    return [head]
