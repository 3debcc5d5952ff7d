"""The audit's warnings: plain English for the editor, plus a structured form.

Each warning has a stable ``code``, the party and/or statement it is about, the
numbers behind it and an English sentence; the web layer can translate from the
code and numbers. The thresholds are documented in ``docs/audit.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from valgomat.core.audit.report import (
    AuditWarning,
    ClosePair,
    Number,
    PartyAudit,
    Sensitivity,
    StatementAudit,
)
from valgomat.core.model import Quiz
from valgomat.core.scale import WORDS

LOW_SHARE = 1 / 3  # of the fair share
HIGH_SHARE = 3.0
LOW_RECOVERY = 0.5
LOW_COVERAGE = 0.5
SENSITIVE = 0.25
LISTED = 10  # statements named in one sentence at most

MISSING_MEANS = {"neutral": "count as neutral",
                 "exclude": "are left out of its score",
                 "farthest": "count as the answer farthest from the voter's"}
GAPS = {"neutral": "which count as neutral",
        "exclude": "whose scores leave it out",
        "farthest": "which count as the answer farthest from the voter's"}


def percent(share: float) -> str:
    value = share * 100
    return f"{value:.1f} %" if 0 < value < 1 else f"{value:.0f} %"


def listing(items: Sequence[str]) -> str:
    """``4``, ``4 and 9``, ``4, 9 and 17``; long lists end in "and N more"."""
    shown = list(items[:LISTED])
    if len(items) > LISTED:
        shown.append(f"{len(items) - LISTED} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def warnings(quiz: Quiz, fair: float, parties: Sequence[PartyAudit],
             statements: Sequence[StatementAudit], close: Sequence[ClosePair],
             sensitivity: Sensitivity) -> tuple[AuditWarning, ...]:
    numbers = {s.id: s.number for s in statements}
    found: list[AuditWarning] = []
    for party in parties:
        found += _share(party, fair, numbers)
    for party in parties:
        found += _reach(party) + _self(quiz, party) + _recovery(party)
    found += [_close(quiz, pair) for pair in close]
    found += _sensitivity(sensitivity)
    for party in parties:
        found += _coverage(quiz, party)
    found += _agreeing(quiz, statements) + _few(quiz, statements)
    return tuple(found)


def _warning(code: str, text: str, party: str | None = None, statement: str | None = None,
             **numbers: Number) -> AuditWarning:
    return AuditWarning(code, party, statement, numbers, text)


def _share(party: PartyAudit, fair: float, numbers: dict[str, int]) -> list[AuditWarning]:
    alone = [numbers[sid] for sid in party.stands_alone]
    if party.share < fair * LOW_SHARE:
        where = (f"statements {listing([str(n) for n in alone])} are where it stands alone"
                 if len(alone) > 1 else f"statement {alone[0]} is where it stands alone"
                 if alone else "there is no statement where it stands alone")
        return [_warning("share_low", f"{party.name} is first for only {percent(party.share)}"
                         f" of simulated voters (a fair share is {percent(fair)}); {where}.",
                         party.id, share=party.share, fair_share=fair, statements=alone)]
    if party.share > fair * HIGH_SHARE:
        return [_warning("share_high", f"{party.name} is first for {percent(party.share)} of "
                         f"simulated voters, more than three times the fair share of "
                         f"{percent(fair)}.", party.id, share=party.share, fair_share=fair)]
    return []


def _reach(party: PartyAudit) -> list[AuditWarning]:
    reach = party.reachability
    if reach.status == "unreachable":
        return [_warning("unreachable", f"{party.name} can never be the only first place: "
                         f"none of the {reach.tries:,} possible ways to answer puts it ahead "
                         "of every other party.", party.id, tries=reach.tries)]
    if reach.status == "not_found":
        return [_warning("not_found", f"No way of answering that puts {party.name} alone in "
                         f"first place was found in {reach.tries:,} tries; it may be "
                         "unreachable.", party.id, tries=reach.tries)]
    return []


def _self(quiz: Quiz, party: PartyAudit) -> list[AuditWarning]:
    own = party.self_match
    if own.score is None or own.rank is None:
        return []
    start = f"A voter who answers exactly as {party.name} gets it"
    if own.tied_with and own.first_score is not None and own.first_score - own.score <= 1e-9:
        names = listing([quiz.party(other).name for other in own.tied_with])
        shown = "first" if own.rank == 1 else f"in place {own.rank}"
        return [_warning("self_match_tied", f"{start} level with {names} ({own.score:.0f} %); "
                         f"ties are listed by name, so it is shown {shown}.", party.id,
                         score=own.score, rank=own.rank, tied_with=list(own.tied_with))]
    if own.rank > 1 and own.first is not None and own.first_score is not None:
        leader = quiz.party(own.first).name
        return [_warning("self_match_not_first", f"{start} in place {own.rank} "
                         f"({own.score:.0f} %), behind {leader} ({own.first_score:.0f} %).",
                         party.id, score=own.score, rank=own.rank, first=own.first)]
    return []


def _recovery(party: PartyAudit) -> list[AuditWarning]:
    if party.recovery is None or party.recovery >= LOW_RECOVERY:
        return []
    return [_warning("low_recovery", f"Only {percent(party.recovery)} of simulated voters "
                     f"who answer close to {party.name}'s own positions get {party.name} "
                     "first.", party.id, recovery=party.recovery)]


def _close(quiz: Quiz, pair: ClosePair) -> AuditWarning:
    first, second = quiz.party(pair.first).name, quiz.party(pair.second).name
    return _warning("close_parties", f"{first} and {second} show the same whole-percent "
                    f"score to {percent(pair.same_display)} of simulated voters, so voters "
                    "can hardly tell them apart.", pair.first, None, other=pair.second,
                    same_display=pair.same_display, distance=pair.distance)


def _sensitivity(sensitivity: Sensitivity) -> list[AuditWarning]:
    found = []
    if sensitivity.any_method > SENSITIVE:
        found.append(_warning("method_sensitive", f"For {percent(sensitivity.any_method)} of "
                              "simulated voters the first place changes with the matching "
                              "method: the method choice decides much of the advice.",
                              share=sensitivity.any_method))
    if sensitivity.any_missing > SENSITIVE:
        found.append(_warning("missing_sensitive", f"For {percent(sensitivity.any_missing)} "
                              "of simulated voters the first place changes with the policy "
                              "for missing positions: fill gaps in the parties' positions.",
                              share=sensitivity.any_missing))
    return found


def _coverage(quiz: Quiz, party: PartyAudit) -> list[AuditWarning]:
    if party.coverage >= LOW_COVERAGE:
        return []
    total = len(quiz.statements)
    return [_warning("low_coverage", f"{party.name} takes a position on only {party.stated} "
                     f"of {total} statements ({percent(party.coverage)}); the others "
                     f"{MISSING_MEANS[quiz.missing]}.", party.id, stated=party.stated,
                     statements=total, coverage=party.coverage)]


def _agreeing(quiz: Quiz, statements: Sequence[StatementAudit]) -> list[AuditWarning]:
    """One warning for the statements where every stated position is the same."""
    same = [s for s in statements if s.agreement == "identical" and s.low is not None]
    if not same:
        return []
    numbers = [s.number for s in same]
    if len(same) == 1:
        one = same[0]
        who = "both say" if one.stated == 2 else f"all {one.stated} say"
        head = (f"Statement {one.number} ({one.id}) does not tell apart the parties that take "
                f"a position on it: {who} “{WORDS[quiz.answer_scale.word(one.low or 0)]}”.")
        rest = len(quiz.parties) - one.stated
        tail = (f" It only sets them apart from the {rest} {_parties(rest)} without a "
                f"position, {GAPS[quiz.missing]}." if rest else "")
        return [_warning("agreeing_statements", head + tail, None, one.id,
                         statements=numbers, value=one.low)]
    tail = ("" if all(s.stated == len(quiz.parties) for s in same) else
            " They only set those parties apart from the parties without a position, "
            f"{GAPS[quiz.missing].replace('leave it out', 'leave those statements out')}.")
    return [_warning("agreeing_statements", f"Statements {listing([str(n) for n in numbers])} "
                     "do not tell apart the parties that take a position on them: on each, "
                     f"those parties all give the same answer.{tail}", statements=numbers)]


def _parties(count: int) -> str:
    return "party" if count == 1 else "parties"


def _few(quiz: Quiz, statements: Sequence[StatementAudit]) -> list[AuditWarning]:
    """One warning for the statements nobody takes a position on, one for those only
    one party does."""
    if len(quiz.parties) < 2:
        return []
    found = []
    for stated, text in ((0, "No party takes a position on {which}; {they} cannot help."),
                         (1, "Only one party takes a position on {which}; {each} can only "
                             "set that one party apart from the rest.")):
        few = [s for s in statements if s.stated == stated]
        if few:
            which = ("statement " if len(few) == 1 else "statements ") + listing(
                [str(s.number) for s in few])
            they, each = ("it", "it") if len(few) == 1 else ("they", "each")
            found.append(_warning("few_positions", text.format(which=which, they=they,
                                                               each=each),
                                  stated=stated, statements=[s.number for s in few]))
    return found
