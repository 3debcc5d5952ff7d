"""A party program uploaded by an editor: the file's bytes become the program's text.

The kind of file is told by its content, never by its name or the browser's word: a
PDF starts with ``%PDF-``; anything else must be UTF-8 text without NUL bytes. An
upload is at most ``MAX_UPLOAD_BYTES``; a PDF's text is extracted by pypdf in a child
process (``valgomat.content.pdf_text``) that is killed after ``EXTRACT_SECONDS``. The
text is tidied lightly, never reworded (quotes must stand in it as saved): line breaks
become ``\\n``, spaces at line ends go, form feeds (page breaks) become line breaks and
other control characters are dropped. A refusal is an ``UploadRefused`` whose message
names the file; nothing is stored by this module.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import IO

from valgomat.core.content.limits import MAX_PROGRAM_BYTES, PROGRAM_FILE_LENGTH, size_problem

PDF_MAGIC = b"%PDF-"
PDF_TEXT_MODULE = "valgomat.content.pdf_text"
# A 300-page program with images is a few MB; scanned ones (which have no text) are larger.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 2_000
# Well inside gunicorn's 30-second worker timeout (valgomat/gunicorn_conf.py): a 300-page
# program takes a few seconds.
EXTRACT_SECONDS = 20.0
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_END_SPACE = re.compile(r"[ \t\u00a0]+(?=\n)")


class UploadRefused(ValueError):
    """The upload gives no program text; ``str()`` says why, naming the file."""


@dataclass(frozen=True)
class ExtractedProgram:
    text: str
    source_sha256: str  # of the uploaded file's bytes
    kind: str  # "PDF" or "text"
    pages: int | None = None  # a PDF's


def read_upload(stream: IO[bytes], name: str) -> bytes:
    """The uploaded file's bytes, refused when larger than ``MAX_UPLOAD_BYTES`` (read no
    further than one byte past it)."""
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB, "
                            "the most a program upload may be")
    return data


def extract_program(data: bytes, name: str, *,
                    seconds: float = EXTRACT_SECONDS) -> ExtractedProgram:
    """The program's text in ``data`` (the uploaded file ``name``), or ``UploadRefused``."""
    source_sha256 = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise UploadRefused(f"{name} is empty")
    if data.startswith(PDF_MAGIC):
        text, pages = _pdf_text(data, name, seconds)
        kind = "PDF"
    else:
        text, pages, kind = _plain_text(data, name), None, "text"
    text = tidy(text)
    if not text:
        raise UploadRefused(f"{name} has no text that can be extracted: a scanned PDF holds "
                            "pictures of pages, not text. Upload a PDF with a text layer, or "
                            "the program's text as a .txt file. Nothing was stored.")
    too_large = size_problem(len(text.encode("utf-8")), MAX_PROGRAM_BYTES)
    if too_large is not None:
        raise UploadRefused(f"The text of {name} {too_large}, more than a program may have")
    return ExtractedProgram(text, source_sha256, kind, pages)


def program_file_name(party_id: str, current: str, taken: set[str]) -> str:
    """The file ``content export`` writes an uploaded program to: the party's own file
    name, unless another party of the quiz names that file too (its text would be
    overwritten); else ``<party-id>.txt``, numbered when that is taken as well."""
    if current and current not in taken:
        return current
    stem = party_id[:PROGRAM_FILE_LENGTH - 10]  # room for "-99.txt"
    name, number = f"{stem}.txt", 2
    while name in taken:
        name, number = f"{stem}-{number}.txt", number + 1
    return name


def tidy(text: str) -> str:
    """Line breaks as ``\\n``, no spaces at line ends, page breaks as line breaks, no other
    control characters, no blank lines at either end; one ``\\n`` at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _LINE_END_SPACE.sub("", _CONTROL.sub("", text) + "\n")
    return text.strip("\n").rstrip() + "\n" if text.strip() else ""


def _plain_text(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise UploadRefused(f"{name} is neither a PDF nor text (it holds NUL bytes, like "
                            "a binary file). Upload the program as a PDF or as UTF-8 text.")
    if len(data) > MAX_PROGRAM_BYTES:
        raise UploadRefused(f"{name} {size_problem(len(data), MAX_PROGRAM_BYTES)}, more than "
                            "a program's text may have")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UploadRefused(f"{name} is not UTF-8 text (line {line} holds a byte that is not "
                            "UTF-8). Save it as UTF-8, or upload the PDF.") from None


def _pdf_text(data: bytes, name: str, seconds: float) -> tuple[str, int]:
    """The PDF's text from a child process (``valgomat.content.pdf_text``), killed after
    ``seconds``. A command of its own rather than a forked worker: nothing of the
    server's state (threads, database connections) is copied into it."""
    command = [sys.executable, "-m", PDF_TEXT_MODULE, str(MAX_PDF_PAGES),
               str(MAX_PROGRAM_BYTES)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=seconds,
                              check=False)
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise UploadRefused(f"Reading the text of {name} took longer than {seconds:g} "
                            "seconds, so it was stopped (the PDF may be damaged or built "
                            "to stall a server). Nothing was stored.") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or done.returncode != 0:
        raise UploadRefused(f"{name} could not be read: the reading process ended without "
                            "a result. Nothing was stored.")
    if "refused" in answer:
        raise UploadRefused(f"{name} {answer['refused']}. Nothing was stored.")
    return str(answer["text"]), int(answer["pages"])
