"""The compare view: statement by statement, the voter's answer and every selected
party's position side by side, the parties grouped by position (agree first, as the
steps order the answers; "no stated position" last), each group in the alphabetical
order of the short names in the interface language.

Filters and paging are query arguments: ``topic`` (one topic's statements),
``differ=1`` (only where the chosen parties' positions differ) and ``page``. A quiz
whose comparison fits one page shows it whole; a bigger one has a page per topic, a
topic too big for a page split in parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from valgomat.core.answercode import Answers
from valgomat.core.model import SCALES, Party, Quiz, Statement, Topic
from valgomat.web.collation import collated
from valgomat.web.numbers import whole_number

CELLS_PER_PAGE = 400  # statements × parties on one page: about 40 KB of HTML


@dataclass(frozen=True)
class Group:
    """The parties that take one position on a statement."""

    value: int | None  # None: no stated position
    parties: list[Party]
    yours: bool  # the voter's own answer


@dataclass(frozen=True)
class Row:
    number: int  # in the quiz, from 1
    statement: Statement
    answer: int | None  # the voter's; None: skipped or not answered
    answered: bool
    important: bool
    groups: list[Group]


@dataclass(frozen=True)
class Page:
    topic: Topic
    part: int  # from 1 where a topic is split over pages, else 0
    numbers: list[int]  # the statements' numbers in the quiz


@dataclass(frozen=True)
class ComparePage:
    rows: list[Row]
    pages: list[Page]  # one or more; empty when no statement passes the filters
    page: int  # the shown page's index in ``pages``
    topic: str | None
    differ: bool


class BadFilter(ValueError):
    """A topic the quiz lacks, or a page number it has not."""


def compare_page(quiz: Quiz, answers: Answers, parties: Sequence[str] | None,
                 args: Mapping[str, str], language: str) -> ComparePage:
    """The rows of the requested page; ``args``: the request's query arguments,
    ``language``: the interface's, whose alphabet orders the parties."""
    topic = args.get("topic") or None
    if topic is not None and topic not in {t.id for t in quiz.topics}:
        raise BadFilter(topic)
    chosen = collated([quiz.party(pid) for pid in parties] if parties is not None
                      else quiz.parties, lambda party: party.short_name, language)
    differ = args.get("differ") == "1"
    numbers = [number for number, s in enumerate(quiz.statements, start=1)
               if (topic is None or s.topic == topic)
               and (not differ or _parties_differ(s, chosen))]
    pages = list(_pages(quiz, numbers, max(1, CELLS_PER_PAGE // max(1, len(chosen)))))
    index = _page_index(args.get("page"), len(pages))
    shown = pages[index].numbers if pages else []
    return ComparePage([_row(quiz, answers, chosen, number) for number in shown], pages,
                       index, topic, differ)


def _parties_differ(statement: Statement, parties: Sequence[Party]) -> bool:
    return len({p.positions.get(statement.id) for p in parties}) > 1


def _pages(quiz: Quiz, numbers: list[int], per_page: int) -> Iterator[Page]:
    if not numbers:
        return
    topics = {t.id: t for t in quiz.topics}
    if len(numbers) <= per_page:
        first = topics[quiz.statements[numbers[0] - 1].topic]
        yield Page(first, 0, numbers)
        return
    for topic_id, group in groupby(numbers, key=lambda n: quiz.statements[n - 1].topic):
        found = list(group)
        parts = [found[i:i + per_page] for i in range(0, len(found), per_page)]
        for part, chunk in enumerate(parts, start=1):
            yield Page(topics[topic_id], part if len(parts) > 1 else 0, chunk)


def _page_index(raw: str | None, count: int) -> int:
    if raw is None or raw == "":
        return 0
    number = whole_number(raw)
    if number is None or not 1 <= number <= max(count, 1):
        raise BadFilter(raw)
    return number - 1


def _row(quiz: Quiz, answers: Answers, parties: Sequence[Party], number: int) -> Row:
    statement = quiz.statements[number - 1]
    answer = answers.values.get(statement.id)
    groups = []
    for value in (*SCALES[quiz.scale].descending(), None):
        found = [p for p in parties if p.positions.get(statement.id) == value]
        if found:
            groups.append(Group(value, found, value is not None and value == answer))
    return Row(number, statement, answer, statement.id in answers.values,
               statement.id in answers.important, groups)
