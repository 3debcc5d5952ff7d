"""A PDF's text with pypdf, in a child process that the caller can kill.

Hostile PDFs can make a parser loop for minutes or inflate a few kilobytes into
gigabytes, so ``valgomat.content.program_upload`` runs this module as a command of its
own (``python -m valgomat.content.pdf_text MAX_PAGES MAX_CHARACTERS``) with a time
limit, and the command caps its own address space. It reads the PDF from standard input
and writes one JSON object: ``{"text": ..., "pages": ...}`` or ``{"refused": why}``.
"""

from __future__ import annotations

import io
import json
import logging
import resource
import sys
import warnings

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

# Address space of the extracting process: pypdf's own stream limits keep a sane PDF far
# below this; past it an allocation fails (MemoryError) instead of starving the server.
CHILD_MEMORY_BYTES = 2 * 1024**3


class Refused(Exception):
    """The PDF cannot give a program's text; the message says why."""


def main() -> None:
    """The child's whole work: read the PDF, extract, write one JSON object."""
    max_pages, max_chars = int(sys.argv[1]), int(sys.argv[2])
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > CHILD_MEMORY_BYTES:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, hard))
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings go nowhere here
    warnings.simplefilter("ignore")
    try:
        text, pages = pdf_text(sys.stdin.buffer.read(), max_pages, max_chars)
        answer: dict[str, object] = {"text": text, "pages": pages}
    except Refused as refused:
        answer = {"refused": str(refused)}
    except (LimitReachedError, MemoryError):
        answer = {"refused": "unpacks to more data than a program may take (the PDF may be "
                             "damaged or built to exhaust a server)"}
    except Exception as exc:  # hostile input breaks parsers in any way (PyPdfError and others)
        answer = {"refused": f"cannot be read as a PDF ({type(exc).__name__})"}
    sys.stdout.write(json.dumps(answer))


def pdf_text(data: bytes, max_pages: int, max_chars: int) -> tuple[str, int]:
    """The text of every page, pages separated by a blank line, and the page count."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        _decrypt(reader)
    pages = len(reader.pages)
    if pages > max_pages:
        raise Refused(f"has {pages:,} pages (at most {max_pages:,})")
    texts: list[str] = []
    length = 0
    for page in reader.pages:
        texts.append(page.extract_text())
        length += len(texts[-1])
        if length > max_chars:
            raise Refused(f"holds more text than a program may have (over {max_chars:,} "
                          "characters)")
    return "\n\n".join(texts), pages


def _decrypt(reader: PdfReader) -> None:
    """Open a PDF protected by an owner password only (it opens without one); refuse the
    ones that need a password to be read."""
    try:
        opened = reader.decrypt("")
    except (DependencyError, PyPdfError, NotImplementedError):
        opened = PasswordType.NOT_DECRYPTED
    if opened == PasswordType.NOT_DECRYPTED:
        raise Refused("is encrypted and needs a password to be read: save it without "
                      "protection, or export its text")


if __name__ == "__main__":
    main()
