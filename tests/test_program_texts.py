"""Program texts are kept once per content, and read back by their SHA-256."""

from __future__ import annotations

import hashlib

from flask import Flask
from sqlalchemy import func, select

from valgomat.extensions import db
from valgomat.storage.models import ProgramText
from valgomat.storage.programs import program_text, store_program_text

TEXT = "Vi vil ha gratis kollektivtransport.\nÆrlig talt: åpne barnehager hele året.\n"


def test_a_text_is_stored_once_and_read_back_by_its_hash(app: Flask) -> None:
    with app.app_context():
        sha256 = store_program_text(TEXT)
        assert sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
        assert store_program_text(TEXT) == sha256
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ProgramText)) == 1
        assert program_text(sha256) == TEXT
        assert program_text(sha256) == TEXT  # the second read comes from the worker's cache


def test_an_unknown_hash_has_no_text(app: Flask) -> None:
    with app.app_context():
        assert program_text("0" * 64) is None
        other = store_program_text(TEXT + "!")
        db.session.commit()
        assert program_text("0" * 64) is None
        assert program_text(other) == TEXT + "!"
