"""Program files on disk: ``programs/<quiz-slug>/<file>``, named by the party files'
``program.file`` and read for the quote check (``valgomat.core.content.programs``).

A program file is plain UTF-8 text of at most ``MAX_PROGRAM_BYTES``; one that is
missing, larger or not UTF-8 is a problem (with its path), and its quotes go unchecked.
"""

from __future__ import annotations

from pathlib import Path

from valgomat.core.content.build import SourceFile
from valgomat.core.content.limits import MAX_PROGRAM_BYTES, size_problem
from valgomat.core.content.programs import PROGRAM_FILE_RE, ProgramFile
from valgomat.core.content.rules import Map, Node, Problem, Scalar, peek

PROGRAMS = "programs"


def read_programs(parties: tuple[SourceFile, ...], folder: Path,
              problems: list[Problem]) -> dict[str, ProgramFile]:
    """The program files the party files name, each read once; a file that is missing,
    too large or not UTF-8 is a problem (its quotes then go unchecked)."""
    programs: dict[str, ProgramFile] = {}
    unreadable: set[str] = set()
    for party in parties:
        named = _program_file_name(party.node)
        if named is None or not PROGRAM_FILE_RE.fullmatch(str(named.value)):
            continue  # no program file, or a name the party check reports
        name = str(named.value)
        if name in programs or name in unreadable:
            continue
        path = folder / name
        read = _program_text(path)
        if isinstance(read, str):
            programs[name] = ProgramFile(str(path), read)
            continue
        unreadable.add(name)
        problems.append(read if path.is_file() else
                        Problem(party.path, named.line, f"program file {path} not found"))
    return programs


def _program_file_name(node: Node | None) -> Scalar | None:
    if isinstance(node, Map):
        for key, value in node.items:
            if isinstance(key, Scalar) and key.value == "program":
                return peek(value, "file")
    return None


def _program_text(path: Path) -> str | Problem:
    """The program's text, or why it cannot be had."""
    shown = str(path)
    try:
        too_large = size_problem(path.stat().st_size, MAX_PROGRAM_BYTES)
        if too_large is not None:
            return Problem(shown, None, f"program file {too_large}")
        data = path.read_bytes()
    except OSError as exc:
        return Problem(shown, None, f"cannot read: {exc.strerror}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return Problem(shown, line, "program file is not UTF-8 text")
