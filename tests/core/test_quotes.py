"""core.quotes: a quote is found in its program whitespace aside, and nothing else."""

from valgomat.core.quotes import ProgramText, Span, find_quote

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
