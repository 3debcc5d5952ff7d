"""Program texts, kept once per content (SHA-256 of the UTF-8 text).

``content load`` stores each party's program here, and a published version's
``Program.sha256`` names its text, so the voters' in-context page can show the
exact text the quotes were checked against. A hash always names the same text,
so each worker caches what it has read without ever invalidating it.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import select

from valgomat.core.content.programs import text_sha256
from valgomat.extensions import db
from valgomat.storage.models import ProgramText

# Programs are tens of kilobytes (2 MB at most): a few dozen per worker is plenty.
_CACHE_SIZE = 32
_cache: OrderedDict[str, str] = OrderedDict()


def store_program_text(text: str) -> str:
    """Keep ``text`` (once) and return its SHA-256. Flushes; the caller commits."""
    sha256 = text_sha256(text)
    if db.session.get(ProgramText, sha256) is None:
        db.session.add(ProgramText(sha256=sha256, text=text))
        db.session.flush()
    return sha256


def program_text(sha256: str) -> str | None:
    """The program text stored under ``sha256``, or None."""
    if sha256 in _cache:
        _cache.move_to_end(sha256)
        return _cache[sha256]
    text = db.session.scalar(select(ProgramText.text).where(ProgramText.sha256 == sha256))
    if text is not None:
        _cache[sha256] = text
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return text
