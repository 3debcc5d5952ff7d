"""Content files on disk: parsing with line numbers, the invalid tree, round trips, the CLI."""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valgomat.content.files import (
    Problem,
    parse_yaml,
    read_content,
    read_content_and_programs,
    write_content,
)
from valgomat.core.content.rules import Map, Scalar, Seq
from valgomat.core.model import Quiz

DATA = Path(__file__).parent / "data"
CONTENT = DATA / "content"
INVALID = DATA / "invalid"

# Every problem of tests/data/invalid, in order (ROOT stands for that folder).
EXPECTED_INVALID = [
    "ROOT/questions/old.yml:1: ignored: content files must end in .yaml",
    "ROOT/positions/stray.yaml:1: ignored: party files belong in "
        "positions/<quiz-slug>/<party-id>.yaml",
    "ROOT/questions/alpha.yaml:1: slug 'beta' does not match the file name 'alpha.yaml'",
    "ROOT/questions/alpha.yaml:4: title.en is empty",
    "ROOT/questions/alpha.yaml:5: title has text in 'de', which is not one of the quiz's "
        "languages (nb, en)",
    "ROOT/questions/alpha.yaml:6: description is missing language(s): en",
    "ROOT/questions/alpha.yaml:12: unknown key 'colour' at the top level (allowed here: "
        "slug, title, languages, scale, method, missing, topics, statements, description, "
        "importance_multiplier, quotes_required)",
    "ROOT/questions/alpha.yaml:16: duplicate topic id 'economy' (first at line 14)",
    "ROOT/questions/alpha.yaml:18: topic #3 id 'Bad_Topic' is not a valid id (use "
        "lowercase letters a-z, digits and hyphens, starting with a letter or digit)",
    "ROOT/questions/alpha.yaml:20: missing required key 'id' in topic #4",
    "ROOT/questions/alpha.yaml:25: statement 'lower-taxes' weight must be at least 0, got "
        "the number -1",
    "ROOT/questions/alpha.yaml:26: duplicate statement id 'lower-taxes' (first at line 22)",
    "ROOT/questions/alpha.yaml:30: statement 'more-roads' topic 'roads' is not one of the "
        "listed topics (economy)",
    "ROOT/questions/alpha.yaml:32: statement 'more-roads' explanation is missing language(s): en",
    "ROOT/questions/alpha.yaml:33: statement 'more-roads' order must be a whole number, "
        "got 'first'",
    "ROOT/questions/alpha.yaml:34: statement #4 id 'Bad Id' is not a valid id (use "
        "lowercase letters a-z, digits and hyphens, starting with a letter or digit)",
    "ROOT/questions/alpha.yaml:40: duplicate key 'text' in statement 'ok-statement' "
        "(first at line 39)",
    "ROOT/questions/alpha.yaml:41: unknown key 'colour' in statement 'ok-statement' "
        "(allowed here: id, topic, text, explanation, weight, order)",
    "ROOT/questions/alpha.yaml:45: statement #7 must be a mapping, got 'just a string'",
    "ROOT/questions/alpha.yaml:46: missing required key 'text' in statement 'no-text'",
    "ROOT/positions/alpha/alpha-ap.yaml:3: short_name is empty",
    "ROOT/positions/alpha/alpha-ap.yaml:4: colour '#12345' is not a #rrggbb colour (like "
        "\"#c8102e\")",
    "ROOT/positions/alpha/alpha-ap.yaml:7: program url 'www.example.org' must start with "
        "http:// or https://",
    "ROOT/positions/alpha/alpha-ap.yaml:8: unknown key 'pages' in program (allowed here: "
        "title, url, file, publisher, date, language, source_sha256)",
    "ROOT/positions/alpha/alpha-ap.yaml:9: unknown key 'slogan' at the top level (allowed "
        "here: id, name, short_name, colour, program, positions)",
    "ROOT/positions/alpha/alpha-ap.yaml:12: position 'lower-taxes' value must be one of "
        "-2, -1, 1, 2 (scale 4) or null, got the number 0",
    "ROOT/positions/alpha/alpha-ap.yaml:18: missing required key 'quote' in position "
        "'more-roads' (required when value is not null)",
    "ROOT/positions/alpha/alpha-ap.yaml:18: missing required key 'source' in position "
        "'more-roads' (required when value is not null)",
    "ROOT/positions/alpha/alpha-ap.yaml:18: missing required key 'confidence' in position "
        "'more-roads' (required when value is not null)",
    "ROOT/positions/alpha/alpha-ap.yaml:18: missing required key 'justification' in "
        "position 'more-roads' (required when value is not null)",
    "ROOT/positions/alpha/alpha-ap.yaml:20: position 'ok-statement' value must be one of "
        "-2, -1, 1, 2 (scale 4) or null, got the boolean true",
    "ROOT/positions/alpha/alpha-ap.yaml:23: position 'ok-statement' confidence must be "
        "one of high, medium, low, got 'sure'",
    "ROOT/positions/alpha/alpha-ap.yaml:24: position 'ok-statement' justification has "
        "text in 'sv', which is not one of the quiz's languages (nb, en)",
    "ROOT/positions/alpha/alpha-ap.yaml:27: position 'fine-statement' has 'quote' but "
        "value is null (no stated position); remove it or state a value",
    "ROOT/positions/alpha/alpha-ap.yaml:28: position for unknown statement "
        "'no-such-statement' (not in questions/alpha.yaml)",
    "ROOT/positions/alpha/alpha-ap.yaml:31: position 'no-text' value must be one of -2, "
        "-1, 1, 2 (scale 4) or null, got '1'",
    "ROOT/positions/alpha/alpha-ap.yaml:32: position 'no-text' quote is empty",
    "ROOT/positions/alpha/alpha-ap.yaml:35: position 'no-text' justification is missing "
        "language(s): en",
    "ROOT/positions/alpha/alpha-ap.yaml:36: duplicate key 'more-roads' in positions "
        "(first at line 17)",
    "ROOT/positions/alpha/alpha-empty.yaml:1: the file is empty (expected a mapping of keys)",
    "ROOT/positions/alpha/alpha-frp.yaml:1: id 'alpha-ap' does not match the file name "
        "'alpha-frp.yaml'",
    "ROOT/positions/alpha/alpha-frp.yaml:1: duplicate party id 'alpha-ap' (also in "
        "ROOT/positions/alpha/alpha-ap.yaml)",
    "ROOT/positions/alpha/alpha-frp.yaml:4: colour is empty (quote it, like \"#c8102e\": "
        "an unquoted # starts a YAML comment)",
    "ROOT/questions/broken.yaml:4: invalid YAML: while parsing a block mapping: expected "
        "<block end>, but found '<block mapping start>'",
    "ROOT/positions/delta/delta-h.yaml:7: position 'one' value must be one of -2, -1, 0, "
        "1, 2 (scale 5) or null, got the number 3",
    "ROOT/positions/delta/delta-h.yaml:8: position 'two' value must be one of -2, -1, 0, "
        "1, 2 (scale 5) or null, got the number 1.0",
    "ROOT/questions/empty.yaml:1: the file is empty (expected a mapping of keys)",
    "ROOT/questions/gamma.yaml:1: missing required key 'statements' at the top level",
    "ROOT/questions/gamma.yaml:3: languages entry 'NB' is not a lowercase language code "
        "(like nb, sv, en)",
    "ROOT/questions/gamma.yaml:3: duplicate language 'nb' (first at line 3)",
    "ROOT/questions/gamma.yaml:4: scale must be one of 3, 4, 5, got the number 6",
    "ROOT/questions/gamma.yaml:5: method must be one of cityblock, euclidean, "
        "directional, hybrid, got 'manhattan'",
    "ROOT/questions/gamma.yaml:6: missing must be one of neutral, exclude, farthest, got 'ignore'",
    "ROOT/questions/gamma.yaml:7: importance_multiplier must be at least 1, got the number 0.5",
    "ROOT/questions/gamma.yaml:8: topics must be a list, got a mapping",
    "ROOT/questions/latin.yaml:2: not UTF-8 text",
    "ROOT/questions/listed.yaml:1: the file must be a mapping, got a list",
    "ROOT/positions/orphan:1: positions folder 'orphan' has no matching questions/orphan.yaml",
    "ROOT/questions/weird.yaml:2: invalid YAML value: could not determine a constructor "
        "for the tag '!custom'",
]


def read_fixtures() -> list[Quiz]:
    quizzes, problems = read_content(CONTENT)
    assert problems == []
    return quizzes


def fixture_programs() -> dict[str, str]:
    """The fixture's program texts by SHA-256, for writing the quizzes back."""
    return read_content_and_programs(CONTENT)[2]


def test_fixture_content_is_valid() -> None:
    fixture, three = read_fixtures()
    assert (fixture.slug, fixture.scale, fixture.languages) == ("fixture", 5, ("nb", "sv", "en"))
    assert (fixture.method, fixture.missing, fixture.importance_multiplier) == \
        ("cityblock", "neutral", 2.0)
    assert len(fixture.statements) == 8 and len(fixture.topics) == 3
    assert [p.id for p in fixture.parties] == ["fjellvik-blue", "fjellvik-green", "fjellvik-red"]
    assert [s.id for s in fixture.statements][-2:] == ["cheaper-buses", "toll-ring"]
    assert fixture.statement("more-nursing-home-places").weight == 2
    red = fixture.party("fjellvik-red")
    assert list(red.positions) == [s.id for s in fixture.statements]
    assert red.positions["cheaper-buses"] is None and red.positions["free-school-lunch"] == 0
    assert set(red.evidence) == {"more-nursing-home-places", "free-school-lunch"}
    assert fixture.party("fjellvik-blue").program.url.startswith("https://")
    assert (three.slug, three.scale, three.languages, len(three.parties)) == \
        ("fixture-three", 3, ("en",), 2)


def test_problems_show_the_root_joined_path() -> None:
    _, problems = read_content(Path("tests/data/invalid"))
    assert str(problems[0]) == "tests/data/invalid/questions/old.yml:1: " \
                               "ignored: content files must end in .yaml"


def test_invalid_tree_reports_every_problem_with_its_line() -> None:
    quizzes, problems = read_content(INVALID)
    assert quizzes == []
    assert all(isinstance(p, Problem) for p in problems)
    assert [str(p) for p in problems] == [
        line.replace("ROOT/", f"{INVALID}/") for line in EXPECTED_INVALID]


def test_missing_content_folder_is_a_problem(tmp_path: Path) -> None:
    assert read_content(tmp_path) == ([], [Problem(str(tmp_path / "questions"), 1,
                                                   "folder not found (content needs "
                                                   "questions/ and positions/)")])
    (tmp_path / "questions").mkdir()
    assert [p.message for p in read_content(tmp_path)[1]] == ["no quiz files (*.yaml) found"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\nb: [1, 2\n", 3, "invalid YAML: while parsing a flow sequence: expected ',' or ']', "
                            "but got '<stream end>'"),
    ("a: b\n---\nc: d\n", 2, "invalid YAML: expected a single document in the stream: "
                             "but found another document"),
    ("a: 1\nb: \x01\n", 2, "invalid YAML: character U+0001 is not allowed"),
    ("a: &x [*x]\n", 1, "invalid YAML: an alias refers to a value containing itself"),
    ("base: &b {x: 1}\nc:\n  <<: *b\n", 3,
     "YAML merge keys (<<) are not supported; write the keys out"),
    ("a: 1\nd: 2023-02-30\n", 2, "invalid YAML value: day is out of range for month"),
    ("a: !!float abc\n", 1, "invalid YAML value: could not convert string to float: 'abc'"),
    ("a: !!python/name:os.system x\n", 1, "invalid YAML value: could not determine a "
     "constructor for the tag 'tag:yaml.org,2002:python/name:os.system'"),
    ("[" * 3000 + "]" * 3000, 1, "invalid YAML: nested too deeply"),
])
def test_parse_yaml_turns_errors_into_problems(text: str, line: int, message: str) -> None:
    assert parse_yaml(text, "f.yaml") == (None, [Problem("f.yaml", line, message)])


def test_parse_yaml_keeps_lines_duplicates_and_source_text() -> None:
    node, problems = parse_yaml("# c\na: 1\nb:\n  - no\n  - '7'\na: ~\n", "f.yaml")
    assert problems == []
    assert node == Map((
        (Scalar("a", 2, "a"), Scalar(1, 2, "1")),
        (Scalar("b", 3, "b"), Seq((Scalar(False, 4, "no"), Scalar("7", 5, "7")), 4)),
        (Scalar("a", 6, "a"), Scalar(None, 6, "~")),
    ), 2)
    assert parse_yaml("", "f.yaml") == (Scalar(None, 1, ""), [])


def test_parse_yaml_shares_aliases_instead_of_expanding_them() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    started = time.perf_counter()
    node, problems = parse_yaml("\n".join(lines), "f.yaml")
    assert problems == [] and isinstance(node, Map)
    assert time.perf_counter() - started < 5


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_yaml_never_raises(text: str) -> None:
    node, problems = parse_yaml(text, "f.yaml")
    assert (node is None) == bool(problems)
    assert all(p.line >= 1 for p in problems)


FIXTURE_FILES = sorted(p.relative_to(CONTENT) for p in CONTENT.rglob("*.yaml"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURE_FILES), st.data())
def test_mangled_fixture_files_give_problems_never_exceptions(
        relative: Path, data: st.DataObject) -> None:
    lines = (CONTENT / relative).read_text(encoding="utf-8").splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    lines[index] = data.draw(st.sampled_from([
        "", "  ", "- x", ": :", "value: 7", "  extra: 1", "[", "nb: ''", "<<: *a", "&a b: c",
    ]) | st.text(max_size=12))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for other in FIXTURE_FILES:
            target = root / other
            target.parent.mkdir(parents=True, exist_ok=True)
            text = "\n".join(lines) if other == relative else (CONTENT / other).read_text()
            target.write_text(text, encoding="utf-8")
        quizzes, problems = read_content(root)
    assert problems or len(quizzes) == 2
    assert all(str(p).startswith(tmp) and p.line >= 1 for p in problems)


def test_round_trip_gives_equal_quizzes(tmp_path: Path) -> None:
    quizzes = read_fixtures()
    for quiz in quizzes:
        write_content(quiz, tmp_path, fixture_programs().get)
    assert read_content(tmp_path) == (quizzes, [])


def test_round_trip_keeps_awkward_texts_weights_and_orders(tmp_path: Path) -> None:
    quiz = read_fixtures()[0]
    first = dataclasses.replace(quiz.statements[0], weight=0.5, order=-3, text={
        "nb": "to\nlinjer", "sv": "slut med mellanslag  \n x", "en": "yes"})
    awkward = dataclasses.replace(quiz, importance_multiplier=1.5,
                                  statements=(first, *quiz.statements[1:]))
    write_content(awkward, tmp_path, fixture_programs().get)
    assert read_content(tmp_path) == ([awkward], [])


def test_written_files_are_readable_yaml(tmp_path: Path) -> None:
    quiz = read_fixtures()[0]
    write_content(quiz, tmp_path)
    questions = (tmp_path / "questions" / "fixture.yaml").read_text(encoding="utf-8")
    assert "languages: [nb, sv, en]\n" in questions and "för" in questions
    assert "order: 7" in questions and "weight: 2\n" in questions
    party = yaml.safe_load((tmp_path / "positions" / "fixture" / "fjellvik-red.yaml")
                           .read_text(encoding="utf-8"))
    assert list(party) == ["id", "name", "short_name", "colour", "program", "positions"]
    assert list(party["positions"]) == [s.id for s in quiz.statements]
    assert party["positions"]["cheaper-buses"] == {"value": None}
    assert list(party["positions"]["free-school-lunch"]) == [
        "value", "quote", "source", "confidence", "justification"]


def test_write_content_removes_parties_no_longer_in_the_quiz(tmp_path: Path) -> None:
    quiz = read_fixtures()[0]
    write_content(quiz, tmp_path, fixture_programs().get)
    fewer = dataclasses.replace(quiz, parties=quiz.parties[:1])
    write_content(fewer, tmp_path)
    assert read_content(tmp_path) == ([fewer], [])


def run_check(directory: Path, tmp_path: Path) -> tuple[int, str]:
    from valgomat.cli import main

    result = CliRunner().invoke(main, ["content", "check", str(directory)],
                                env={"VALGOMAT_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_cli_content_check_accepts_the_fixture(tmp_path: Path) -> None:
    code, output = run_check(CONTENT, tmp_path)
    assert code == 0, output
    assert output.splitlines() == [f"2 quiz(zes) valid in {CONTENT}"]


def test_cli_content_check_lists_problems(tmp_path: Path) -> None:
    code, output = run_check(INVALID, tmp_path)
    assert code == 1
    expected = [line.replace("ROOT/", f"{INVALID}/") for line in EXPECTED_INVALID]
    assert output.splitlines() == [*expected[:50], f"… and {len(expected) - 50} more"]
