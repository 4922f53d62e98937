"""Image files made in the photo tests, each bad kind with its refusal, and
small helpers shared by the photo test modules."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from activities.models import ReportPhoto


def jpeg(size=(400, 200), color="red", **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png(mode="RGB", size=(40, 30), color=None, **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG", **save)
    return buffer.getvalue()


def webp(size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "WEBP")
    return buffer.getvalue()


def mpo():
    # What phones write for Ultra HDR and depth photos: a JPEG whose MPF header
    # declares a second JPEG appended after the first one's end.
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))]
    )
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header declares ``width`` x ``height``: a pixel bomb that
    costs nothing to build because its pixels are never there."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_declaring(width, height):
    """A small JPEG with its frame header rewritten to declare a huge size."""
    data = bytearray(jpeg((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_with_html_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<html><body><script>alert(1)</script>", zip=True)
    return png(pnginfo=info)


def gps_photo(size=(400, 200)):
    """A camera JPEG: left half red, right half blue, orientation 6 (the camera was
    turned: show it rotated 90° clockwise), a GPS position and a maker note."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (22.0, 55.0, 12.5)
    gps[3], gps[4] = "E", (112.0, 2.0, 30.25)
    im = Image.new("RGB", size, (255, 0, 0))
    im.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", exif=exif, quality=95)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # really there
    return data


def upload(data, name="IMG_20230225_101010.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# Each bad kind: the bytes, the refusal code and a word of the Chinese message.
BAD_FILES = {
    "text named .jpg": (
        lambda: "这不是图片，只是文字。".encode(),
        "not_image",
        "不是图片",
    ),
    "empty file": (lambda: b"", "not_image", "不是图片"),
    "truncated JPEG": (lambda: gps_photo()[:-400], "truncated", "不完整"),
    "JPEG cut in its header": (lambda: jpeg()[:300], "truncated", "不完整"),
    "truncated PNG": (lambda: png(size=(300, 200))[:-20], "truncated", "不完整"),
    "truncated WebP": (lambda: webp()[:-10], "truncated", "不完整"),
    "PNG bomb 30000x30000": (
        lambda: png_declaring(30000, 30000),
        "too_many_pixels",
        "像素过多",
    ),
    "PNG over the pixel limit": (
        lambda: png_declaring(8000, 6000),
        "too_many_pixels",
        "像素过多",
    ),
    "JPEG bomb 60000x60000": (
        lambda: jpeg_declaring(60000, 60000),
        "too_many_pixels",
        "像素过多",
    ),
    "JPEG + ZIP": (lambda: jpeg() + zip_bytes(), "polyglot", "包含图片以外的数据"),
    "PNG + HTML": (
        lambda: png() + b"<html><script>alert(1)</script></html>",
        "polyglot",
        "包含图片以外的数据",
    ),
    "WebP + ZIP": (lambda: webp() + zip_bytes(), "polyglot", "包含图片以外的数据"),
    "MPO + ZIP": (lambda: mpo() + zip_bytes(), "polyglot", "包含图片以外的数据"),
    "JPEG with script in a comment": (
        lambda: jpeg(comment=b"<script>alert(1)</script>"),
        "polyglot",
        "包含图片以外的数据",
    ),
    "PNG with HTML in a compressed text chunk": (
        png_with_html_text,
        "polyglot",
        "包含图片以外的数据",
    ),
    "GIF": (
        lambda: _saved(Image.new("P", (20, 20)), "GIF"),
        "format",
        "只接受 JPEG、PNG、WebP",
    ),
    "BMP named .jpg": (
        lambda: _saved(Image.new("RGB", (20, 20)), "BMP"),
        "format",
        "只接受 JPEG、PNG、WebP",
    ),
    "HEIC": (
        lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
        "format",
        "HEIC",
    ),
}


def _saved(im, fmt, **save):
    buffer = io.BytesIO()
    im.save(buffer, fmt, **save)
    return buffer.getvalue()


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _open(data):
    return Image.open(io.BytesIO(data))


def _assert_nothing_stored(report, settings):
    assert not ReportPhoto.objects.filter(report=report).exists()
    assert media_files(settings) == []
