"""The shipped demo quiz ``lokalvalg``: its shape, how well it discriminates, and its evidence.

The quiz in ``questions/lokalvalg.yaml`` and ``positions/lokalvalg/`` is built
from five real local programs kept in ``programs/lokalvalg/``. Every stated
position must quote its own program verbatim (whitespace aside) and name a
heading of that program as its source.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from valgomat.content.files import read_content
from valgomat.core.model import Party, Quiz

REPO_ROOT = Path(__file__).resolve().parents[1]
SLUG = "lokalvalg"
PROGRAMS = REPO_ROOT / "programs" / SLUG
PARTY_IDS = ("alingsas-s", "asker-ps", "baerum-ps", "elverum-ap", "trondheim-byradet")
LANGUAGES = ("nb", "sv", "en")

MIN_STATEMENTS = 30
MIN_TOPICS = 8
MIN_SHARED = 20        # statements with two or more stated positions
MIN_CONTRASTS = 8      # statements with one party >= 1 and another <= -1
MIN_PER_PARTY = 10     # stated positions per party


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space (the only difference a quote may have)."""
    return re.sub(r"\s+", " ", text).strip()


def heading(line: str) -> str:
    """A program line as a heading: no bullet or dash, no trailing colon, whitespace collapsed."""
    return normalise(line).lstrip("•-– ").rstrip(":").strip()


@cache
def load() -> Quiz:
    quizzes, problems = read_content(REPO_ROOT)
    assert [str(p) for p in problems] == []
    assert [q.slug for q in quizzes] == [SLUG]
    return quizzes[0]


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    return load()


def stated(party: Party) -> dict[str, int]:
    return {sid: v for sid, v in party.positions.items() if v is not None}


def program_text(party: Party) -> str:
    path = PROGRAMS / party.program.file
    assert path.is_file(), f"{party.id}: program file {party.program.file!r} not in {PROGRAMS}"
    return path.read_text(encoding="utf-8")


# --- shape -------------------------------------------------------------------


def test_reads_cleanly_as_the_only_quiz(quiz: Quiz) -> None:
    assert quiz.slug == SLUG
    assert quiz.languages == LANGUAGES
    assert quiz.scale == 5
    assert quiz.method == "directional"  # the settings its audit supports (issue 13)
    assert quiz.missing == "exclude"
    assert quiz.importance_multiplier == 2
    assert set(quiz.title) == set(LANGUAGES)
    assert set(quiz.description) == set(LANGUAGES)


def test_has_the_five_parties(quiz: Quiz) -> None:
    assert tuple(p.id for p in quiz.parties) == PARTY_IDS
    for party in quiz.parties:
        assert party.program.title and party.program.publisher and party.program.date
        assert party.program.language == ("sv" if party.id == "alingsas-s" else "nb")
        assert party.program.file == f"{party.id}.txt", f"{party.id} names no program file"
        text = (PROGRAMS / party.program.file).read_bytes()
        assert party.program.sha256 == hashlib.sha256(text).hexdigest()
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", party.colour)
    assert len({p.colour.lower() for p in quiz.parties}) == len(PARTY_IDS)
    assert len({p.short_name for p in quiz.parties}) == len(PARTY_IDS)


def test_enough_statements_and_topics(quiz: Quiz) -> None:
    assert len(quiz.statements) >= MIN_STATEMENTS
    assert len(quiz.topics) >= MIN_TOPICS
    used = {s.topic for s in quiz.statements}
    assert used == {t.id for t in quiz.topics}, "every topic should have statements"


def test_statements_have_explicit_order_and_explanations(quiz: Quiz) -> None:
    orders = [s.order for s in quiz.statements]
    assert orders == sorted(set(orders)), "orders should be distinct and ascending"
    assert all(o > 0 and o % 10 == 0 for o in orders)
    for statement in quiz.statements:
        assert set(statement.text) == set(LANGUAGES)
        assert set(statement.explanation) == set(LANGUAGES), statement.id


def test_party_files_list_every_statement() -> None:
    quiz = load()
    ids = {s.id for s in quiz.statements}
    for party_id in PARTY_IDS:
        path = REPO_ROOT / "positions" / SLUG / f"{party_id}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data["positions"]) == ids, f"{party_id} should list every statement"


# --- discrimination ----------------------------------------------------------


def test_every_statement_has_a_stated_position(quiz: Quiz) -> None:
    empty = [s.id for s in quiz.statements
             if all(p.positions[s.id] is None for p in quiz.parties)]
    assert empty == []


def test_enough_statements_with_two_or_more_positions(quiz: Quiz) -> None:
    shared = [s.id for s in quiz.statements
              if sum(p.positions[s.id] is not None for p in quiz.parties) >= 2]
    assert len(shared) >= MIN_SHARED


def test_enough_statements_where_parties_disagree(quiz: Quiz) -> None:
    contrasts = []
    for s in quiz.statements:
        values = [p.positions[s.id] for p in quiz.parties if p.positions[s.id] is not None]
        if any(v >= 1 for v in values) and any(v <= -1 for v in values):
            contrasts.append(s.id)
    assert len(contrasts) >= MIN_CONTRASTS, contrasts


def test_every_party_states_enough_positions(quiz: Quiz) -> None:
    for party in quiz.parties:
        assert len(stated(party)) >= MIN_PER_PARTY, party.id


def test_no_two_parties_have_the_same_positions(quiz: Quiz) -> None:
    order = [s.id for s in quiz.statements]
    for a, b in combinations(quiz.parties, 2):
        assert [a.positions[i] for i in order] != [b.positions[i] for i in order], (a.id, b.id)


# --- evidence ----------------------------------------------------------------


def test_stated_positions_have_full_evidence(quiz: Quiz) -> None:
    for party in quiz.parties:
        assert set(party.evidence) == set(stated(party)), party.id
        for sid, evidence in party.evidence.items():
            assert evidence.quote.strip() and evidence.source.strip(), (party.id, sid)
            assert evidence.confidence in ("high", "medium", "low")
            assert set(evidence.justification) == set(LANGUAGES), (party.id, sid)
            assert "•" not in evidence.quote, (party.id, sid)


@pytest.mark.parametrize("party_id", PARTY_IDS)
def test_quotes_occur_in_the_partys_program(party_id: str) -> None:
    party = next(p for p in load().parties if p.id == party_id)
    text = normalise(program_text(party))
    missing = [sid for sid, e in party.evidence.items() if normalise(e.quote) not in text]
    assert missing == [], f"{party_id}: quotes not found in {party.program.file}"


@pytest.mark.parametrize("party_id", PARTY_IDS)
def test_sources_are_headings_of_the_partys_program(party_id: str) -> None:
    party = next(p for p in load().parties if p.id == party_id)
    headings = {heading(line) for line in program_text(party).splitlines() if line.strip()}
    wrong = sorted({e.source for e in party.evidence.values()
                    if heading(e.source) not in headings})
    assert wrong == [], f"{party_id}: sources that are not a line of {party.program.file}"


def test_content_check_command_passes_on_the_shipped_content(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from valgomat.cli import main

    result = CliRunner().invoke(main, ["content", "check", str(REPO_ROOT)],
                                env={"VALGOMAT_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.exit_code == 0, result.output
    assert "1 quiz(zes) valid" in result.output
