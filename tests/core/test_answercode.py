"""The compact answer code carried in voter URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valgomat.core.answercode import Answers, BadAnswerCode, decode, encode
from valgomat.core.model import SCALES

IDS = [f"s{i}" for i in range(12)]


def test_known_code() -> None:
    answers = decode("eAs.b", IDS, 5)
    assert answers.values == {"s0": 2, "s1": -2, "s2": None, "s4": -1}
    assert answers.important == {"s1"}
    assert encode(answers, IDS, 5) == "eAs.b"


def test_trailing_unanswered_are_dropped() -> None:
    assert encode(Answers({"s0": 1}), IDS, 3) == "c"
    assert encode(Answers(), IDS, 3) == ""


@pytest.mark.parametrize(("code", "scale"), [("f", 5), ("E", 4), ("d", 3), ("x", 5),
                                             ("1", 5), ("a" * 13, 5), ("%", 3)])
def test_bad_codes_are_refused(code: str, scale: int) -> None:
    with pytest.raises(BadAnswerCode):
        decode(code, IDS, scale)


def test_importance_is_dropped_when_skipping() -> None:
    answers = Answers().with_answer("s0", 1, True).with_answer("s0", None, True)
    assert answers.values == {"s0": None} and answers.important == frozenset()


@given(scale=st.sampled_from(sorted(SCALES)), data=st.data())
def test_round_trip(scale: int, data: st.DataObject) -> None:
    values = data.draw(st.dictionaries(st.sampled_from(IDS),
                                       st.none() | st.sampled_from(SCALES[scale])))
    important = data.draw(st.sets(st.sampled_from(
        [sid for sid, v in values.items() if v is not None] or ["none"])))
    answers = Answers(values, frozenset(important & set(values)))
    assert decode(encode(answers, IDS, scale), IDS, scale) == answers
