"""The pure content checks of ``valgomat.core.content.build``: no YAML, no files, no Flask.

Content is given as plain Python data turned into located values by ``to_node``
(every value on line 1 unless a test builds nodes itself).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valgomat.core.content.build import Problem, QuizSources, SourceFile, build_content
from valgomat.core.content.rules import Map, Node, Scalar, Seq
from valgomat.core.model import Quiz

LANGS = ["nb", "en"]


def to_node(data: Any, line: int = 1) -> Node:
    if isinstance(data, dict):
        return Map(tuple((Scalar(k, line, str(k)), to_node(v, line)) for k, v in data.items()),
                   line)
    if isinstance(data, list):
        return Seq(tuple(to_node(item, line) for item in data), line)
    return Scalar(data, line, str(data).lower() if isinstance(data, bool) else str(data))


def texts(word: str) -> dict[str, str]:
    return {lang: f"{word} ({lang})" for lang in LANGS}


def quiz_data() -> dict[str, Any]:
    return {
        "slug": "demo", "title": texts("Demo"), "languages": list(LANGS), "scale": 5,
        "method": "cityblock", "missing": "neutral",
        "topics": [{"id": "economy", "name": texts("Economy")},
                   {"id": "roads", "name": texts("Roads")}],
        "statements": [
            {"id": "taxes", "topic": "economy", "text": texts("Taxes"), "order": 5},
            {"id": "tolls", "topic": "roads", "text": texts("Tolls"), "weight": 2},
            {"id": "bridge", "topic": "roads", "text": texts("Bridge"),
             "explanation": texts("Why")},
        ],
    }


def stated(value: int) -> dict[str, Any]:
    return {"value": value, "quote": "We say so.", "source": "1. Economy",
            "confidence": "high", "justification": texts("Because")}


def party_data(party_id: str = "red") -> dict[str, Any]:
    return {"id": party_id, "name": f"The {party_id} party", "short_name": party_id[:1].upper(),
            "colour": "#c8102e", "program": {"title": "Program 2027"},
            "positions": {"taxes": stated(-2), "tolls": {"value": None}}}


def build(quiz: Any, parties: dict[str, Any] | None = None,
          with_questions: bool = True) -> tuple[list[Quiz], list[Problem]]:
    parties = {"red": party_data()} if parties is None else parties
    source = QuizSources(
        slug="demo",
        questions=SourceFile("q/demo.yaml", "demo", to_node(quiz)) if with_questions else None,
        folder="p/demo",
        parties=tuple(SourceFile(f"p/demo/{stem}.yaml", stem, to_node(data))
                      for stem, data in sorted(parties.items())),
    )
    return build_content([source])


def messages(quiz: Any, parties: dict[str, Any] | None = None) -> list[str]:
    quizzes, problems = build(quiz, parties)
    assert problems and not quizzes
    return [p.message for p in problems]


def test_problem_shows_path_line_and_message() -> None:
    assert str(Problem("questions/x.yaml", 3, "scale must be one of 3, 4, 5")) == \
        "questions/x.yaml:3: scale must be one of 3, 4, 5"


def test_valid_content_builds_the_quiz() -> None:
    quizzes, problems = build(quiz_data(), {"red": party_data(), "blue": party_data("blue")})
    assert problems == []
    [quiz] = quizzes
    assert quiz.slug == "demo" and quiz.version is None and quiz.languages == ("nb", "en")
    assert quiz.importance_multiplier == 2.0 and quiz.description == {}
    assert [s.id for s in quiz.statements] == ["tolls", "bridge", "taxes"]
    assert [(s.order, s.weight) for s in quiz.statements] == [(1, 2.0), (2, 1.0), (5, 1.0)]
    assert [p.id for p in quiz.parties] == ["blue", "red"]
    red = quiz.party("red")
    assert dict(red.positions) == {"tolls": None, "bridge": None, "taxes": -2}
    assert list(red.positions) == [s.id for s in quiz.statements]
    assert list(red.evidence) == ["taxes"]
    assert red.evidence["taxes"].justification == texts("Because")
    assert red.program.url == "" and red.program.file == ""


def test_statements_sort_by_order_then_list_position() -> None:
    data = quiz_data()
    for statement in data["statements"]:
        statement["order"] = 1
    quizzes, _ = build(data)
    assert [s.id for s in quizzes[0].statements] == ["taxes", "tolls", "bridge"]


def test_a_party_without_positions_is_legal() -> None:
    party = party_data()
    del party["positions"]
    quizzes, problems = build(quiz_data(), {"red": party})
    assert problems == [] and set(quizzes[0].parties[0].positions.values()) == {None}


def test_a_null_position_carries_no_evidence() -> None:
    party = party_data()
    party["positions"]["tolls"]["justification"] = texts("Silent")
    _, problems = build(quiz_data(), {"red": party})
    assert [p.message for p in problems] == [
        "position 'tolls' has 'justification' but value is null (no stated position); "
        "remove it or state a value"]


Edit = Callable[[dict[str, Any]], object]
QUIZ_CASES: list[tuple[str, Edit, str]] = [
    ("missing key", lambda q: q.pop("method"), "missing required key 'method' at the top level"),
    ("unknown key", lambda q: q.update(colour="red"), "unknown key 'colour' at the top level "
     "(allowed here: slug, title, languages"),
    ("missing language", lambda q: q["title"].pop("en"), "title is missing language(s): en"),
    ("undeclared language", lambda q: q["title"].update(de="x"),
     "title has text in 'de', which is not one of the quiz's languages (nb, en)"),
    ("empty text", lambda q: q["title"].update(nb="  "), "title.nb is empty"),
    ("text not text", lambda q: q["title"].update(nb=True),
     "title.nb must be text, got the boolean true (quote it)"),
    ("texts not mapping", lambda q: q.update(title="Demo"), "title must be a mapping, got 'Demo'"),
    ("slug vs file", lambda q: q.update(slug="other"),
     "slug 'other' does not match the file name 'demo.yaml'"),
    ("bad slug", lambda q: q.update(slug="Demo!"), "slug 'Demo!' is not a valid id"),
    ("no languages", lambda q: q.update(languages=[]), "languages must not be empty"),
    ("duplicate language", lambda q: q["languages"].append("nb"), "duplicate language 'nb'"),
    ("uppercase language", lambda q: q.update(languages=["NB", "en"]),
     "languages entry 'NB' is not a lowercase language code"),
    ("bad scale", lambda q: q.update(scale=6), "scale must be one of 3, 4, 5, got the number 6"),
    ("float scale", lambda q: q.update(scale=5.0), "scale must be one of 3, 4, 5"),
    ("text scale", lambda q: q.update(scale="5"), "scale must be one of 3, 4, 5, got '5'"),
    ("bad method", lambda q: q.update(method="manhattan"), "method must be one of cityblock"),
    ("bad missing", lambda q: q.update(missing="skip"), "missing must be one of neutral"),
    ("small multiplier", lambda q: q.update(importance_multiplier=0.5),
     "importance_multiplier must be at least 1, got the number 0.5"),
    ("duplicate topic", lambda q: q["topics"].append(q["topics"][0]),
     "duplicate topic id 'economy'"),
    ("duplicate statement", lambda q: q["statements"].append(q["statements"][0]),
     "duplicate statement id 'taxes'"),
    ("unknown topic", lambda q: q["statements"][0].update(topic="health"),
     "statement 'taxes' topic 'health' is not one of the listed topics (economy, roads)"),
    ("negative weight", lambda q: q["statements"][0].update(weight=-1),
     "statement 'taxes' weight must be at least 0, got the number -1"),
    ("boolean weight", lambda q: q["statements"][0].update(weight=True),
     "statement 'taxes' weight must be a number, got the boolean true"),
    ("infinite weight", lambda q: q["statements"][0].update(weight=float("inf")),
     "statement 'taxes' weight must be a number"),
    ("fractional order", lambda q: q["statements"][0].update(order=1.5),
     "statement 'taxes' order must be a whole number, got the number 1.5"),
    ("bad explanation", lambda q: q["statements"][2]["explanation"].pop("nb"),
     "statement 'bridge' explanation is missing language(s): nb"),
    ("unknown statement key", lambda q: q["statements"][0].update(colour="red"),
     "unknown key 'colour' in statement 'taxes' (allowed here: id, topic, text"),
    ("no statements", lambda q: q.update(statements=[]), "statements must not be empty"),
    ("statement not mapping", lambda q: q["statements"].append("x"),
     "statement #4 must be a mapping, got 'x'"),
    ("bad statement id", lambda q: q["statements"][0].update(id="Taxes"),
     "statement #1 id 'Taxes' is not a valid id"),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in QUIZ_CASES],
                         ids=[c[0] for c in QUIZ_CASES])
def test_quiz_file_problems(edit: Edit, expected: str) -> None:
    data = quiz_data()
    edit(data)
    found = messages(data)
    assert any(m.startswith(expected) for m in found), found


POSITION_CASES: list[tuple[str, Edit, str]] = [
    ("off scale 5", lambda p: p["taxes"].update(value=3),
     "position 'taxes' value must be one of -2, -1, 0, 1, 2 (scale 5) or null, got the number 3"),
    ("boolean", lambda p: p["taxes"].update(value=True), "got the boolean true"),
    ("text", lambda p: p["taxes"].update(value="1"), "got '1'"),
    ("float", lambda p: p["taxes"].update(value=1.0), "got the number 1.0"),
    ("no quote", lambda p: p["taxes"].pop("quote"),
     "missing required key 'quote' in position 'taxes' (required when value is not null)"),
    ("no source", lambda p: p["taxes"].pop("source"), "missing required key 'source'"),
    ("no confidence", lambda p: p["taxes"].pop("confidence"),
     "missing required key 'confidence'"),
    ("no justification", lambda p: p["taxes"].pop("justification"),
     "missing required key 'justification'"),
    ("empty quote", lambda p: p["taxes"].update(quote=""), "position 'taxes' quote is empty"),
    ("bad confidence", lambda p: p["taxes"].update(confidence="sure"),
     "position 'taxes' confidence must be one of high, medium, low, got 'sure'"),
    ("partial justification", lambda p: p["taxes"]["justification"].pop("en"),
     "position 'taxes' justification is missing language(s): en"),
    ("null with quote", lambda p: p["tolls"].update(quote="x"),
     "position 'tolls' has 'quote' but value is null"),
    ("null with justification", lambda p: p["tolls"].update(justification={"nb": "x"}),
     "position 'tolls' has 'justification' but value is null"),
    ("unknown statement", lambda p: p.update(schools=stated(1)),
     "position for unknown statement 'schools' (not in questions/demo.yaml)"),
    ("no value", lambda p: p["taxes"].pop("value"), "missing required key 'value' in position"),
    ("shorthand", lambda p: p.update(taxes=1), "position 'taxes' must be a mapping"),
    ("unknown position key", lambda p: p["taxes"].update(page=3),
     "unknown key 'page' in position 'taxes'"),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in POSITION_CASES],
                         ids=[c[0] for c in POSITION_CASES])
def test_position_problems(edit: Edit, expected: str) -> None:
    party = party_data()
    edit(party["positions"])
    found = messages(quiz_data(), {"red": party})
    assert any(m.startswith(expected) or expected in m for m in found), found


def test_zero_is_off_scale_4() -> None:
    data = quiz_data()
    data["scale"] = 4
    party = party_data()
    assert build(data, {"red": party})[1] == []
    party["positions"]["taxes"]["value"] = 0
    assert messages(data, {"red": party}) == [
        "position 'taxes' value must be one of -2, -1, 1, 2 (scale 4) or null, got the number 0"]


PARTY_CASES: list[tuple[str, Edit, str]] = [
    ("id vs file", lambda p: p.update(id="blue"),
     "id 'blue' does not match the file name 'red.yaml'"),
    ("bad colour", lambda p: p.update(colour="red"),
     "colour 'red' is not a #rrggbb colour"),
    ("unquoted colour", lambda p: p.update(colour=None), "colour is empty (quote it"),
    ("missing name", lambda p: p.pop("name"), "missing required key 'name' at the top level"),
    ("bad url", lambda p: p["program"].update(url="example.org"),
     "program url 'example.org' must start with http:// or https://"),
    ("no program title", lambda p: p["program"].pop("title"),
     "missing required key 'title' in program"),
    ("positions list", lambda p: p.update(positions=[]), "positions must be a mapping, got a list"),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in PARTY_CASES],
                         ids=[c[0] for c in PARTY_CASES])
def test_party_file_problems(edit: Edit, expected: str) -> None:
    party = party_data()
    edit(party)
    found = messages(quiz_data(), {"red": party})
    assert any(m.startswith(expected) for m in found), found


def test_duplicate_party_ids_across_files() -> None:
    found = messages(quiz_data(), {"red": party_data(), "reds": party_data()})
    assert "duplicate party id 'red' (also in p/demo/red.yaml)" in found


def test_folder_without_questions_file() -> None:
    _, problems = build(None, with_questions=False)
    assert [str(p) for p in problems] == [
        "p/demo:1: positions folder 'demo' has no matching questions/demo.yaml"]


def test_party_files_are_checked_even_when_the_quiz_file_is_broken() -> None:
    data = quiz_data()
    data["languages"] = "nb"
    party = party_data()
    party["colour"] = "red"
    party["positions"]["taxes"]["justification"] = {"de": "x"}
    found = messages(data, {"red": party})
    assert "languages must be a list, got 'nb'" in found
    assert "colour 'red' is not a #rrggbb colour (like \"#c8102e\")" in found
    assert not any("quiz's languages" in m for m in found)


def test_every_problem_is_reported_not_just_the_first() -> None:
    data = quiz_data()
    data.update(scale=7, method="x", missing="y")
    data["statements"][1]["weight"] = -3
    assert len(messages(data)) == 4


def test_duplicate_and_non_text_keys_name_their_lines() -> None:
    quiz = to_node(quiz_data())
    assert isinstance(quiz, Map)
    extra = ((Scalar("scale", 9, "scale"), Scalar(4, 9, "4")),
             (Scalar(1, 10, "1"), Scalar("x", 10, "x")))
    source = QuizSources("demo", SourceFile("q/demo.yaml", "demo",
                                            Map(quiz.items + extra, 1)), "p/demo")
    _, problems = build_content([source])
    assert [str(p) for p in problems] == [
        "q/demo.yaml:9: duplicate key 'scale' at the top level (first at line 1)",
        "q/demo.yaml:10: key the number 1 at the top level must be text",
    ]


def test_unreadable_files_pass_their_problems_through() -> None:
    problem = Problem("q/demo.yaml", 4, "invalid YAML: something")
    source = QuizSources("demo", SourceFile("q/demo.yaml", "demo", None, (problem,)), "p/demo",
                         (SourceFile("p/demo/red.yaml", "red", to_node(party_data())),))
    assert build_content([source]) == ([], [problem])


def test_core_content_does_not_import_yaml() -> None:
    code = ("import sys, valgomat.core.content.build, valgomat.core.content.parties; "
            "assert 'yaml' not in sys.modules, 'yaml imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


KEYS = st.sampled_from(["slug", "title", "languages", "scale", "method", "missing", "topics",
                        "statements", "id", "topic", "text", "weight", "order", "nb", "en",
                        "value", "quote", "source", "confidence", "justification", "colour"])
SCALARS = (st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True)
           | st.text(max_size=8) | st.sampled_from(["nb", "en", "high", "economy", "#c8102e"]))
JUNK = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(KEYS | st.text(max_size=4), inner, max_size=5),
                    max_leaves=20)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    items = data.items() if isinstance(data, dict) else \
        enumerate(data) if isinstance(data, list) else ()
    return [p for key, value in items for p in [(*prefix, key), *_paths(value, (*prefix, key))]]


def _replace(data: Any, path: tuple[Any, ...], junk: Any) -> Any:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    return data


@settings(max_examples=200, deadline=None)
@given(st.data(), JUNK)
def test_junk_anywhere_gives_problems_never_exceptions(data: st.DataObject, junk: Any) -> None:
    base = {"quiz": quiz_data(), "party": party_data()}
    path = data.draw(st.sampled_from(_paths(base)))
    mutated = _replace(base, path, junk)
    quizzes, problems = build(mutated["quiz"], {"red": mutated["party"]})
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)
    assert len(quizzes) == (0 if problems else 1)


@settings(max_examples=100, deadline=None)
@given(JUNK, JUNK)
def test_random_files_give_problems_never_exceptions(quiz: Any, party: Any) -> None:
    quizzes, problems = build(quiz, {"red": party})
    assert problems and not quizzes
