"""Editors add or replace a party's program by uploading a PDF or a text file: the text is
extracted, reviewed and corrected, then saved with the uploaded file's hash; quotes the
new text lacks are listed and block publishing (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import FIXTURE_CONTENT, make_app
from tests.pdfs import pdf_document
from valgomat.content import lifecycle
from valgomat.content.files import read_content
from valgomat.content.program_upload import MAX_UPLOAD_BYTES
from valgomat.extensions import db
from valgomat.storage import models
from valgomat.storage.programs import program_text

GREEN = "/editor/quizzes/fixture/parties/fjellvik-green"
RED = "/editor/quizzes/fixture/parties/fjellvik-red"
PROGRAM_URL = "https://example.org/gronn-framtid-2027.pdf"
GREEN_PROGRAM = FIXTURE_CONTENT / "programs/fixture/fjellvik-green-2027-2031.txt"
# The fixture program as a two-page PDF, with one word misspelt as a bad extraction would.
MISSPELT = ("Velferd skal ikke være et marked.", "Velferd skal ikke vere et marked.")


def green_pages() -> list[list[str]]:
    lines = [line for line in GREEN_PROGRAM.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    lines = [line.replace(*MISSPELT) for line in lines]
    return [lines[:len(lines) // 2], lines[len(lines) // 2:]]


def party(app: Flask, slug: str) -> dict[str, str]:
    with app.app_context():
        row = db.session.scalar(select(models.Party).where(models.Party.slug == slug))
        return dict(row.program)


def lock_of(app: Flask, slug: str) -> str:
    with app.app_context():
        return str(db.session.scalar(select(models.Party.lock_version)
                                     .where(models.Party.slug == slug)))


def stored_texts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(models.ProgramText))


def upload(client: FlaskClient, path: str, data: bytes, name: str, **fields: str):
    """Open the upload page (for the party's lock) and upload ``data`` as ``name``."""
    form = client.get(f"{path}/program")
    lock = hidden(form.get_data(as_text=True), "lock_version") if form.status_code == 200 \
        else ""
    return client.post(f"{path}/program", content_type="multipart/form-data", data={
        "file": (io.BytesIO(data), name), "title": "Grønn framtid 2027–2031",
        "url": PROGRAM_URL, "publisher": "Grønn framtid Fjellvik", "date": "2027–2031",
        "language": "nb", "lock_version": lock, **fields})


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def textarea(page: str) -> str:
    found = re.search(r'<textarea[^>]*name="text"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    assert found is not None
    return found.group(1).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")


def save(client: FlaskClient, path: str, review: str, text: str, **fields: str):
    return client.post(f"{path}/program/save", data={
        "text": text, "receipt": hidden(review, "receipt"),
        "lock_version": hidden(review, "lock_version"), "title": "Grønn framtid 2027–2031",
        "url": PROGRAM_URL, "publisher": "Grønn framtid Fjellvik", "date": "2027–2031",
        "language": "nb", **fields})


def test_a_pdf_is_extracted_reviewed_corrected_and_saved(loaded_app: Flask,
                                                         editor_client: FlaskClient) -> None:
    pdf = pdf_document(green_pages())
    texts_before = stored_texts(loaded_app)
    review = upload(editor_client, GREEN, pdf, "program.pdf")
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "Extracted from <strong>program.pdf</strong> (PDF, 2 pages" in page
    assert hashlib.sha256(pdf).hexdigest() in page
    extracted = textarea(page)
    assert MISSPELT[1] in extracted and "Nærskolen er hjertet i bygda." in extracted
    assert stored_texts(loaded_app) == texts_before  # nothing is stored before the review
    corrected = extracted.replace(*reversed(MISSPELT)).replace("\n", "\r\n")
    saved = save(editor_client, GREEN, page, corrected)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{GREEN}#program")
    program = party(loaded_app, "fjellvik-green")
    text = extracted.replace(*reversed(MISSPELT)) + "\n"  # saved as a text file ends
    assert program["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert program["source_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert (program["url"], program["file"], program["language"]) == (
        PROGRAM_URL, "fjellvik-green-2027-2031.txt", "nb")
    with loaded_app.app_context():
        assert program_text(program["sha256"]) == text
        change = db.session.scalars(select(models.Change).where(
            models.Change.entity == "party").order_by(models.Change.id.desc())).first()
        assert change.user_email == "editor@example.org"
        assert change.after["program"]["source_sha256"] == program["source_sha256"]
    shown = editor_client.get(GREEN).get_data(as_text=True)
    assert "Every quote of this party stands in its program." in shown
    assert program["source_sha256"] in shown and PROGRAM_URL in shown


def test_a_text_upload_gives_a_party_its_first_program(loaded_app: Flask,
                                                       editor_client: FlaskClient) -> None:
    text = "Rødt Fjellvik\r\nVi vil ha  gratis barnehage.   \r\n\r\n\r\n"
    review = upload(editor_client, RED, ("\ufeff" + text).encode(), "rødt.txt")
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "(text;" in page
    assert textarea(page) == "Rødt Fjellvik\nVi vil ha  gratis barnehage."
    assert save(editor_client, RED, page, textarea(page)).status_code == 302
    program = party(loaded_app, "fjellvik-red")
    assert program["file"] == "fjellvik-red.txt"
    with loaded_app.app_context():
        assert program_text(program["sha256"]) == "Rødt Fjellvik\nVi vil ha  gratis barnehage.\n"
    # Its quotes are not in this text: listed on the party page with the closest passage.
    shown = editor_client.get(RED).get_data(as_text=True)
    assert "not in its program" in shown and "Closest passage in the program" in shown


@pytest.mark.parametrize(("data", "name", "message"), [
    ("Slutt på teksten.\n".encode("latin-1"), "latin1.txt",
     "latin1.txt is not UTF-8 text (line 1 holds a byte that is not UTF-8)"),
    (pdf_document([[], []]), "scan.pdf", "scan.pdf has no text that can be extracted"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 40, "fake.pdf", "fake.pdf cannot be read as a PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "program.pdf", "program.pdf is neither a PDF "
     "nor text"),
    (b"", "empty.txt", "empty.txt is empty"),
])
def test_bad_uploads_are_refused_with_a_message_and_store_nothing(
        loaded_app: Flask, editor_client: FlaskClient, data: bytes, name: str,
        message: str) -> None:
    before, texts = party(loaded_app, "fjellvik-green"), stored_texts(loaded_app)
    response = upload(editor_client, GREEN, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert party(loaded_app, "fjellvik-green") == before
    assert stored_texts(loaded_app) == texts


def test_an_upload_over_the_limit_is_a_clear_413(loaded_app: Flask,
                                                 editor_client: FlaskClient) -> None:
    big = b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_BYTES + 64 * 1024)
    # Encoded in memory: the test client would spool so large a body to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "big.pdf"),
                                       "title": "Grønn framtid"})
    response = editor_client.post(f"{GREEN}/program", data=body,
                                  content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "larger than 20 MB, the most a program upload may be" in response.get_data(
        as_text=True)


def test_a_replacement_that_drops_a_quote_is_listed_and_cannot_be_published(
        loaded_app: Flask, admin_client: FlaskClient) -> None:
    pages = green_pages()
    pages = [[line.replace("Nærskolen er hjertet i bygda.", "Skolen er hjertet i bygda.")
              .replace(MISSPELT[1], MISSPELT[0]) for line in lines] for lines in pages]
    page = upload(admin_client, GREEN, pdf_document(pages), "new.pdf").get_data(as_text=True)
    assert save(admin_client, GREEN, page, textarea(page)).status_code == 302
    shown = admin_client.get(GREEN).get_data(as_text=True)
    assert "1 quote of this party is not in its program" in shown
    assert "Quote: “Nærskolen er hjertet i bygda.”" in shown
    assert "Closest passage in the program: “Skolen er hjertet i bygda.”" in shown
    publish = admin_client.get("/editor/quizzes/fixture/publish").get_data(as_text=True)
    assert "quote not found in programs/fixture/fjellvik-green-2027-2031.txt" in publish
    refused = admin_client.post("/editor/quizzes/fixture/publish",
                                data={"confirm": "y", "published_version": "1",
                                      "reason": "Publishing a quote that is not there."})
    assert refused.status_code == 400
    with loaded_app.app_context():
        assert db.session.scalar(select(models.Quiz.published_version)
                                 .where(models.Quiz.slug == "fixture")) == 1


def test_a_forged_receipt_or_another_partys_saves_nothing(loaded_app: Flask,
                                                          editor_client: FlaskClient) -> None:
    page = upload(editor_client, GREEN, b"Et nytt program.\n", "p.txt").get_data(as_text=True)
    before, texts = party(loaded_app, "fjellvik-red"), stored_texts(loaded_app)
    other = save(editor_client, RED, page, "Et nytt program.",
                 lock_version=lock_of(loaded_app, "fjellvik-red"))
    forged = save(editor_client, GREEN, page.replace(hidden(page, "receipt"),
                                                     hidden(page, "receipt")[:-2] + "xx"),
                  "Et nytt program.")
    for response in (other, forged):
        assert response.status_code == 400
        assert "upload receipt is not valid" in response.get_data(as_text=True)
    assert party(loaded_app, "fjellvik-red") == before and stored_texts(loaded_app) == texts


def test_a_change_to_the_party_meanwhile_is_a_conflict(loaded_app: Flask,
                                                       editor_client: FlaskClient) -> None:
    page = upload(editor_client, GREEN, b"Et nytt program.\n", "p.txt").get_data(as_text=True)
    with loaded_app.app_context():
        row = db.session.scalar(select(models.Party).where(models.Party.slug == "fjellvik-green"))
        row.name = "Grønn framtid"
        db.session.commit()
    before, texts = party(loaded_app, "fjellvik-green"), stored_texts(loaded_app)
    response = save(editor_client, GREEN, page, "Et nytt program.")
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone else saved this" in body
    assert "Et nytt program." in body  # the reviewed text is still in the form
    assert party(loaded_app, "fjellvik-green") == before and stored_texts(loaded_app) == texts


def test_upload_needs_login_and_a_csrf_token(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'csrf.sqlite3'}", tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        lifecycle.load_content(FIXTURE_CONTENT, publish=True)
        from valgomat.editor.auth import create_user

        create_user("editor@example.org", "correct horse battery", "editor")
    client = app.test_client()
    anonymous = upload(client, GREEN, b"Et program.\n", "p.txt")
    assert anonymous.status_code == 302 and "/editor/login" in anonymous.headers["Location"]
    page = client.get("/editor/login").get_data(as_text=True)
    client.post("/editor/login", data={"email": "editor@example.org",
                                       "password": "correct horse battery",
                                       "csrf_token": hidden(page, "csrf_token")})
    refused = upload(client, GREEN, b"Et program.\n", "p.txt")
    assert refused.status_code == 400 and "security token had expired or was missing" in \
        refused.get_data(as_text=True)
    form = client.get(f"{GREEN}/program").get_data(as_text=True)
    review = upload(client, GREEN, b"Et program.\n", "p.txt",
                    csrf_token=hidden(form, "csrf_token"))
    assert review.status_code == 200 and "Et program." in review.get_data(as_text=True)
    assert stored_texts(app) == 1  # the fixture's one program, nothing more


def test_an_uploaded_program_survives_export_and_load(loaded_app: Flask,
                                                      editor_client: FlaskClient,
                                                      tmp_path: Path) -> None:
    pdf = pdf_document(green_pages())
    page = upload(editor_client, GREEN, pdf, "program.pdf").get_data(as_text=True)
    text = textarea(page).replace(*reversed(MISSPELT)) + "\n"
    assert save(editor_client, GREEN, page, text).status_code == 302
    with loaded_app.app_context():
        lifecycle.export_content(tmp_path / "out", ["fixture"], None)
    written = tmp_path / "out/programs/fixture/fjellvik-green-2027-2031.txt"
    assert written.read_text(encoding="utf-8") == text
    assert f"source_sha256: {hashlib.sha256(pdf).hexdigest()}" in (
        tmp_path / "out/positions/fixture/fjellvik-green.yaml").read_text(encoding="utf-8")
    quizzes, problems = read_content(tmp_path / "out")
    assert problems == []
    program = next(q for q in quizzes if q.slug == "fixture").party("fjellvik-green").program
    assert program.source_sha256 == hashlib.sha256(pdf).hexdigest()
    assert program.sha256 == party(loaded_app, "fjellvik-green")["sha256"]
    with loaded_app.app_context():
        lifecycle.load_content(tmp_path / "out", publish=True)
    assert party(loaded_app, "fjellvik-green")["source_sha256"] == program.source_sha256
