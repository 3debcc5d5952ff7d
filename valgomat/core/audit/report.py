"""The audit's result: frozen dataclasses and their documented JSON form.

``report_to_dict`` is the one JSON shape of an audit (``valgomat audit --json``);
its fields are documented in ``docs/audit.md`` and ``FORMAT`` is raised whenever
a field changes meaning or goes away. Party- and statement-level lists follow the
quiz's order; shares and matrices are indexed by that same party order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FORMAT = 1
DIGITS = 6  # floats in the JSON form are rounded to this many decimals

TOP_LEVEL_KEYS = ("format", "quiz", "settings", "fair_share", "populations", "sensitivity",
                  "parties", "statements", "distances", "warnings")


@dataclass(frozen=True)
class QuizSummary:
    slug: str
    version: int | None
    scale: int
    method: str
    missing: str
    importance_multiplier: float
    statements: int
    parties: int


@dataclass(frozen=True)
class AuditSettings:
    voters: int
    seed: int
    skip_rate: float
    importance_rate: float
    noise: float
    party_voters: int
    sample: int
    search_tries: int
    exact_limit: int


@dataclass(frozen=True)
class SettingShares:
    """First places under one method × missing policy, in one population."""

    method: str
    missing: str
    own: bool  # the quiz's own method and policy
    shares: tuple[float, ...]  # per party; sums to 1 over voters with a first place
    no_first_place: int  # voters excluded: no party could be scored
    recovery: tuple[float, ...] | None  # "parties" population only


@dataclass(frozen=True)
class Population:
    name: str  # "uniform" or "parties"
    voters: int
    settings: tuple[SettingShares, ...]  # METHODS × MISSING_POLICIES

    def own(self) -> SettingShares:
        return next(setting for setting in self.settings if setting.own)


@dataclass(frozen=True)
class Sensitivity:
    voters: int  # uniform voters with a first place under the quiz's own settings
    methods: Mapping[str, float]  # other method, own policy: share whose first place changes
    any_method: float
    missing: Mapping[str, float]  # other policy, own method
    any_missing: float
    any_setting: float  # any of the other 11 combinations


@dataclass(frozen=True)
class Reachability:
    status: str  # "reachable", "unreachable" (exact only) or "not_found"
    how: str  # "exact", "simulation" or "search"
    tries: int  # answer vectors examined
    example: Mapping[str, int | None] | None  # answers making the party the unique first
    example_important: tuple[str, ...]


@dataclass(frozen=True)
class SelfMatch:
    score: float | None
    rank: int | None
    tied_with: tuple[str, ...]  # parties with the same score
    first: str | None  # the party ranked first for this voter
    first_score: float | None


@dataclass(frozen=True)
class PartyAudit:
    id: str
    name: str
    stated: int
    coverage: float
    confidence: Mapping[str, int]  # high, medium, low, none
    share: float  # uniform population, own settings
    recovery: float | None  # parties population, own settings (None: no such voters)
    self_match: SelfMatch
    reachability: Reachability
    stands_alone: tuple[str, ...]  # statement ids


@dataclass(frozen=True)
class StatementAudit:
    id: str
    number: int  # 1-based position in the quiz, as voters see it
    topic: str
    weight: float
    stated: int
    low: int | None  # lowest stated position (scale value)
    high: int | None
    spread: float | None  # standard deviation of the stated positions, scaled to [-1, 1]
    agreement: str | None  # "identical", "same_side" or None
    discrimination: float  # share of sampled first places that change without it


@dataclass(frozen=True)
class ClosePair:
    first: str
    second: str
    same_display: float
    distance: float | None


@dataclass(frozen=True)
class Distances:
    parties: tuple[str, ...]
    matrix: tuple[tuple[float | None, ...], ...]  # 0 = same positions, 1 = opposite extremes
    shared: tuple[tuple[int, ...], ...]  # statements both parties take a position on
    same_display: tuple[tuple[float, ...], ...]  # share of voters shown the same whole percent
    close_pairs: tuple[ClosePair, ...]


Number = int | float | str | list[str] | list[int] | None


@dataclass(frozen=True)
class AuditWarning:
    code: str
    party: str | None
    statement: str | None
    numbers: Mapping[str, Number]
    text: str


@dataclass(frozen=True)
class AuditReport:
    quiz: QuizSummary
    settings: AuditSettings
    fair_share: float
    populations: tuple[Population, ...]
    sensitivity: Sensitivity
    parties: tuple[PartyAudit, ...]
    statements: tuple[StatementAudit, ...]
    distances: Distances
    warnings: tuple[AuditWarning, ...]

    def population(self, name: str) -> Population:
        return next(population for population in self.populations if population.name == name)


def report_to_dict(report: AuditReport) -> dict[str, Any]:
    """The JSON-ready form, keys in a fixed order (``docs/audit.md`` documents each)."""
    ids = [party.id for party in report.parties]
    return {
        "format": FORMAT,
        "quiz": vars_of(report.quiz),
        "settings": vars_of(report.settings),
        "fair_share": _num(report.fair_share),
        "populations": [_population(population, ids) for population in report.populations],
        "sensitivity": _sensitivity(report.sensitivity),
        "parties": [_party(party) for party in report.parties],
        "statements": [vars_of(statement) for statement in report.statements],
        "distances": _distances(report.distances),
        "warnings": [{"code": w.code, "party": w.party, "statement": w.statement,
                      "numbers": {k: _num(v) for k, v in w.numbers.items()}, "text": w.text}
                     for w in report.warnings],
    }


def vars_of(item: object) -> dict[str, Any]:
    """A flat dataclass as a dict in field order, floats rounded."""
    return {key: _num(value) for key, value in vars(item).items()}


def _num(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, tuple | list):
        return [_num(item) for item in value]
    return value


def _by_party(values: tuple[float, ...], ids: list[str]) -> dict[str, Any]:
    return {party: _num(value) for party, value in zip(ids, values, strict=True)}


def _population(population: Population, ids: list[str]) -> dict[str, Any]:
    return {"name": population.name, "voters": population.voters, "settings": [
        {"method": s.method, "missing": s.missing, "own": s.own,
         "no_first_place": s.no_first_place, "shares": _by_party(s.shares, ids),
         "recovery": None if s.recovery is None else _by_party(s.recovery, ids)}
        for s in population.settings]}


def _sensitivity(sensitivity: Sensitivity) -> dict[str, Any]:
    return {"voters": sensitivity.voters,
            "methods": {k: _num(v) for k, v in sensitivity.methods.items()},
            "any_method": _num(sensitivity.any_method),
            "missing": {k: _num(v) for k, v in sensitivity.missing.items()},
            "any_missing": _num(sensitivity.any_missing),
            "any_setting": _num(sensitivity.any_setting)}


def _party(party: PartyAudit) -> dict[str, Any]:
    reach = party.reachability
    return {"id": party.id, "name": party.name, "stated": party.stated,
            "coverage": _num(party.coverage), "confidence": dict(party.confidence),
            "share": _num(party.share), "recovery": _num(party.recovery),
            "self_match": vars_of(party.self_match),
            "reachability": {"status": reach.status, "how": reach.how, "tries": reach.tries,
                             "example": None if reach.example is None else dict(reach.example),
                             "example_important": list(reach.example_important)},
            "stands_alone": list(party.stands_alone)}


def _distances(distances: Distances) -> dict[str, Any]:
    return {"parties": list(distances.parties),
            "matrix": [_num(row) for row in distances.matrix],
            "shared": [list(row) for row in distances.shared],
            "same_display": [_num(row) for row in distances.same_display],
            "close_pairs": [vars_of(pair) for pair in distances.close_pairs]}
