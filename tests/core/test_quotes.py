"""core.quotes: a quote is found in its program whitespace aside, and nothing else."""

from valgomat.core.quotes import ProgramText, Span, closest_passage, find_quote

TEXT = "Vi vil  styrke\nsamar beidet med frivillig sektor. Gratis SFO."


def test_whitespace_may_differ_be_added_or_be_missing() -> None:
    span = find_quote(TEXT, "styrke samarbeidet  med")
    assert span == Span(8, 31) and TEXT[span.start:span.end] == "styrke\nsamar beidet med"
    assert find_quote(TEXT, "sektor.Gratis") is not None


def test_nothing_else_is_forgiven() -> None:
    for changed in ("Styrke samarbeidet", "styrke samarbeide med", "sektor, Gratis",
                    "frivilig sektor", "gratis SFO"):
        assert find_quote(TEXT, changed) is None, changed


def test_an_empty_quote_is_no_evidence() -> None:
    assert find_quote(TEXT, "") is None and find_quote(TEXT, " \n\t") is None


def test_many_look_ups_share_one_preparation() -> None:
    program = ProgramText(TEXT)
    assert program.find("Vi vil") == Span(0, 6)
    assert program.find("SFO.") == Span(len(TEXT) - 4, len(TEXT))


def test_the_closest_passage_is_the_one_a_word_was_changed_in() -> None:
    program = ProgramText("Vi vil bygge flere\nsykehjemsplasser.  Vi vil ha gratis skolemat "
                          "hver dag, og flere lærere i skolen.\n\nBussen skal være billig.")
    assert closest_passage(program, "Vi vil ha gratis skolemat hver uke, og flere lærere") == \
        "Vi vil ha gratis skolemat hver dag, og flere lærere"
    assert closest_passage(program, "bygge flere sykehjemsplasser") == \
        "bygge flere sykehjemsplasser."


def test_a_closest_passage_is_short_and_needs_words() -> None:
    program = ProgramText(" ".join(f"ord{i}" for i in range(2_000)))
    quote = " ".join(f"ord{i}" for i in range(500, 700))
    passage = closest_passage(program, quote, length=40)
    assert len(passage) == 40 and passage.startswith("ord500 ord501") and passage.endswith("…")
    assert closest_passage(program, "… !") == ""
    assert closest_passage(ProgramText(""), "ord") == ""
