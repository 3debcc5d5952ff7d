"""The editable draft of a quiz: rows ↔ ``core.model.Quiz``.

``write_draft`` upserts by natural key (the content slugs), so rows keep their
identity across loads and an unchanged quiz causes no write at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from valgomat.core.model import (
    Evidence,
    Party,
    Quiz,
    Statement,
    Topic,
    program_from_dict,
    program_to_dict,
)
from valgomat.extensions import db
from valgomat.storage import models


def draft_to_quiz(row: models.Quiz) -> Quiz:
    """The draft as voters would get it if published now (deactivated statements left out)."""
    active = [s for s in row.statements if s.active]
    return Quiz(
        slug=row.slug, title=dict(row.title), description=dict(row.description or {}),
        languages=tuple(row.languages), scale=row.scale, method=row.method,
        missing=row.missing, importance_multiplier=row.importance_multiplier,
        quotes_required=row.quotes_required,
        topics=tuple(Topic(t.slug, dict(t.name)) for t in row.topics),
        statements=tuple(
            Statement(s.slug, s.topic.slug, dict(s.text), dict(s.explanation or {}),
                      s.weight, s.order)
            for s in active),
        parties=tuple(_party(p, [s.slug for s in active]) for p in row.parties),
    )


def _party(row: models.Party, statement_ids: list[str]) -> Party:
    stated = {p.statement.slug: p for p in row.positions}
    return Party(
        id=row.slug, name=row.name, short_name=row.short_name, colour=row.colour,
        program=program_from_dict(row.program or {}),
        positions={sid: (stated[sid].value if sid in stated else None) for sid in statement_ids},
        evidence={
            sid: Evidence(p.quote, p.source, p.confidence, dict(p.justification or {}))
            for sid, p in stated.items() if p.value is not None and sid in statement_ids
        },
    )


def write_draft(quiz: Quiz) -> bool:
    """Make the draft rows equal ``quiz``; return whether anything changed."""
    row = db.session.scalar(select(models.Quiz).where(models.Quiz.slug == quiz.slug))
    if row is not None and draft_to_quiz(row) == quiz:
        return False
    if row is None:
        row = models.Quiz(slug=quiz.slug)
        db.session.add(row)
    if _set(row, title=dict(quiz.title), description=dict(quiz.description),
            languages=list(quiz.languages), scale=quiz.scale, method=quiz.method,
            missing=quiz.missing, importance_multiplier=quiz.importance_multiplier,
            quotes_required=quiz.quotes_required) and row.lock_version is not None:
        row.lock_version += 1  # a settings form opened before the load is now out of date
    topics = _sync(row.topics, quiz.topics, models.Topic, lambda t, i: {
        "name": dict(t.name), "position": i})
    statements = _sync(row.statements, quiz.statements, models.Statement, lambda s, i: {
        "topic": topics[s.topic], "text": dict(s.text), "explanation": dict(s.explanation),
        "weight": s.weight, "order": s.order, "active": True})
    parties = _sync(row.parties, quiz.parties, models.Party, lambda p, i: {
        "name": p.name, "short_name": p.short_name, "colour": p.colour,
        "program": program_to_dict(p.program)})
    for party in quiz.parties:
        _sync_positions(parties[party.id], party, statements)
    db.session.flush()
    db.session.expire(row)
    return True


def _set(row: Any, **values: Any) -> bool:
    """Set the values that differ; whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name, None) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _sync(rows: list[Any], items: Any, model: type, fields: Any) -> dict[str, Any]:
    """Update ``rows`` in place to match ``items`` by slug; return slug → row."""
    by_slug = {r.slug: r for r in rows}
    wanted = {item.id for item in items}
    for slug, stale in list(by_slug.items()):
        if slug not in wanted:
            rows.remove(stale)
            del by_slug[slug]
    for index, item in enumerate(items):
        if item.id not in by_slug:
            by_slug[item.id] = model(slug=item.id)
            rows.append(by_slug[item.id])
        _set(by_slug[item.id], **fields(item, index))
    return by_slug


def _sync_positions(row: models.Party, party: Party, statements: dict[str, Any]) -> None:
    by_statement = {p.statement.slug: p for p in row.positions if p.statement is not None}
    for sid, value in party.positions.items():
        evidence = party.evidence.get(sid)
        if value is None and evidence is None:
            if sid in by_statement:
                row.positions.remove(by_statement.pop(sid))
            continue
        position = by_statement.get(sid)
        if position is None:
            position = models.Position(statement=statements[sid])
            row.positions.append(position)
        _set(position, value=value, quote=evidence.quote if evidence else "",
             source=evidence.source if evidence else "",
             confidence=evidence.confidence if evidence else None,
             justification=dict(evidence.justification) if evidence else {})
    for sid in set(by_statement) - set(party.positions):
        row.positions.remove(by_statement[sid])

