"""The container of an accepted format walked to its end marker (JPEG EOI, PNG
IEND, WebP RIFF size): a file that ends early is incomplete; anything but
padding after the end, or HTML, script or PDF hidden in a metadata segment, is
refused as not purely an image (a polyglot)."""

from __future__ import annotations

import struct

from PIL import Image

from .refusals import _refuse_corrupt, _refuse_foreign, _refuse_incomplete

# Signs of a second format hidden inside metadata (JPEG APPn/COM, PNG ancillary
# chunks, WebP EXIF/XMP): a browser or PDF reader that sniffs the file would act
# on them. Compared in lower case.
FOREIGN_SIGNATURES = (
    b"<script",
    b"<html",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
    b"<!doctype",
    b"<?php",
    b"%pdf-",
)


class _Truncated(Exception):
    pass


class _Malformed(Exception):
    pass


def _is_padding(data: bytes) -> bool:
    # Some cameras pad a file with zeros or 0xFF after its end marker; such bytes
    # cannot carry a second format.
    return not data.strip(b"\x00\xff")


def _walk_jpeg(data: bytes, start: int, metadata: list[bytes]) -> tuple[int, int]:
    """Walk the JPEG beginning at ``start`` marker by marker, through each scan's
    entropy-coded data, to its EOI. Returns (offset just past EOI, offset of the
    MPF header or -1); APPn and COM payloads are appended to ``metadata``.

    Searching for the last FFD9 instead would be fooled by the EXIF thumbnail (a
    JPEG inside APP1) and by an appended file that contains FFD9 itself."""
    n = len(data)
    if data[start : start + 2] != b"\xff\xd8":
        raise _Malformed
    pos = start + 2
    mpf = -1
    while True:
        pos = data.find(b"\xff", pos)
        if pos == -1:
            raise _Truncated
        while pos < n and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= n:
            raise _Truncated
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos, mpf
        if marker == 0xD8:
            raise _Malformed
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            continue
        if pos + 2 > n:
            raise _Truncated
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            raise _Malformed
        body_start, pos = pos + 2, pos + length
        if pos > n:
            raise _Truncated
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            metadata.append(data[body_start:pos])
            if marker == 0xE2 and data[body_start : body_start + 4] == b"MPF\x00":
                mpf = body_start + 4
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos == -1 or pos + 1 >= n:
                    raise _Truncated
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2  # stuffed byte or restart marker: still in the scan
                elif following == 0xFF:
                    pos += 1
                else:
                    break


def _jpeg_end(im: Image.Image, data: bytes, metadata: list[bytes]) -> int:
    end, mpf = _walk_jpeg(data, 0, metadata)
    if im.format != "MPO":
        return end
    # The pictures an MPO declares follow the primary one; each must itself be a
    # whole JPEG, and only padding may sit between them.
    if mpf < 0:
        raise _Malformed
    try:
        entries = im.mpinfo[0xB002][1:]
        offsets = sorted(mpf + int(entry["DataOffset"]) for entry in entries)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _Malformed from exc
    for offset in offsets:
        if offset < end or offset >= len(data):
            raise _Malformed
        if not _is_padding(data[end:offset]):
            raise _Malformed
        end, _ignored = _walk_jpeg(data, offset, metadata)
    return end


# PNG chunks that hold pixels or are needed to decode them; every other chunk is
# metadata and is looked through for foreign content.
_PNG_IMAGE_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"fdAT", b"fcTL"}


def _png_end(data: bytes, metadata: list[bytes]) -> int:
    n = len(data)
    pos = 8  # after the signature, which Pillow has already matched
    while True:
        if pos + 8 > n:
            raise _Truncated
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length  # length, type, data, CRC
        if end > n:
            raise _Truncated
        if kind not in _PNG_IMAGE_CHUNKS:
            metadata.append(data[pos + 8 : pos + 8 + length])
        if kind == b"IEND":
            return end
        pos = end


_WEBP_IMAGE_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}


def _webp_end(data: bytes, metadata: list[bytes]) -> int:
    n = len(data)
    if n < 12:
        raise _Truncated
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = 8 + riff_size + (riff_size & 1)
    if end > n:
        raise _Truncated
    pos = 12
    while pos + 8 <= end:
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        if kind not in _WEBP_IMAGE_CHUNKS:
            metadata.append(data[pos + 8 : pos + 8 + length])
        pos += 8 + length + (length & 1)
    return end


def _check_container(im: Image.Image, data: bytes) -> None:
    """Refuse a file that ends early, has anything but padding after its end
    marker, or hides another format in its metadata. A second format placed
    before the image cannot pass: Pillow only recognises these formats by the
    signature in their first bytes."""
    metadata: list[bytes] = []
    try:
        if im.format in ("JPEG", "MPO"):
            end = _jpeg_end(im, data, metadata)
        elif im.format == "PNG":
            end = _png_end(data, metadata)
        else:
            end = _webp_end(data, metadata)
    except _Truncated:
        _refuse_incomplete()
    except (_Malformed, struct.error):
        _refuse_corrupt()
    if not _is_padding(data[end:]):
        _refuse_foreign()
    if any(_has_foreign_signature(chunk) for chunk in metadata):
        _refuse_foreign()


def _has_foreign_signature(chunk: bytes | str) -> bool:
    if isinstance(chunk, str):
        chunk = chunk.encode("utf-8", "replace")
    lowered = chunk.lower()
    return any(signature in lowered for signature in FOREIGN_SIGNATURES)
