"""A quiz held in memory (a draft) checked by the content-file rules, without files.

The quiz becomes the plain data its content files would hold (``quiz_document``,
``party_document``), that data becomes located values, and ``build_content`` checks
them as it checks parsed files. A problem is named by the record it is in
(``quiz 'demo'``, ``party 'ap'``) rather than by a file and line. The files' size
limits apply to the YAML the draft would be written as, so that a draft an editor
can publish can also be exported and loaded again; YAML syntax needs no check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from valgomat.content.files import party_document, quiz_document, yaml_text
from valgomat.content.program_files import PROGRAMS
from valgomat.core.content.build import QuizSources, SourceFile, build_content
from valgomat.core.content.limits import (
    MAX_FILE_BYTES,
    MAX_FOLDER_BYTES,
    MAX_PARTIES,
    count_problem,
    size_problem,
)
from valgomat.core.content.programs import ProgramFile
from valgomat.core.content.rules import Map, Node, Problem, Scalar, Seq
from valgomat.core.model import Quiz

__all__ = ["quiz_problems"]


def quiz_problems(quiz: Quiz,
                  program_texts: Callable[[str], str | None] | None = None) -> list[Problem]:
    """Every problem the content checks find in ``quiz``, each without a line. With
    ``program_texts`` (a program's text by its SHA-256, or None), the quotes of each party
    whose program text it has are checked against it; the others' go unchecked."""
    record = f"quiz '{quiz.slug}'"
    problems: list[Problem] = []
    parties = sorted(quiz.parties, key=lambda party: party.id)
    too_many = count_problem(len(parties), MAX_PARTIES, "parties")
    if too_many is not None:
        problems.append(Problem(record, None, too_many))
        parties = []
    documents = [(record, quiz_document(quiz))] + [
        (f"party '{party.id}'", party_document(quiz, party)) for party in parties]
    problems += _size_problems(record, documents)
    source = QuizSources(
        slug=quiz.slug,
        questions=SourceFile(record, quiz.slug, _located(documents[0][1])),
        folder=record,
        parties=tuple(SourceFile(name, party.id, _located(document))
                      for party, (name, document) in zip(parties, documents[1:], strict=True)),
        programs=None if program_texts is None else _programs(quiz, program_texts),
    )
    _, found = build_content([source])
    return problems + [Problem(problem.path, None, problem.message) for problem in found]


def _programs(quiz: Quiz, program_texts: Callable[[str], str | None]
              ) -> dict[str, ProgramFile]:
    programs: dict[str, ProgramFile] = {}
    for party in quiz.parties:
        program = party.program
        text = program_texts(program.sha256) if program.file and program.sha256 else None
        if text is not None and program.file not in programs:
            programs[program.file] = _prepared(f"{PROGRAMS}/{quiz.slug}/{program.file}", text)
    return programs


@lru_cache(maxsize=32)
def _prepared(path: str, text: str) -> ProgramFile:
    """The program ready for quote look-ups, kept per worker: indexing a program takes
    milliseconds, and the editor's quiz and publish pages check the draft on every view.
    (The stored texts come from one per-worker cache, so the key's text is hashed once.)"""
    return ProgramFile(path, text)


def _size_problems(record: str, documents: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """The content files' size limits. Each document's JSON is measured first (about a
    millisecond for a whole quiz, against 80 ms for its YAML): the YAML of the same data
    is at most a few per cent longer, so only a document near a limit is written out as
    YAML, in memory, to measure it exactly."""
    problems = []
    sizes = []
    for name, document in documents:
        size = len(json.dumps(document, ensure_ascii=False, default=list).encode())
        if 2 * size > MAX_FILE_BYTES:
            size = len(yaml_text(document).encode())
        sizes.append(size)
        wrong = size_problem(size, MAX_FILE_BYTES)
        if wrong is not None:
            problems.append(Problem(name, None, f"would be written as a content file that {wrong}"))
    if 2 * sum(sizes) > MAX_FOLDER_BYTES:
        total = sum(size if 2 * size > MAX_FILE_BYTES else len(yaml_text(document).encode())
                    for size, (_, document) in zip(sizes, documents, strict=True))
        if total > MAX_FOLDER_BYTES:
            problems.append(Problem(record, None, "would be written as content files that "
                                    f"together are {total:,} bytes (at most "
                                    f"{MAX_FOLDER_BYTES:,} bytes)"))
    return problems


def _located(document: object) -> Node:
    return _Locator().convert(document)


class _Locator:
    """Plain data → located values. Each value's "line" is its number in document
    order, so that the checks keep reporting problems in the order of the record."""

    def __init__(self) -> None:
        self.count = 0

    def convert(self, value: object) -> Node:
        self.count += 1
        line = self.count
        if isinstance(value, dict):
            return Map(tuple((self.convert(key), self.convert(item))
                             for key, item in value.items()), line)
        if isinstance(value, list | tuple):
            return Seq(tuple(self.convert(item) for item in value), line)
        return Scalar(value, line, _shown(value))


def _shown(value: object) -> str:
    """The value as a YAML file would spell it (for messages such as ``the boolean true``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
