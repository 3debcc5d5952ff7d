"""The shipped demo quiz ``lokalvalg``: its shape, how well it discriminates, and its evidence.

The quiz in ``questions/lokalvalg.yaml`` and ``positions/lokalvalg/`` is built
from five real local programs kept in ``programs/lokalvalg/``. Every stated
position must quote its own program verbatim (whitespace aside) and name a
heading of that program as its source.

The statement set is the one of issue 16, item 4: short enough for a voter's ten
minutes, every statement with at least two stated positions that are not all the
same, and as many statements as the programs allow on which one party agrees and
another disagrees. The bounds below are what the five programs support honestly;
raise them only with new evidence, never by stretching a quote.
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
from valgomat.core.audit.gate import GATE_SEED, GATE_VOTERS, gate_verdict
from valgomat.core.audit.run import run_audit
from valgomat.core.model import Party, Quiz

REPO_ROOT = Path(__file__).resolve().parents[1]
SLUG = "lokalvalg"
PROGRAMS = REPO_ROOT / "programs" / SLUG
PARTY_IDS = ("alingsas-s", "asker-ps", "baerum-ps", "elverum-ap", "trondheim-byradet")
LANGUAGES = ("nb", "sv", "en")

MIN_STATEMENTS = 20
MAX_STATEMENTS = 40  # a voter's ten minutes
MIN_TOPICS = 8
# Statements with one party >= 1 and another <= -1. The issue asked for 15; the five
# programs take opposite sides on 11 (they rarely argue against anything, and most of
# their proposals are ones no other program rejects; two independent readings found
# no more), so 11 is the honest floor.
MIN_OPPOSED = 11
# Opposed statements whose agreeing and disagreeing sides both rest on at least one
# position of medium or high confidence (the other 3 rest on a low one on one side).
MIN_OPPOSED_FIRM = 8
MAX_POSITIVE_SHARE = 0.77  # of all stated values; 0.75 now, 0.92 before the rework
# Statements allowed a single stated position, each with its reason. None now: every
# single-party proposal of the programs is left out (the quiz description says so).
SINGLE_POSITION_ALLOWED: dict[str, str] = {}
# Parties whose program cannot support a position on half of the statements, with the
# floor they meet. Elverum Ap's program is a short list of 86 pledges that says
# nothing on most of what the others disagree about.
COVERAGE_EXCEPTIONS = {"elverum-ap": 12}


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


def stated_values(quiz: Quiz, statement_id: str) -> dict[str, int]:
    return {p.id: v for p in quiz.parties if (v := p.positions[statement_id]) is not None}


def opposed(quiz: Quiz) -> list[str]:
    """Statements on which one party agrees (>= 1) and another disagrees (<= -1)."""
    found = []
    for statement in quiz.statements:
        values = stated_values(quiz, statement.id).values()
        if values and min(values) <= -1 and max(values) >= 1:
            found.append(statement.id)
    return found


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
    assert MIN_STATEMENTS <= len(quiz.statements) <= MAX_STATEMENTS
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


def test_every_statement_has_two_stated_positions(quiz: Quiz) -> None:
    single = {s.id for s in quiz.statements if len(stated_values(quiz, s.id)) < 2}
    assert single <= set(SINGLE_POSITION_ALLOWED), sorted(single - set(SINGLE_POSITION_ALLOWED))
    assert all(len(stated_values(quiz, sid)) == 1 for sid in SINGLE_POSITION_ALLOWED)


def test_no_statement_where_every_stated_position_is_the_same(quiz: Quiz) -> None:
    same = [s.id for s in quiz.statements if len(set(stated_values(quiz, s.id).values())) == 1]
    assert same == []


def test_enough_statements_where_parties_disagree(quiz: Quiz) -> None:
    assert len(opposed(quiz)) >= MIN_OPPOSED, opposed(quiz)


def test_enough_disagreements_rest_on_firm_evidence(quiz: Quiz) -> None:
    def firm(statement_id: str, side: int) -> bool:
        return any(v * side >= 1 and p.evidence[statement_id].confidence != "low"
                   for p in quiz.parties if (v := p.positions[statement_id]) is not None)

    firm_both = [sid for sid in opposed(quiz) if firm(sid, 1) and firm(sid, -1)]
    assert len(firm_both) >= MIN_OPPOSED_FIRM, firm_both


def test_agreeing_is_not_always_the_proposal_side(quiz: Quiz) -> None:
    values = [v for s in quiz.statements for v in stated_values(quiz, s.id).values()]
    assert sum(v > 0 for v in values) / len(values) < MAX_POSITIVE_SHARE


def test_every_party_states_a_position_on_half_of_the_statements(quiz: Quiz) -> None:
    for party in quiz.parties:
        floor = COVERAGE_EXCEPTIONS.get(party.id, (len(quiz.statements) + 1) // 2)
        assert len(stated(party)) >= floor, party.id
    for party_id, floor in COVERAGE_EXCEPTIONS.items():  # an exception is still needed
        party = next(p for p in quiz.parties if p.id == party_id)
        assert floor <= len(stated(party)) < (len(quiz.statements) + 1) // 2, party_id


def test_the_publish_gate_passes_under_the_shipped_settings(quiz: Quiz) -> None:
    """The gate's own audit (200,000 voters, seed 0): every party's share of first
    places within [1/3, 3] x the fair share, and every party can come first alone."""
    report = run_audit(quiz, voters=GATE_VOTERS, seed=GATE_SEED, workers=1)
    verdict = gate_verdict(quiz, report)
    assert not verdict.refused, [w.text for w in verdict.blocking]
    shares = report.populations[0].own().shares
    fair = 1 / len(quiz.parties)
    assert all(fair / 3 <= share <= 3 * fair for share in shares), shares


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
