"""Report photos: the Pillow pipeline and the services that store them.

``process_image`` turns uploaded bytes into three JPEG renditions (thumbnail, web,
print) or refuses them with a Chinese ``ValidationError``. The order of the checks
is chosen so that nothing expensive happens to a file that can be refused cheaply:

1. byte size (before anything is parsed);
2. what Pillow detects from the content (never the file name or content type);
3. the pixel count declared in the header, before a single pixel is decoded;
4. the container walked to its end marker (JPEG EOI, PNG IEND, WebP RIFF size):
   missing end -> incomplete; anything but padding after it, or HTML, script or
   PDF hidden in a metadata segment -> refused as not purely an image (a polyglot);
5. ``Image.verify`` on one open, then a decode of every byte on a second open,
   so a file cut short fails here too (``LOAD_TRUNCATED_IMAGES`` stays off).

The renditions are re-encoded from decoded pixels, with EXIF orientation applied
and colours converted to sRGB, and carry no EXIF, ICC, XMP or comment: GPS
positions and camera serial numbers never reach the disk. The uploaded bytes are
not kept; only their sha256, to refuse the same photo twice on one report.

Trusted code (``load_demo``, the Word import) adds photos while the report is a
draft, like a worker would, or passes a superuser as ``by``: a superuser may also
change the photos of a report under review.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageCms

from . import permissions
from .models import ActivityReport, ReportPhoto, Status
from .models.reports import PHOTO_MARKER_RE

# Pillow format names accepted. MPO is how Pillow names a JPEG that carries extra
# pictures declared in its MPF header (Ultra HDR gain maps, depth maps): phones
# write them as ordinary .jpg photos. GIF is refused: cameras do not produce it
# and its block structure is the classic host of GIF/JAR polyglots.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}

# Long side of each rendition in pixels; a smaller photo is never enlarged.
THUMB_SIZE = 320
WEB_SIZE = 1280
PRINT_SIZE = 2480  # A4 width at 300 dpi
# Print is kept close to the source; web and thumbnail are seen on phones.
QUALITY = {"print": 90, "web": 82, "thumb": 78}

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


@dataclass(frozen=True, slots=True)
class Renditions:
    """The three JPEG renditions of one photo, and facts about the original."""

    thumb: bytes
    web: bytes
    print_image: bytes
    width: int  # of the original, after EXIF orientation
    height: int
    sha256: str  # of the uploaded bytes


# --- Refusals ---------------------------------------------------------------------


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _refuse_too_big(size: int, limit: int):
    _refuse(
        _("图片太大：文件有 %(size)s，单张照片不能超过 %(limit)s。")
        % {"size": _mb(size), "limit": _mb(limit)},
        "too_large",
    )


def _refuse_pixels(width: int, height: int, limit: int):
    _refuse(
        _("图片像素过多：%(w)d×%(h)d，单张照片不能超过 %(limit)s 万像素。")
        % {"w": width, "h": height, "limit": f"{limit / 10000:g}"},
        "too_many_pixels",
    )


def _refuse_pixels_unknown(limit: int):
    # Pillow's own bomb check fired while reading the header, before the size
    # could be reported.
    _refuse(
        _("图片像素过多，单张照片不能超过 %(limit)s 万像素。")
        % {"limit": f"{limit / 10000:g}"},
        "too_many_pixels",
    )


def _refuse_incomplete():
    _refuse(_("图片文件不完整（可能没有上传完或已损坏），请重新上传。"), "truncated")


def _refuse_corrupt():
    _refuse(_("图片已损坏，无法读取，请重新导出后上传。"), "corrupt")


def _refuse_foreign():
    _refuse(
        _(
            "文件包含图片以外的数据，出于安全原因不能上传。"
            "手机的“动态照片”“实况照片”也会这样，请关闭后重拍，或另存为普通照片后上传。"
        ),
        "polyglot",
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- Container walks ----------------------------------------------------------------


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


# --- Pixels --------------------------------------------------------------------------


def _open(data: bytes) -> Image.Image:
    """Open (header only) with Pillow's decompression-bomb warning as an error.
    ``catch_warnings`` is process-wide; the explicit pixel check that follows every
    open is what holds under threads."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    width, height = size
    scale = longest / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


# EXIF orientation -> the transpose that shows the photo upright (the table of
# ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(im: Image.Image) -> int:
    try:
        return int(im.getexif().get(0x0112, 1))
    except Exception:  # an unreadable EXIF block: show the photo as stored
        return 1


def _to_displayable(im: Image.Image) -> Image.Image:
    """Bring any decoded mode to L, RGB or CMYK, alpha flattened onto white, so the
    later resize and colour conversion see opaque pixels (resizing with alpha
    would bleed dark fringes)."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit greyscale: keep the top 8 bits instead of clipping at 255.
        im = im.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    elif im.mode in ("P", "PA"):
        transparent = im.mode == "PA" or "transparency" in im.info
        im = im.convert("RGBA" if transparent else "RGB")
    elif im.mode in ("1", "LA", "La"):
        im = im.convert("RGBA" if im.mode != "1" else "L")
    if im.mode in ("RGBA", "RGBa"):
        background = Image.new("RGB", im.size, "white")
        background.paste(im.convert("RGBA"), mask=im.getchannel("A"))
        im = background
    if im.mode not in ("L", "RGB", "CMYK"):
        im = im.convert("RGB")
    return im


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_PROFILE_MODES = {"RGB ": "RGB", "CMYK": "CMYK", "GRAY": "L"}


def _to_srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB pixels in sRGB. The ICC profile is not written to the renditions, so a
    photo in Display P3 or Adobe RGB (or CMYK) is converted first; otherwise its
    colours would shift once the profile is gone."""
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if _PROFILE_MODES.get(profile.profile.xcolor_space) == im.mode:
                return ImageCms.profileToProfile(im, profile, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: take the pixels as they are
    return im.convert("RGB")


def _jpeg(im: Image.Image, quality: int, progressive: bool = False) -> bytes:
    # A resized image inherits ``info`` from its source; the JPEG writer would
    # copy a comment from it, so it is emptied. EXIF, ICC and XMP are only written
    # when passed to save(), which never happens here.
    im.info = {}
    out = io.BytesIO()
    # Progressive only where it shows: the web image loads coarse-to-fine on a
    # slow phone connection. It costs several times the encoding time of a
    # baseline JPEG, which is wasted on print files and tiny thumbnails.
    im.save(out, "JPEG", quality=quality, progressive=progressive)
    return out.getvalue()


_SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1")


def _refuse_unreadable(data: bytes):
    """Pillow could not read the header: say why as precisely as the first bytes
    allow (a photo cut short, a HEIC photo, something that is no image at all)."""
    kind = next((k for sig, k in _SIGNATURES.items() if data.startswith(sig)), None)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "WEBP"
    if kind:
        try:
            if kind == "JPEG":
                _walk_jpeg(data, 0, [])
            elif kind == "PNG":
                _png_end(data, [])
            else:
                _webp_end(data, [])
        except _Truncated:
            _refuse_incomplete()
        except (_Malformed, struct.error):
            pass
        _refuse_corrupt()
    if data[4:12] in _HEIF_BRANDS:
        _refuse(
            _(
                "这是 HEIC 格式的照片，暂不支持。请在手机相机设置中选择"
                "“兼容性最佳”（JPEG），或导出为 JPEG 后上传。"
            ),
            "format",
        )
    _refuse(_("这个文件不是图片，请上传 JPEG、PNG 或 WebP 照片。"), "not_image")


def process_image(data: bytes) -> Renditions:
    """Verify ``data`` as a photo and make its renditions, or raise ValidationError
    with a Chinese message and a code (too_large, not_image, format,
    too_many_pixels, truncated, corrupt, polyglot)."""
    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    max_pixels = settings.PHOTO_MAX_PIXELS
    if len(data) > max_bytes:
        _refuse_too_big(len(data), max_bytes)
    if not data:
        _refuse(_("文件是空的，不是图片。"), "not_image")

    try:
        im = _open(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse_pixels_unknown(max_pixels)
    except Exception:  # Pillow raises many types on a malformed header
        _refuse_unreadable(data)
    if im.format not in ACCEPTED_FORMATS:
        _refuse(
            _("只接受 JPEG、PNG、WebP 格式的照片，这个文件是 %(f)s 格式。")
            % {"f": im.format},
            "format",
        )
    width, height = im.size
    # Pillow's own threshold counts too, should the setting ever be set above it.
    pixel_limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    if width * height > pixel_limit:
        _refuse_pixels(width, height, pixel_limit)

    _check_container(im, data)

    try:
        im.verify()
    except Exception:
        _refuse_corrupt()

    try:
        im = _open(data)
        orientation = _orientation(im)
        icc = im.info.get("icc_profile")
        # Decode a large JPEG straight at the smallest DCT scale that still covers
        # the print size: the decoder reads every byte either way, so a file cut
        # short fails just the same.
        if im.format in ("JPEG", "MPO"):
            im.draft(None, _fit(im.size, PRINT_SIZE))
        im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse_pixels_unknown(max_pixels)
    except OSError as exc:
        if "truncated" in str(exc):
            _refuse_incomplete()
        _refuse_corrupt()
    except Exception:
        _refuse_corrupt()

    # Text chunks of a PNG are only decompressed by load(): look at them now.
    if any(
        _has_foreign_signature(value)
        for value in im.info.values()
        if isinstance(value, (str, bytes)) and not isinstance(value, bytearray)
    ):
        _refuse_foreign()

    try:
        im = _to_displayable(im)
        print_size = _fit(im.size, PRINT_SIZE)
        if print_size != im.size:
            im = im.resize(print_size, Image.Resampling.BICUBIC)
        # Turned after the first reduction: the same picture as
        # ImageOps.exif_transpose on the full decode, for a third of the work
        # (and the flattening above has already dropped the EXIF it would read).
        if orientation in _TRANSPOSE:
            im = im.transpose(_TRANSPOSE[orientation])
        print_im = _to_srgb(im, icc)
        web_im = print_im.resize(
            _fit(print_im.size, WEB_SIZE), Image.Resampling.BICUBIC
        )
        thumb_im = web_im.resize(
            _fit(web_im.size, THUMB_SIZE), Image.Resampling.LANCZOS
        )
        renditions = {
            "print_image": _jpeg(print_im, QUALITY["print"]),
            "web": _jpeg(web_im, QUALITY["web"], progressive=True),
            "thumb": _jpeg(thumb_im, QUALITY["thumb"]),
        }
    except Exception:
        _refuse_corrupt()

    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Renditions(
        **renditions,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def read_upload(file) -> bytes:
    """The bytes of an uploaded file (or a Django File, a binary stream or bytes),
    reading no more than one byte past the limit so a huge upload is refused
    without being pulled into memory."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        return bytes(file)
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        _refuse_too_big(size, limit)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(limit + 1)


# --- Services --------------------------------------------------------------------


def _check_editable(status: str, by) -> None:
    # A superuser may still correct the photos of a submitted or approved report
    # (repairs, demo data); for everyone else the photos freeze with the text.
    if status not in (Status.DRAFT, Status.RETURNED) and not by.is_superuser:
        raise ValidationError(
            _("报告当前状态为“%(s)s”，不能修改照片。") % {"s": Status(status).label},
            code="not_editable",
        )


def _locked_editable_report(report: ActivityReport, by) -> ActivityReport:
    """Check the user may change the report's photos, with the report row locked so
    a concurrent submit or upload waits for us."""
    if not permissions.can_write(by, report):
        raise PermissionDenied
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(current.status, by)
    return current


def report_photo_add(
    *,
    report: ActivityReport,
    by,
    file,
    caption: str = "",
    shows_people=False,
    consent=False,
) -> ReportPhoto:
    """Verify the uploaded file, store its three renditions under random names and
    add it as the report's last photo. Raises PermissionDenied, or ValidationError
    with a Chinese message (bad file, duplicate, report not editable, a photo of
    people without consent); nothing is stored then."""
    if not permissions.can_write(by, report):
        raise PermissionDenied
    # Checked again under the lock below; this early answer spares a worker the
    # wait for the image work on a report that has been submitted meanwhile.
    _check_editable(report.status, by)
    photo = ReportPhoto(
        report=report,
        caption=(caption or "").strip(),
        shows_people=bool(shows_people),
        consent=bool(consent),
        uploaded_by=by,
    )
    # The consent rule and the caption length are checked before the (slow) image
    # work, so a form mistake is reported at once.
    photo.full_clean(exclude=["thumb", "web", "print_image", "sha256", "position"])
    # The pixel work runs outside the transaction: no lock is held while Pillow
    # decodes a 20 MB photo.
    renditions = process_image(read_upload(file))

    saved = []
    try:
        with transaction.atomic():
            current = _locked_editable_report(report, by)
            existing = list(
                ReportPhoto.objects.filter(report=current).values_list(
                    "sha256", "position"
                )
            )
            if any(sha == renditions.sha256 for sha, _position in existing):
                number = [sha for sha, _p in existing].index(renditions.sha256) + 1
                raise ValidationError(
                    _("这张照片已经上传过了（照片%(n)d）。") % {"n": number},
                    code="duplicate",
                )
            photo.position = max((p for _s, p in existing), default=0) + 1
            photo.width, photo.height = renditions.width, renditions.height
            photo.sha256 = renditions.sha256
            for field in ("thumb", "web", "print_image"):
                # The name given here is ignored: upload_to draws a random one.
                getattr(photo, field).save(
                    "photo.jpg", ContentFile(getattr(renditions, field)), save=False
                )
                saved.append(getattr(photo, field).name)
            photo.full_clean()
            photo.save()
    except BaseException:
        _delete_files(saved, photo.thumb.storage)
        raise
    return photo


def report_photo_update(
    *, photo: ReportPhoto, by, caption: str, shows_people: bool, consent: bool
) -> ReportPhoto:
    """Change a photo's caption and consent state."""
    with transaction.atomic():
        _locked_editable_report(photo.report, by)
        photo.caption = (caption or "").strip()
        photo.shows_people = bool(shows_people)
        photo.consent = bool(consent)
        photo.full_clean()
        photo.save(update_fields=["caption", "shows_people", "consent"])
    return photo


def report_photo_delete(*, photo: ReportPhoto, by) -> None:
    """Delete a photo and, once the transaction commits, its files. The body's
    "[照片N]" lines keep pointing at the same photos: the deleted photo's line goes
    and later numbers move down by one."""
    with transaction.atomic():
        report = _locked_editable_report(photo.report, by)
        numbers = list(
            ReportPhoto.objects.filter(report=report).values_list("pk", flat=True)
        )
        number = numbers.index(photo.pk) + 1
        body = _renumber_markers(report.body, number)
        if body != report.body:
            report.body = body
            report.save(update_fields=["body", "updated_at"])
            photo.report.body = body
        names = [photo.thumb.name, photo.web.name, photo.print_image.name]
        storage = photo.thumb.storage
        photo.delete()
        transaction.on_commit(lambda: _delete_files(names, storage))


def _renumber_markers(body: str, removed: int) -> str:
    if not any(PHOTO_MARKER_RE.match(line) for line in body.splitlines()):
        return body
    lines = []
    for line in body.splitlines():
        marker = PHOTO_MARKER_RE.match(line)
        if marker:
            number = int(marker.group(1))
            if number == removed:
                continue
            if number > removed:
                line = f"[照片{number - 1}]"
        lines.append(line)
    return "\n".join(lines)


def _delete_files(names, storage) -> None:
    for name in names:
        if name:
            try:
                storage.delete(name)
            except OSError:  # already gone, or a storage hiccup: never fail the user
                pass
