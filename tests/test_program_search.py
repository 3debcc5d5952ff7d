"""Searching a program for evidence (valgomat.core.program_search, search_words)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from valgomat.core.program_search import (
    MAX_HITS,
    PASSAGE_LENGTH,
    ProgramIndex,
    collapse,
    heading_text,
)
from valgomat.core.quotes import find_quote
from valgomat.core.search_words import MAX_QUERY_WORDS, key_words, query_words

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "lokalvalg"
POSITIONS = PROGRAMS.parents[1] / "positions" / "lokalvalg"

TEXT = """Program 2027–2031

Skole og barnehage

Vi vil bygge flere barnehager i hele kommunen. Barnehagene skal være gode.
Skolen skal ha nok lærere.

PS vil:

- gi alle barn plass i barnehage
- styrke skolehelsetjenesten

Eldre:

Et aldersvennlig Fjellvik med gode sykehjem. Sykehjemsplasser skal bygges ut i
tide, bl.a. i Nord. Hjemmetjenesten styrkes.

Dette er en setning som PDF-en brøt midt i

en linje.

PS vil:

- bygge sykehjem

PS vil:

- gi gratis skolemat
"""


def words_in(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def test_headings_are_short_lines_standing_alone_without_a_final_stop() -> None:
    index = ProgramIndex(TEXT)
    headings = [TEXT[p.start:p.end] for p in index.paragraphs if p.is_heading]
    # "PS vil:" is a refrain that introduces lists; "Dette er …" a sentence the PDF broke.
    assert headings == ["Program 2027–2031", "Skole og barnehage", "Eldre:"]
    assert index.heading_at(TEXT.index("gi alle barn")) == "Skole og barnehage"
    assert index.heading_at(TEXT.index("bygge sykehjem")) == "Eldre"
    assert index.heading_at(0) == "Program 2027–2031"
    assert ProgramIndex("Ingen overskrift her.").heading_at(0) == ""
    assert heading_text(" • Skole og utdanning: ") == "Skole og utdanning"
    assert heading_text("Klima, miljø, nærings- og lokalutvikling") == \
        "Klima, miljø, nærings- og lokalutvikling"


def test_passages_are_sentences_and_bullets_within_bounds() -> None:
    index = ProgramIndex(TEXT)
    passages = [collapse(TEXT[s.start:s.end]) for s in index.passages]
    assert "Vi vil bygge flere barnehager i hele kommunen." in passages
    assert "gi alle barn plass i barnehage" in passages  # without its bullet
    assert ("Sykehjemsplasser skal bygges ut i tide, bl.a. i Nord." in passages)
    assert "Dette er en setning som PDF-en brøt midt i en linje." in passages
    assert not any(p.startswith("Skole og barnehage") for p in passages)  # headings are not
    long = "Ord " * 400 + "slutt."
    spans = ProgramIndex(long).passages
    assert len(spans) > 1 and all(s.end - s.start <= PASSAGE_LENGTH for s in spans)
    assert "".join(long[s.start:s.end] + " " for s in spans).split() == long.split()


def test_all_words_rank_before_most_and_rarer_before_common() -> None:
    index = ProgramIndex(TEXT)
    hits = index.search(["sykehjem", "aldersvennlig"])
    found = [collapse(TEXT[h.start:h.end]) for h in hits]
    assert found[0] == "Et aldersvennlig Fjellvik med gode sykehjem."  # both words
    assert [h.matched for h in hits] == [2, 1, 1]
    assert hits[0].heading == "Eldre"
    rare_first = [collapse(TEXT[h.start:h.end]) for h in index.search(["bygge", "gratis"])]
    assert rare_first[0] == "gi gratis skolemat"  # one passage has it, three "bygge"
    assert rare_first[1:] == ["Vi vil bygge flere barnehager i hele kommunen.",
                              "Sykehjemsplasser skal bygges ut i tide, bl.a. i Nord.",
                              "bygge sykehjem"]  # then in the program's order


def test_prefixes_case_and_nordic_letters() -> None:
    index = ProgramIndex(TEXT)
    found = {collapse(TEXT[h.start:h.end]) for h in index.search(["barnehage"])}
    assert "Vi vil bygge flere barnehager i hele kommunen." in found  # a longer word
    assert "Barnehagene skal være gode. Skolen skal ha nok lærere." not in found
    assert any("Barnehagene" in f for f in found)
    assert {collapse(TEXT[h.start:h.end]) for h in index.search(["sykehjemmene"])} == set()
    assert index.search(["sykehjemmet"])  # "sykehjem" begins it, three letters shorter
    assert index.search(["tjenesten"]) == []  # no word begins with it
    hit = index.search(query_words("ALDERSVENNLIG", "nb"))[0]
    assert [p.text for p in hit.pieces if p.marked] == ["aldersvennlig"]
    assert "".join(p.text for p in hit.pieces) == TEXT[hit.start:hit.end]


def test_limits_and_odd_queries() -> None:
    index = ProgramIndex("\n\n".join(f"Setning {n} om skole." for n in range(100)))
    assert len(index.search(["skole"])) == MAX_HITS
    assert index.search([]) == []
    assert query_words("", "nb") == [] and query_words("og i på … !!", "nb") == []
    assert len(query_words(" ".join(f"ord{n}" for n in range(50)), "nb")) == MAX_QUERY_WORDS
    assert query_words("Skole SKOLE skole", "nb") == ["skole"]
    assert query_words("the school", "xx") == ["the", "school"]  # no list: every word
    assert ProgramIndex("").search(["skole"]) == [] and ProgramIndex("").heading_at(5) == ""


def test_key_words_of_a_statement() -> None:
    assert key_words("Kommunen bør ikke tillate nye privatskoler.", "nb") == [
        "privatskoler", "tillate"]
    assert key_words("Kommunen ska bygga fler förskolor 2027.", "sv") == [
        "förskolor", "bygga"]
    assert key_words("The municipality should build more homes.", "en") == ["build", "homes"]
    assert len(key_words(" ".join(f"ordet{n}" for n in range(20)), "nb")) == 6


def test_headings_agree_with_the_sources_of_the_shipped_content() -> None:
    agree = total = whole = 0
    for path in sorted(POSITIONS.glob("*.yaml")):
        text = (PROGRAMS / f"{path.stem}.txt").read_text(encoding="utf-8")
        index = ProgramIndex(text)
        for evidence in (yaml.safe_load(path.read_text(encoding="utf-8"))["positions"]
                         ).values():
            if not evidence.get("quote"):
                continue
            span = find_quote(text, evidence["quote"])
            assert span is not None
            total += 1
            agree += index.heading_at(span.start) == heading_text(evidence["source"])
            # a quote is usually one passage, as a search shows it (some take two sentences)
            whole += any(p.start <= span.start and span.end <= p.end for p in index.passages)
    assert total > 50 and agree >= 0.95 * total and whole >= 0.9 * total


def test_a_two_megabyte_program_is_indexed_and_searched() -> None:
    text = (PROGRAMS / "trondheim-byradet.txt").read_text(encoding="utf-8")
    big = (text * (2_000_000 // len(text) + 1))[:2_000_000]
    index = ProgramIndex(big)
    hits = index.search(query_words("barnehage skole kollektivtrafikk", "nb"))
    assert len(hits) == MAX_HITS and all(h.end - h.start <= PASSAGE_LENGTH for h in hits)
    assert words_in(big[hits[0].start:hits[0].end])
