"""Content files on disk: reading (YAML with line numbers) and writing.

``read_content(root)`` finds ``questions/*.yaml`` and ``positions/<slug>/*.yaml``
under ``root``, parses each with PyYAML's composer (``located_yaml``: every value
keeps its line), and hands the located values to the pure ``valgomat.core.content.build`` to be
checked and built. ``write_content(quiz, root)`` writes a quiz back in the same
format, so that reading the written files gives an equal quiz.

The format is documented in ``docs/content-format.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from valgomat.content.located_yaml import parse_yaml
from valgomat.content.program_files import PROGRAMS, read_programs
from valgomat.core.content.build import QuizSources, SourceFile, build_content
from valgomat.core.content.limits import (
    MAX_FILE_BYTES,
    MAX_FOLDER_BYTES,
    MAX_PARTIES,
    count_problem,
    size_problem,
)
from valgomat.core.content.programs import PROGRAM_FILE_RE
from valgomat.core.content.rules import Problem
from valgomat.core.model import Party, Quiz, Statement

__all__ = ["Problem", "content_file_paths", "parse_yaml", "program_file_paths", "read_content",
           "read_content_and_programs", "shown_at_source", "write_content"]

SUFFIX = ".yaml"
# What a party file's ``program:`` holds after its title; the text's hash is the file's, not
# written (the uploaded original's, ``source_sha256``, is).
PROGRAM_FILE_FIELDS = ("url", "file", "publisher", "date", "language", "source_sha256")
WRONG_SUFFIXES = (".yml", ".YAML", ".YML", ".Yaml")


def read_content(root: Path) -> tuple[list[Quiz], list[Problem]]:
    """Every valid quiz under ``root`` and every problem found (empty when all is valid)."""
    quizzes, problems, _ = read_content_and_programs(root)
    return quizzes, problems


def read_content_and_programs(root: Path
                              ) -> tuple[list[Quiz], list[Problem], dict[str, str]]:
    """``read_content``, and the text of every program read, by its SHA-256 (what
    ``content load`` stores for the quotes' context)."""
    too_large = _folder_too_large(Path(root))
    if too_large:
        return [], too_large, {}
    sources, problems = _collect(Path(root))
    quizzes, found = build_content(sources)
    texts = {program.sha256: program.text for source in sources
             for program in (source.programs or {}).values()}
    return quizzes, problems + found, texts


def content_file_paths(root: Path) -> list[Path]:
    """The regular ``*.yaml`` files under ``questions/`` and ``positions/``, in the order
    ``content load`` hashes them (a folder named ``x.yaml`` is no content file)."""
    return [path for folder in ("questions", "positions")
            for path in sorted((root / folder).rglob("*" + SUFFIX)) if path.is_file()]


def program_file_paths(root: Path) -> list[Path]:
    """The regular files under ``programs/`` (part of what ``content load`` hashes)."""
    return [path for path in sorted((root / PROGRAMS).rglob("*")) if path.is_file()]


def _folder_too_large(root: Path) -> list[Problem]:
    """One problem when the content files together exceed the limit (nothing is parsed)."""
    total = sum(path.stat().st_size for path in content_file_paths(root))
    wrong = size_problem(total, MAX_FOLDER_BYTES)
    return [] if wrong is None else [Problem(str(root), None, f"the content files together "
                                                              f"{wrong}")]


def _collect(root: Path) -> tuple[list[QuizSources], list[Problem]]:
    questions, positions = root / "questions", root / "positions"
    if not questions.is_dir():
        return [], [Problem(str(questions), 1, "folder not found (content needs questions/ "
                                               "and positions/)")]
    problems = _misnamed(questions)
    quiz_files = {p.stem: p for p in _yaml_files(questions)}
    if not quiz_files:
        problems.append(Problem(str(questions), 1, f"no quiz files (*{SUFFIX}) found"))
    folders: set[str] = set()
    if positions.is_dir():
        problems += [Problem(str(p), 1, "ignored: party files belong in "
                                        "positions/<quiz-slug>/<party-id>.yaml")
                     for p in sorted(positions.iterdir())
                     if p.is_file() and p.name.endswith((SUFFIX, *WRONG_SUFFIXES))]
        folders = {p.name for p in positions.iterdir()
                   if p.is_dir() and not p.name.startswith(".")}
    return [_sources(slug, quiz_files.get(slug), positions / slug, root / PROGRAMS / slug,
                     problems)
            for slug in sorted(quiz_files.keys() | folders)], problems


def _sources(slug: str, quiz_file: Path | None, folder: Path, programs: Path,
             problems: list[Problem]) -> QuizSources:
    party_files: list[Path] = []
    if folder.is_dir():
        problems += _misnamed(folder)
        party_files = _yaml_files(folder)
        too_many = count_problem(len(party_files), MAX_PARTIES, "party files")
        if too_many is not None:
            problems.append(Problem(str(folder), None, too_many))
            party_files = []
    parties = tuple(read_file(p) for p in party_files)
    return QuizSources(
        slug=slug,
        questions=None if quiz_file is None else read_file(quiz_file),
        folder=str(folder),
        parties=parties,
        programs=read_programs(parties, programs, problems),
    )


def _yaml_files(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.glob("*" + SUFFIX))
            if p.is_file() and not p.name.startswith(".")]


def _misnamed(folder: Path) -> list[Problem]:
    """Files that look like content but would be ignored (``x.yml``)."""
    return [Problem(str(p), 1, f"ignored: content files must end in {SUFFIX}")
            for p in sorted(folder.iterdir())
            if p.is_file() and p.name.endswith(WRONG_SUFFIXES)]


def read_file(path: Path) -> SourceFile:
    """One content file, parsed; unreadable files carry their problems instead."""
    shown = str(path)
    try:
        too_large = size_problem(path.stat().st_size, MAX_FILE_BYTES)
        if too_large is not None:
            return SourceFile(shown, path.stem, None, (Problem(shown, None, too_large),))
        data = path.read_bytes()
    except OSError as exc:
        return SourceFile(shown, path.stem, None, (Problem(shown, 1, f"cannot read: "
                                                                     f"{exc.strerror}"),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return SourceFile(shown, path.stem, None, (Problem(shown, line, "not UTF-8 text"),))
    node, problems = parse_yaml(text, shown)
    return SourceFile(shown, path.stem, node, tuple(problems))


def shown_at_source(problems: list[Problem], folder: Path, source: str) -> list[Problem]:
    """Problems of files converted into the temporary ``folder``, named by the user's
    ``source`` (the converted files are gone by the time anyone reads them)."""
    shown = []
    for problem in problems:
        path = Path(problem.path)
        converted = path.relative_to(folder) if path.is_relative_to(folder) else path.name
        where = f"converted {converted}" + (f", line {problem.line}" if problem.line else "")
        shown.append(Problem(source, None, f"{problem.message} ({where})"))
    return shown


def write_content(quiz: Quiz, root: Path,
                  program_texts: Callable[[str], str | None] | None = None) -> None:
    """Write ``questions/<slug>.yaml`` and ``positions/<slug>/<party>.yaml`` under ``root``,
    and ``programs/<slug>/<file>`` for each program whose text ``program_texts`` gives
    (by its SHA-256).

    Other ``*.yaml`` files in ``positions/<slug>/`` (parties no longer in the quiz)
    are removed, so that ``read_content(root)`` gives back exactly ``quiz``
    (with ``version`` ``None``) when every program's text was at hand.
    """
    root = Path(root)
    (root / "questions").mkdir(parents=True, exist_ok=True)
    _dump(quiz_document(quiz), root / "questions" / f"{quiz.slug}{SUFFIX}")
    folder = root / "positions" / quiz.slug
    folder.mkdir(parents=True, exist_ok=True)
    keep = {f"{party.id}{SUFFIX}" for party in quiz.parties}
    for stale in folder.glob("*" + SUFFIX):
        if stale.name not in keep:
            stale.unlink()
    for party in quiz.parties:
        _dump(party_document(quiz, party), folder / f"{party.id}{SUFFIX}")
    for party in quiz.parties:
        program = party.program
        text = program_texts(program.sha256) if program_texts and program.sha256 else None
        if text is not None and PROGRAM_FILE_RE.fullmatch(program.file):
            (root / PROGRAMS / quiz.slug).mkdir(parents=True, exist_ok=True)
            # Bytes, not text: writing text would turn "\r\n" into the platform's newline.
            (root / PROGRAMS / quiz.slug / program.file).write_bytes(text.encode("utf-8"))


def quiz_document(quiz: Quiz) -> dict[str, Any]:
    """The plain data of a questions file, defaults left out."""
    document: dict[str, Any] = {"slug": quiz.slug, "title": dict(quiz.title)}
    if quiz.description:
        document["description"] = dict(quiz.description)
    document.update(languages=_Flow(quiz.languages), scale=quiz.scale, method=quiz.method,
                    missing=quiz.missing,
                    importance_multiplier=_number(quiz.importance_multiplier))
    if not quiz.quotes_required:
        document["quotes_required"] = False
    document.update(topics=[{"id": t.id, "name": dict(t.name)} for t in quiz.topics],
                    statements=[_statement_document(s, i) for i, s in
                                enumerate(quiz.statements)])
    return document


def _statement_document(statement: Statement, index: int) -> dict[str, Any]:
    document: dict[str, Any] = {"id": statement.id, "topic": statement.topic,
                                "text": dict(statement.text)}
    if statement.explanation:
        document["explanation"] = dict(statement.explanation)
    if statement.weight != 1:
        document["weight"] = _number(statement.weight)
    if statement.order != index:
        document["order"] = statement.order
    return document


def party_document(quiz: Quiz, party: Party) -> dict[str, Any]:
    """The plain data of a party file: every statement, ``value: null`` where unstated."""
    program = {"title": party.program.title}
    program.update({name: getattr(party.program, name) for name in PROGRAM_FILE_FIELDS
                    if getattr(party.program, name)})
    return {"id": party.id, "name": party.name, "short_name": party.short_name,
            "colour": party.colour, "program": program,
            "positions": {s.id: _position_document(party, s.id) for s in quiz.statements}}


def _position_document(party: Party, statement_id: str) -> dict[str, Any]:
    value = party.positions.get(statement_id)
    evidence = party.evidence.get(statement_id)
    if value is None or evidence is None:
        return {"value": value}
    document: dict[str, Any] = {"value": value, "quote": evidence.quote,
                                "source": evidence.source, "confidence": evidence.confidence,
                                "justification": dict(evidence.justification)}
    return {key: item for key, item in document.items()
            if item or key == "value"}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, ``[nb, sv, en]`` languages, and multi-line
    texts as ``|`` literals where YAML allows it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _Flow(list[str]):
    """A list written on one line."""


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _dump(document: dict[str, Any], path: Path) -> None:
    path.write_text(yaml_text(document), encoding="utf-8")


def yaml_text(document: dict[str, Any]) -> str:
    """A questions or party document as its content file spells it."""
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
