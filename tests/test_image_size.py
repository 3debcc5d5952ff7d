"""Pixel sizes read from image headers, for every header kind a logo can have."""

from __future__ import annotations

import struct

from tests.images import jpeg_header, png, webp_header
from valgomat.content.image_size import image_size


def riff(chunk: bytes, payload: bytes) -> bytes:
    body = b"WEBP" + chunk + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_png_jpeg_and_extended_webp() -> None:
    assert image_size(png(300, 20)) == (300, 20)
    assert image_size(jpeg_header(4000, 3000)) == (4000, 3000)
    assert image_size(webp_header(2001, 10)) == (2001, 10)


def test_progressive_jpeg_after_fill_bytes_and_restart_markers() -> None:
    progressive = jpeg_header(640, 480).replace(b"\xff\xc0", b"\xff\xff\xff\xc2")
    assert image_size(progressive) == (640, 480)
    assert image_size(b"\xff\xd8\xff\xd0" + jpeg_header(10, 20)[2:]) == (10, 20)


def test_lossy_and_lossless_webp() -> None:
    lossy = b"\x00\x00\x00\x9d\x01\x2a" + struct.pack("<HH", 1024, 768)
    assert image_size(riff(b"VP8 ", lossy)) == (1024, 768)
    bits = (5000 - 1) | ((12 - 1) << 14)
    assert image_size(riff(b"VP8L", b"\x2f" + bits.to_bytes(4, "little"))) == (5000, 12)


def test_unreadable_headers_give_none() -> None:
    for data in (b"", b"GIF89a", png(10, 10)[:20], b"\xff\xd8\xff\xda\x00\x02",
                 b"\xff\xd8\xff\xd9", jpeg_header(0, 10), b"RIFF\x00\x00\x00\x00WEBPVP8Zxxxx",
                 png(10, 10).replace(b"IHDR", b"IHDX")):
        assert image_size(data) is None, data
