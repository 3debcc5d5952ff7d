"""Every rule about an answer scale comes from its ``Scale`` (valgomat.core.scale).

So a new scale is one entry in ``SCALES``: here a 7-point scale, added by the
test alone, validates, is published, scores, makes and reads share codes and
has its words on every surface (voter pages, editor, the scripts' JSON).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from tests.test_js_parity import RUNNER, run_node
from tests.views.test_quiz import page, ranking
from tools.reference import reference_score
from valgomat.content import lifecycle
from valgomat.content.files import read_content
from valgomat.core import scale as scale_module
from valgomat.core.answercode import Answers, BadAnswerCode, decode, encode
from valgomat.core.scale import SCALES, WORDS, Scale
from valgomat.editor.forms import position_form
from valgomat.partner.static_export import page_context
from valgomat.voter.presenters import WORD_LABELS

SEVEN = Scale((-3, -2, -1, 0, 1, 2, 3),
              ("strongly_disagree", "disagree", "somewhat_disagree", "neutral",
               "somewhat_agree", "agree", "strongly_agree"))
SLUG = "scaled"
PARTIES = {"rising": "Rising party", "falling": "Falling party"}


def test_the_shipped_scales() -> None:
    assert {points: (s.values, s.top, s.letters, s.important_letters, s.words)
            for points, s in SCALES.items()} == {
        3: ((-1, 0, 1), 1, "abc", "ABC", ("disagree", "neutral", "agree")),
        4: ((-2, -1, 1, 2), 2, "abcd", "ABCD",
            ("strongly_disagree", "disagree", "agree", "strongly_agree")),
        5: ((-2, -1, 0, 1, 2), 2, "abcde", "ABCDE",
            ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")),
    }
    assert SCALES[4].level_codes == (1, 2, 4, 5) and not SCALES[4].neutral
    assert SCALES[5].descending() == (2, 1, 0, -1, -2) and SCALES[3].word(-1) == "disagree"


@pytest.mark.parametrize(("values", "words", "problem"), [
    (tuple(range(-4, 5)), SEVEN.words + ("agree", "neutral"), "does not fit the answer codes"),
    ((-2, 0, 2), ("disagree", "neutral", "agree"), "are not the integers"),
    ((0, 1, 2), ("disagree", "neutral", "agree"), "are not the integers"),
    ((), (), "are not the integers"),
    ((-1, 0, 1), ("agree", "neutral", "agree"), "one distinct word per value"),
    ((-1, 1), ("disagree",), "one distinct word per value"),
    ((-1, 0, 1), ("nay", "neutral", "agree"), "unknown scale words ['nay']"),
])
def test_a_scale_that_does_not_fit_is_refused_when_made(
        values: tuple[int, ...], words: tuple[str, ...], problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        Scale(values, words)


def test_every_word_has_its_label(app: Flask) -> None:
    assert set(WORD_LABELS) == set(WORDS)
    with app.test_request_context("/"), force_locale("en"):
        assert {key: str(label) for key, label in WORD_LABELS.items()} == dict(WORDS)


def write_content(root: Path, scale: Scale) -> None:
    """A quiz with one statement per value; one party states them ascending, one descending."""
    statements = [f"s{n}" for n in range(scale.points)]
    quiz = {"slug": SLUG, "title": {"en": "Scaled"}, "languages": ["en"],
            "scale": scale.points, "method": "cityblock", "missing": "neutral",
            "topics": [{"id": "t", "name": {"en": "T"}}],
            "statements": [{"id": sid, "topic": "t", "text": {"en": f"Statement {sid}."}}
                           for sid in statements]}
    (root / "questions").mkdir(parents=True)
    (root / "questions" / f"{SLUG}.yaml").write_text(json.dumps(quiz), encoding="utf-8")
    (root / "positions" / SLUG).mkdir(parents=True)
    for (party_id, name), values in zip(PARTIES.items(),
                                        (scale.values, scale.descending()), strict=True):
        positions = {sid: {"value": value, "quote": "We say so.", "source": "1",
                           "confidence": "high", "justification": {"en": "Said so."}}
                     for sid, value in zip(statements, values, strict=True)}
        party = {"id": party_id, "name": name, "short_name": name[0], "colour": "#123456",
                 "program": {"title": "Program"}, "positions": positions}
        (root / "positions" / SLUG / f"{party_id}.yaml").write_text(json.dumps(party),
                                                                  encoding="utf-8")


@pytest.mark.parametrize("points", [3, 4, 5, 7])
def test_a_scale_works_everywhere(points: int, app: Flask, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(scale_module._BY_POINTS, 7, SEVEN)  # the one line a new scale is
    scale = SCALES[points]
    write_content(tmp_path / "content", scale)
    [quiz], problems = read_content(tmp_path / "content")
    assert problems == [] and quiz.answer_scale is scale
    with app.app_context():
        lifecycle.load_content(tmp_path / "content", publish=True, accept_audit="test scale")
    client = app.test_client()
    document = client.get(f"/api/v1/quizzes/{SLUG}").get_json()
    assert document["scale"]["values"] == list(scale.values)
    assert document["scale"]["top"] == max(abs(v) for v in scale.values)
    assert document["scale"]["letters"] == "abcdefg"[:points]
    ids = [s["id"] for s in document["statements"]]

    # Answering on the step page makes the share code; the result page reads it.
    response = client.get(f"/en/{SLUG}/1/answer?v=1&value={scale.top}&important=y&go=next")
    assert response.headers["Location"] == f"/en/{SLUG}/2?v=1&a={scale.important_letters[-1]}"
    code = scale.important_letters[-1] + scale.letters[1:]
    answers = dict(zip(ids, (scale.top, *scale.values[1:]), strict=True))
    assert decode(code, ids, points) == Answers(answers, frozenset({ids[0]}))
    assert encode(decode(code, ids, points), ids, points) == code
    with pytest.raises(BadAnswerCode):
        decode("abcdefgh"[points], ids, points)

    # The API, the result page and matching.js score it as the reference does.
    api = client.post(f"/api/v1/quizzes/{SLUG}/match",
                      json={"answers": answers, "important": [ids[0]]}).get_json()
    positions = {p["id"]: p["positions"] for p in document["parties"]}
    for result in api["results"]:
        expected = reference_score(answers, {ids[0]}, positions[result["party"]],
                                   dict.fromkeys(ids, 1.0), scale=points, method="cityblock",
                                   missing="neutral")
        assert result["score"] == pytest.approx(expected, abs=1e-9)
    html = page(client, f"/en/{SLUG}/result?v=1&a={code}")
    assert ranking(html) == [(PARTIES[r["party"]], r["percent"]) for r in api["results"]]
    case = {"quiz": SLUG, "answers": answers, "important": [ids[0]], "options": {}}
    [js] = run_node(RUNNER, tmp_path, json.dumps({"quizzes": {SLUG: document},
                                                  "cases": [case]}))
    assert [r["party"] for r in js["results"]] == [r["party"] for r in api["results"]]
    assert [r["score"] for r in js["results"]] == pytest.approx(
        [r["score"] for r in api["results"]], abs=1e-9)

    # Its words: on the step page, in the editor and in the static export's data.
    words = {value: WORDS[scale.word(value)] for value in scale.values}
    step = page(client, f"/en/{SLUG}/1?v=1")
    assert re.findall(r'<button type="submit" name="value" value="(-?\d)" class="option">'
                      r"(.*?)</button>", step) == [(str(v), words[v]) for v in scale.descending()]
    assert re.search(r'data-letters="([a-z]+)"', step).group(1) == scale.letters
    with app.test_request_context("/"), force_locale("en"):
        choices = position_form(["en"], points)().value.choices
        ui: dict[str, Any] = page_context(quiz, "en")["ui"]
    assert [(c.value, c.label) for c in choices] == [("", "No stated position")] + [
        (str(v), f"{v:+d} {words[v]}" if v else f"0 {words[v]}") for v in scale.descending()]
    assert ui["labels"] == {str(v): words[v] for v in scale.values} | {
        "null": "No stated position"}
