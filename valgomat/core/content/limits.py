"""How large content may be: per file, per folder, per quiz and per text field.

The limits are documented in ``docs/content-format.md``. They are set from the
real data with headroom (the shipped quiz and the Wahl-O-Mat elections: the
longest statement has 186 characters, the longest justification 623, the
largest file 390 KB of JSON, 51 KB of YAML) and from the database columns (ids 100 characters, party
names 200, short names 50, whole numbers 32 bits). Content files and imports
check the same limits, so a quiz that passes ``content check`` fits the database.
"""

from __future__ import annotations

import re

# YAML is parsed in pure Python (about 15 s for a megabyte of tiny statements on
# the 2-core machine), so its files get less room than JSON's.
MAX_FILE_BYTES = 1024 * 1024
MAX_FOLDER_BYTES = 8 * 1024 * 1024
MAX_JSON_BYTES = 2 * 1024 * 1024
# A program file (programs/<quiz>/<file>): the shipped ones are 12-58 KB; a 300-page
# program is about 1 MB of text. Each quote not found costs a pass over its program.
MAX_PROGRAM_BYTES = 2 * 1024 * 1024
# YAML events (scalars, mappings, lists) per file, counted with libyaml before the
# slow composing: the shipped quiz file has 1,398 for 47 statements.
MAX_YAML_EVENTS = 50_000
MAX_STATEMENTS = 200
MAX_PARTIES = 100
MAX_TOPICS = 100
MAX_POSITIONS = MAX_STATEMENTS * MAX_PARTIES

ID_LENGTH = 100
NAME_LENGTH = 200
SHORT_NAME_LENGTH = 50
STATEMENT_LENGTH = 1_000
LONG_TEXT_LENGTH = 2_000  # explanation, quote, justification, description
URL_LENGTH = 2_000
SOURCE_LENGTH = 500  # a program section
PROGRAM_FILE_LENGTH = 100  # a program's file name
PROGRAM_DATE_LENGTH = 50  # "2023–2027", "2023-06-15", "June 2023"
SMALLEST_INT, LARGEST_INT = -(2**31), 2**31 - 1

MAX_PROBLEMS_SHOWN = 50

# NUL and the other C0 controls except tab and line breaks, DEL, lone surrogates
# (not encodable as UTF-8) and the non-characters U+FFFE and U+FFFF.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def unsafe_character(text: str) -> str | None:
    """``U+0000`` for the first character no database or page can hold, else ``None``."""
    found = _UNSAFE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def text_problem(text: str, limit: int) -> str | None:
    """Why ``text`` cannot be stored (too long, or a forbidden character), else ``None``."""
    if len(text) > limit:
        return f"is {len(text):,} characters long (at most {limit:,})"
    character = unsafe_character(text)
    if character is not None:
        return (f"contains the character {character}, which cannot be stored (a control "
                "character or half of a surrogate pair)")
    return None


def size_problem(size: int, limit: int) -> str | None:
    if size <= limit:
        return None
    return f"is {size:,} bytes (at most {limit // (1024 * 1024)} MB = {limit:,} bytes)"


def count_problem(count: int, limit: int, what: str) -> str | None:
    if count <= limit:
        return None
    return f"has {count:,} {what} (at most {limit:,})"


def capped(lines: list[str], limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The first ``limit`` lines, then one saying how many more there are."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"… and {len(lines) - limit:,} more"]
