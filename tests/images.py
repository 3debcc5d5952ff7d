"""Image files for upload tests: real PNGs of a given size, and bare JPEG/WebP headers."""

from __future__ import annotations

import os
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width: int, height: int, noise: bool = False, bit_depth: int = 8) -> bytes:
    """A valid PNG: grey, or random pixels (incompressible, so the file is about
    width × height bytes)."""
    row_bytes = (width * bit_depth + 7) // 8
    packer = zlib.compressobj(9)
    rows = [packer.compress(b"\x00" + (os.urandom(row_bytes) if noise else bytes(row_bytes)))
            for _ in range(height)]
    pixels = b"".join(rows) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels)
            + _chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a baseline JPEG: SOI, a JFIF APP0 segment and the SOF0 frame header."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    return (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0
            + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xd9")


def webp_header(width: int, height: int) -> bytes:
    """An extended (VP8X) WebP header giving the canvas size."""
    vp8x = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (
        height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body
