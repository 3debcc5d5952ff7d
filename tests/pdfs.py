"""Small PDFs written by hand for the upload tests: text pages, a page without text."""

from __future__ import annotations


def _literal(text: str) -> bytes:
    """A PDF string literal in WinAnsi (Latin-1 for the letters the tests use)."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252") + b")"


def _content_stream(lines: list[str]) -> bytes:
    shown = b"".join(_literal(line) + b" Tj T* " for line in lines)
    return b"BT /F1 11 Tf 14 TL 72 760 Td " + shown + b"ET"


def pdf_document(pages: list[list[str]], flate_stream: bytes | None = None) -> bytes:
    """A valid PDF with one page per item, each showing its lines of text (an empty list
    gives a page without any text, like a scanned page without its picture). With
    ``flate_stream``, every page's content is that zlib-compressed stream instead."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        stream = flate_stream or (_content_stream(lines) if lines else b"")
        kind = b" /Filter /FlateDecode" if flate_stream else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(stream), kind) + stream
                       + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                       % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return body
