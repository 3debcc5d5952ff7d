"""A quiz held in memory (a draft) checked by the content-file rules, without files.

The quiz becomes the plain data its content files would hold (``quiz_document``,
``party_document``), that data becomes located values, and ``build_content`` checks
them as it checks parsed files. A problem is named by the record it is in
(``quiz 'demo'``, ``party 'ap'``) rather than by a file and line; the checks that
only files need (file and folder sizes, YAML syntax) do not apply.
"""

from __future__ import annotations

from valgomat.content.files import party_document, quiz_document
from valgomat.core.content.build import QuizSources, SourceFile, build_content
from valgomat.core.content.limits import MAX_PARTIES, count_problem
from valgomat.core.content.rules import Map, Node, Problem, Scalar, Seq
from valgomat.core.model import Quiz

__all__ = ["quiz_problems"]


def quiz_problems(quiz: Quiz) -> list[Problem]:
    """Every problem the content checks find in ``quiz``, each without a line."""
    record = f"quiz '{quiz.slug}'"
    problems: list[Problem] = []
    parties = sorted(quiz.parties, key=lambda party: party.id)
    too_many = count_problem(len(parties), MAX_PARTIES, "parties")
    if too_many is not None:
        problems.append(Problem(record, None, too_many))
        parties = []
    source = QuizSources(
        slug=quiz.slug,
        questions=SourceFile(record, quiz.slug, _located(quiz_document(quiz))),
        folder=record,
        parties=tuple(SourceFile(f"party '{party.id}'", party.id,
                                 _located(party_document(quiz, party)))
                      for party in parties),
    )
    _, found = build_content([source])
    return problems + [Problem(problem.path, None, problem.message) for problem in found]


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
