"""An uploaded program's text (valgomat.content.program_upload): told by content, limited
in size, extracted from PDFs in a killable child process, tidied but never reworded;
and the party files' ``source_sha256`` that keeps the uploaded file's hash."""

from __future__ import annotations

import hashlib
import io
import shutil
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tests.conftest import FIXTURE_CONTENT
from tests.pdfs import pdf_document
from valgomat.content import program_upload
from valgomat.content.files import read_content
from valgomat.content.program_upload import (
    MAX_UPLOAD_BYTES,
    UploadRefused,
    extract_program,
    program_file_name,
    read_upload,
    tidy,
)

PARTY = "positions/fixture/fjellvik-green.yaml"
DIGEST = hashlib.sha256(b"the uploaded file").hexdigest()


def refusal(data: bytes, name: str = "upload.bin", **options: float) -> str:
    with pytest.raises(UploadRefused) as refused:
        extract_program(data, name, **options)
    return str(refused.value)


def test_a_pdfs_text_comes_page_by_page_with_the_files_hash() -> None:
    pdf = pdf_document([["Vi vil styrke nærskolen.  ", "Bussen (alltid) skal gå."],
                        ["Side to: grønn økonomi."]])
    extracted = extract_program(pdf, "program.pdf")
    assert extracted.text == ("Vi vil styrke nærskolen.\nBussen (alltid) skal gå.\n\n\n"
                              "Side to: grønn økonomi.\n")
    assert (extracted.kind, extracted.pages) == ("PDF", 2)
    assert extracted.source_sha256 == hashlib.sha256(pdf).hexdigest()


def test_text_is_told_by_content_not_by_name() -> None:
    extracted = extract_program("\ufeffEt program\r\nmed to linjer\r\n".encode(), "x.pdf")
    assert (extracted.kind, extracted.text) == ("text", "Et program\nmed to linjer\n")
    pdf = extract_program(pdf_document([["Tekst i en PDF."]]), "program.txt")
    assert (pdf.kind, pdf.text) == ("PDF", "Tekst i en PDF.\n")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "upload.bin is empty"),
    (b"abc\x00def", "upload.bin is neither a PDF nor text (it holds NUL bytes"),
    (b"linje en\nlinje to \xe6\xf8\xe5\n", "upload.bin is not UTF-8 text (line 2 holds"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 8, "upload.bin cannot be read as a PDF"),
    (b"%PDF-", "upload.bin cannot be read as a PDF"),
    (pdf_document([[], []]), "upload.bin has no text that can be extracted: a scanned PDF"),
])
def test_what_gives_no_program_text_is_refused_with_its_name(data: bytes,
                                                             message: str) -> None:
    assert refusal(data).startswith(message)


def test_an_encrypted_pdf_opens_without_a_password_only_when_it_needs_none() -> None:
    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_document([["Hemmelig."]]))))
        writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert extract_program(encrypted(""), "open.pdf").text == "Hemmelig.\n"
    assert "locked.pdf is encrypted and needs a password" in refusal(encrypted("pw"),
                                                                     "locked.pdf")


def test_a_decompression_bomb_is_refused() -> None:
    """A page whose 200 KB content stream inflates to 200 MB of text operators."""
    packer = zlib.compressobj(9)
    chunk = b"BT /F1 11 Tf (" + b"x" * (1024 * 1024) + b") Tj ET\n"
    bomb = b"".join(packer.compress(chunk) for _ in range(200)) + packer.flush()
    assert len(bomb) < 1024 * 1024
    message = refusal(pdf_document([["a"]], flate_stream=bomb), "bomb.pdf")
    assert message.startswith("bomb.pdf unpacks to more data than a program may take")


def test_pdf_extraction_is_stopped_at_its_time_limit() -> None:
    message = refusal(pdf_document([["Tekst."]]), "slow.pdf", seconds=0.001)
    assert message.startswith("Reading the text of slow.pdf took longer than 0.001 seconds")


def test_page_and_text_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(program_upload, "MAX_PDF_PAGES", 2)
    assert "has 3 pages (at most 2)" in refusal(pdf_document([["a"], ["b"], ["c"]]))
    monkeypatch.setattr(program_upload, "MAX_PROGRAM_BYTES", 20)
    assert "holds more text than a program may have" in refusal(
        pdf_document([["Denne linjen er lengre enn tjue tegn."]]))
    assert refusal(b"Denne teksten er lengre enn tjue byte.").startswith(
        "upload.bin is 38 bytes (at most 0 MB = 20 bytes)")


def test_an_upload_is_read_no_further_than_one_byte_past_the_limit() -> None:
    exact = io.BytesIO(b"x" * MAX_UPLOAD_BYTES)
    assert len(read_upload(exact, "ok.pdf")) == MAX_UPLOAD_BYTES
    over = io.BytesIO(b"x" * (MAX_UPLOAD_BYTES + 100))
    with pytest.raises(UploadRefused, match="big.pdf is larger than 20 MB"):
        read_upload(over, "big.pdf")
    assert over.tell() == MAX_UPLOAD_BYTES + 1


def test_tidy_changes_whitespace_and_control_characters_only() -> None:
    assert tidy("\n\n  Tittel  \r\nLinje\x0cneste side\x07 slutt\t\r\n\n") == (
        "  Tittel\nLinje\nneste side slutt\n")
    assert tidy(" \n\x01\n") == ""
    assert tidy("Et ord.\n") == "Et ord.\n"


def test_the_file_name_is_the_partys_own_unless_another_party_shares_it() -> None:
    assert program_file_name("ap", "ap-2027.md", {"h.txt"}) == "ap-2027.md"
    assert program_file_name("ap", "", set()) == "ap.txt"
    assert program_file_name("ap", "felles.txt", {"felles.txt", "ap.txt"}) == "ap-2.txt"
    long_name = program_file_name("p" * 100, "", set())
    assert len(long_name) <= 100 and long_name.endswith(".txt")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def with_source(content: Path, value: str) -> None:
    path = content / PARTY
    text = path.read_text(encoding="utf-8")
    old = "  file: fjellvik-green-2027-2031.txt\n"
    path.write_text(text.replace(old, f"{old}  source_sha256: {value}\n"), encoding="utf-8")


def test_source_sha256_is_kept_and_checked_strictly(content: Path) -> None:
    with_source(content, DIGEST)
    quizzes, problems = read_content(content)
    assert problems == []
    program = next(q for q in quizzes if q.slug == "fixture").party("fjellvik-green").program
    assert program.source_sha256 == DIGEST
    with_source(content, DIGEST.upper())  # a second key: both are reported
    _, problems = read_content(content)
    assert any(f"program source_sha256 '{DIGEST.upper()}' is not a SHA-256 (64 lowercase "
               "hexadecimal digits)" == p.message for p in problems)


@pytest.mark.parametrize("value", [DIGEST[:-1], DIGEST + "0", "x" * 64, '""'])
def test_a_source_sha256_that_is_not_one_is_a_problem(content: Path, value: str) -> None:
    with_source(content, value)
    _, problems = read_content(content)
    assert len(problems) == 1 and "program source_sha256" in problems[0].message
