"""Content files → quizzes: validation and building, on already-parsed data.

The format is documented in ``docs/content-format.md``. One quiz is one
``questions/<slug>.yaml`` plus one ``positions/<slug>/<party>.yaml`` per party.
``valgomat.content.files`` reads and parses those files into the located-value
tree of ``rules`` (every value knows its line) and hands them here, so
this module stays pure: no YAML, no file system.

``build_content`` reports every problem it finds, never stopping at the first,
and builds a ``Quiz`` for each quiz whose files are all valid: statements sorted
by ``(order, list position)``, parties sorted by id, every statement present in
each party's ``positions`` (``None`` where the party states nothing) and
evidence for exactly the stated positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from valgomat.core.content.limits import (
    LONG_TEXT_LENGTH,
    MAX_STATEMENTS,
    MAX_TOPICS,
    STATEMENT_LENGTH,
)
from valgomat.core.content.parties import QuizDraft, check_parties
from valgomat.core.content.programs import ProgramFile
from valgomat.core.content.rules import (
    LANGUAGE_RE,
    Checker,
    Node,
    Problem,
    Scalar,
    label,
    sub,
)
from valgomat.core.model import (
    DEFAULT_IMPORTANCE_MULTIPLIER,
    METHODS,
    MISSING_POLICIES,
    SCALES,
    Party,
    Quiz,
    Statement,
    Topic,
)

__all__ = ["Problem", "QuizSources", "SourceFile", "build_content"]

QUIZ_REQUIRED = ("slug", "title", "languages", "scale", "method", "missing", "topics",
                 "statements")
QUIZ_OPTIONAL = ("description", "importance_multiplier", "quotes_required")
TOPIC_KEYS = ("id", "name")
STATEMENT_REQUIRED = ("id", "topic", "text")
STATEMENT_OPTIONAL = ("explanation", "weight", "order")


@dataclass(frozen=True)
class SourceFile:
    """One parsed file: ``node`` is ``None`` when it could not be read or parsed,
    in which case ``problems`` says why."""

    path: str
    stem: str
    node: Node | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class QuizSources:
    """The files of one quiz; ``questions`` is ``None`` when only a positions folder exists."""

    slug: str
    questions: SourceFile | None
    folder: str
    parties: tuple[SourceFile, ...] = field(default_factory=tuple)
    # The program files the party files name, by file name; None: quotes are not checked.
    programs: Mapping[str, ProgramFile] | None = None


def build_content(sources: Iterable[QuizSources]) -> tuple[list[Quiz], list[Problem]]:
    """Every valid quiz, and every problem in the order of the files given."""
    quizzes: list[Quiz] = []
    problems: list[Problem] = []
    for source in sources:
        quiz, found = build_quiz(source)
        problems.extend(found)
        if quiz is not None:
            quizzes.append(quiz)
    return quizzes, problems


def build_quiz(source: QuizSources) -> tuple[Quiz | None, list[Problem]]:
    """One quiz with its parties, or ``None`` and the problems of its files."""
    if source.questions is None:
        draft = QuizDraft(source.slug)
        problems = [Problem(source.folder, 1, f"positions folder '{source.slug}' has no "
                                              f"matching questions/{source.slug}.yaml")]
    else:
        draft, problems = check_quiz(source.questions)
    draft.programs = source.programs
    parties, found = check_parties(source.parties, draft)
    problems.extend(found)
    if problems or draft.quiz is None:
        return None, problems
    quiz = draft.quiz
    return replace(quiz, parties=tuple(_complete(p, quiz) for p in parties)), []


def _complete(party: Party, quiz: Quiz) -> Party:
    """Every statement in ``positions`` (``None`` where absent), both in quiz order."""
    return replace(
        party,
        positions={s.id: party.positions.get(s.id) for s in quiz.statements},
        evidence={s.id: party.evidence[s.id] for s in quiz.statements
                  if s.id in party.evidence},
    )


def check_quiz(source: SourceFile) -> tuple[QuizDraft, list[Problem]]:
    """Check a questions file; the draft carries what party files need, even if invalid."""
    check = Checker(source.path)
    check.problems.extend(source.problems)
    draft = QuizDraft(source.stem)
    fields = check.fields(source.node, "", QUIZ_REQUIRED, QUIZ_OPTIONAL)
    if fields is not None:
        _check_quiz_fields(check, fields, draft)
    return draft, check.sorted_problems()


def _check_quiz_fields(check: Checker, fields: dict[str, Node], draft: QuizDraft) -> None:
    languages = draft.languages = _languages(check, fields.get("languages"))
    quotes = fields.get("quotes_required")
    quotes_required = True if quotes is None else check.choice(quotes, "quotes_required",
                                                               (True, False))
    draft.quotes_required = quotes_required is not False
    scale = check.choice(fields.get("scale"), "scale", SCALES)
    draft.scale = scale if isinstance(scale, int) else None
    topics, topic_ids = _topics(check, fields.get("topics"), languages)
    statements, draft.statement_ids = _statements(check, fields.get("statements"),
                                                  languages, topic_ids)
    values: dict[str, Any] = {
        "slug": check.own_id(fields.get("slug"), "slug", draft.slug),
        "title": check.texts(fields.get("title"), "title", languages),
        "description": _optional_texts(check, fields, "description", languages),
        "languages": languages, "scale": draft.scale,
        "method": check.choice(fields.get("method"), "method", METHODS),
        "missing": check.choice(fields.get("missing"), "missing", MISSING_POLICIES),
        "importance_multiplier": _multiplier(check, fields.get("importance_multiplier")),
        "topics": topics, "statements": statements, "parties": (),
        "quotes_required": quotes_required,
    }
    if not check.problems and None not in values.values():
        draft.quiz = Quiz(**values)


def _languages(check: Checker, node: Node | None) -> tuple[str, ...] | None:
    items = check.sequence(node, "languages")
    if items is None:
        return None
    seen: dict[str, int] = {}
    before = len(check.problems)
    for item in items:
        code = check.text(item, "languages entry")
        if code is not None and not LANGUAGE_RE.fullmatch(code):
            check.report(item.line, f"languages entry '{code}' is not a lowercase language "
                                    "code (like nb, sv, en)")
        elif code is not None:
            check.first(seen, code, item.line, "language")
    return tuple(seen) if len(check.problems) == before else None


def _optional_texts(check: Checker, fields: dict[str, Node], key: str,
                    languages: tuple[str, ...] | None, where: str = "",
                    limit: int = LONG_TEXT_LENGTH) -> dict[str, str] | None:
    if key not in fields:
        return {}
    return check.texts(fields[key], sub(where, key), languages, limit)


def _multiplier(check: Checker, node: Node | None) -> float | None:
    if node is None:
        return DEFAULT_IMPORTANCE_MULTIPLIER
    return check.number(node, "importance_multiplier", 1)


def _topics(check: Checker, node: Node | None, languages: tuple[str, ...] | None
            ) -> tuple[tuple[Topic, ...] | None, set[str] | None]:
    items = check.sequence(node, "topics", MAX_TOPICS)
    if items is None:
        return None, None
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = label("topic", item, index)
        fields = check.fields(item, where, TOPIC_KEYS)
        if fields is None:
            continue
        topic_id = check.slug(fields.get("id"), sub(where, "id"))
        name = check.texts(fields.get("name"), sub(where, "name"), languages)
        if topic_id is not None and check.first(seen, topic_id, fields["id"].line, "topic id") \
                and name is not None:
            topics.append(Topic(topic_id, name))
    return tuple(topics), set(seen)


def _statements(check: Checker, node: Node | None, languages: tuple[str, ...] | None,
                topic_ids: set[str] | None
                ) -> tuple[tuple[Statement, ...] | None, frozenset[str] | None]:
    items = check.sequence(node, "statements", MAX_STATEMENTS)
    if items is None:
        return None, None
    seen: dict[str, int] = {}
    statements = [_statement(check, item, index, languages, topic_ids, seen)
                  for index, item in enumerate(items)]
    ordered = sorted((s.order, index, s) for index, s in enumerate(statements) if s is not None)
    return tuple(s for _, _, s in ordered), frozenset(seen)


def _statement(check: Checker, item: Node, index: int, languages: tuple[str, ...] | None,
               topic_ids: set[str] | None, seen: dict[str, int]) -> Statement | None:
    where = label("statement", item, index)
    fields = check.fields(item, where, STATEMENT_REQUIRED, STATEMENT_OPTIONAL)
    if fields is None:
        return None
    statement_id = check.slug(fields.get("id"), sub(where, "id"))
    if statement_id is not None and not check.first(seen, statement_id, fields["id"].line,
                                                    "statement id"):
        statement_id = None
    weight, order = fields.get("weight"), fields.get("order")
    values: dict[str, Any] = {
        "id": statement_id,
        "topic": _topic_ref(check, fields.get("topic"), sub(where, "topic"), topic_ids),
        "text": check.texts(fields.get("text"), sub(where, "text"), languages,
                            STATEMENT_LENGTH),
        "explanation": _optional_texts(check, fields, "explanation", languages, where),
        "weight": 1.0 if weight is None else check.number(weight, sub(where, "weight"), 0),
        "order": index if order is None else check.integer(order, sub(where, "order")),
    }
    return None if None in values.values() else Statement(**values)


def _topic_ref(check: Checker, node: Node | None, where: str,
               topic_ids: set[str] | None) -> str | None:
    topic = check.slug(node, where)
    if topic is None or topic_ids is None or topic in topic_ids:
        return topic
    known = ", ".join(sorted(topic_ids)) or "none"
    line = node.line if isinstance(node, Scalar) else 1
    check.report(line, f"{where} '{topic}' is not one of the listed topics ({known})")
    return None
