"""The program panel of the position form: the party's program, searched for the
statement's evidence, and a passage chosen as the quote (issue 16, item 2b).

The search is a GET (``?q=``; without one, the statement's key words). Choosing a
hit is a button of the position form itself (``use=<start>-<end>``, posted with
everything the editor typed): the page comes back with the quote and source filled
in from the stored program by those offsets, and nothing is saved. The URL's
offsets are checked against the text; the quote never comes from the request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from flask import g, request

from valgomat.core.program_search import (
    MAX_QUERY_LENGTH,
    Hit,
    Paragraph,
    ProgramIndex,
    collapse,
)
from valgomat.core.search_words import key_words, query_words
from valgomat.storage import models
from valgomat.storage.programs import program_text

QUOTE_LENGTH = 5000  # the position form's limit
SHOWN_LENGTH = 400_000  # characters of a program shown whole on the page
_USE = re.compile(r"(\d{1,7})-(\d{1,7})")


@dataclass
class ProgramPanel:
    title: str
    url: str
    index: ProgramIndex | None = None
    query: str = ""
    hits: list[Hit] = field(default_factory=list)
    searched: bool = False  # whether the query had words to search for
    message: str = ""
    chosen: tuple[str, str] | None = None  # (quote, source) of the passage chosen
    status: int = 200

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs to show whole (none of a very long program: search it)."""
        if self.index is None or len(self.index.text) > SHOWN_LENGTH:
            return []
        return self.index.paragraphs

    def text(self, paragraph: Paragraph) -> str:
        assert self.index is not None
        return self.index.text[paragraph.start:paragraph.end]


@lru_cache(maxsize=16)
def _indexed(text: str) -> ProgramIndex:
    """The index of a program, kept per worker (a stored text is one string object per
    worker, so its hash is computed once)."""
    return ProgramIndex(text)


def choosing() -> bool:
    """Whether this request chose a passage (a POST of the position form that saves
    nothing)."""
    return request.method == "POST" and "use" in request.form


def program_panel(quiz: models.Quiz, party: models.Party,
                  statement: models.Statement) -> ProgramPanel:
    program = party.program or {}
    panel = ProgramPanel(str(program.get("title", "")), str(program.get("url", "")))
    text = program_text(program["sha256"]) if program.get("sha256") else None
    if text is None:
        if choosing():
            _refuse_choice(panel)
        return panel
    panel.index = _indexed(text)
    language = _language(party, quiz)
    query = request.args.get("q")
    if query is None:
        query = _key_words(statement, language, quiz)
    _search(panel, query, language)
    if choosing():
        _choose(panel, request.form.get("use", ""))
    return panel


def key_word_queries(quiz: models.Quiz, cells: Mapping[tuple[int, int], models.Position]
                     ) -> dict[tuple[int, int], str]:
    """For each (party id, statement id) without a stated position, the statement's key
    words in the language of the party's program: the grid's links search for them."""
    queries: dict[tuple[int, int], str] = {}
    made: dict[tuple[str, int], str] = {}
    for party in quiz.parties:
        language = _language(party, quiz)
        for statement in quiz.statements:
            cell = cells.get((party.id, statement.id))
            if cell is None or cell.value is None:
                if (language, statement.id) not in made:
                    made[(language, statement.id)] = _key_words(statement, language, quiz)
                queries[(party.id, statement.id)] = made[(language, statement.id)]
    return queries


def _language(party: models.Party, quiz: models.Quiz) -> str:
    """The program's language, or else the quiz's first."""
    return str((party.program or {}).get("language") or quiz.languages[0])


def _key_words(statement: models.Statement, language: str, quiz: models.Quiz) -> str:
    """The statement's key words in ``language`` (or the quiz's first language)."""
    texts = statement.text or {}
    text = str(texts.get(language) or texts.get(quiz.languages[0]) or "")
    return " ".join(key_words(text, language))


def _search(panel: ProgramPanel, query: str, language: str) -> None:
    if len(query) > MAX_QUERY_LENGTH:
        panel.query = query[:MAX_QUERY_LENGTH]
        panel.message = (f"The search was not run: it is {len(query):,} characters long, "
                         f"at most {MAX_QUERY_LENGTH} are searched.")
        panel.status = 400
        return
    panel.query = query
    words = query_words(query, language)
    if not words:
        if query.strip():
            panel.message = "The search has no words to look for (only small words like “og”)."
        return
    assert panel.index is not None
    panel.searched = True
    panel.hits = panel.index.search(words)


def _choose(panel: ProgramPanel, use: str) -> None:
    assert panel.index is not None
    text = panel.index.text
    found = _USE.fullmatch(use)
    start, end = (int(found[1]), int(found[2])) if found else (0, 0)
    quote = collapse(text[start:end]) if 0 <= start < end <= len(text) else ""
    if not quote or end - start > QUOTE_LENGTH:
        _refuse_choice(panel)
        return
    panel.chosen = (quote, panel.index.heading_at(start))


def _refuse_choice(panel: ProgramPanel) -> None:
    panel.message = "That passage is not in the program; nothing was filled in. " \
                    "Choose one of the passages found."
    panel.status = 400


def fill_chosen(panel: ProgramPanel, form: Any) -> None:
    """The chosen passage as the form's quote and source (the rest stays as typed). A
    refused CSRF token makes the page a 400, so that it is shown again as typed."""
    if panel.chosen is not None:
        form.quote.data, form.source.data = panel.chosen
    if choosing() and g.get("form_token_failed"):
        panel.status = 400
