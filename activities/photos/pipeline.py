"""``process_image``: uploaded bytes checked in order (size, format, pixel count,
container, full decode) and turned into three JPEG renditions; see the package
docstring for the order of the checks and what the renditions keep."""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms

from .containers import (
    _check_container,
    _has_foreign_signature,
    _Malformed,
    _png_end,
    _Truncated,
    _walk_jpeg,
    _webp_end,
)
from .refusals import (
    _refuse,
    _refuse_corrupt,
    _refuse_foreign,
    _refuse_incomplete,
    _refuse_pixels,
    _refuse_pixels_unknown,
    _refuse_too_big,
)

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


@dataclass(frozen=True, slots=True)
class Renditions:
    """The three JPEG renditions of one photo, and facts about the original."""

    thumb: bytes
    web: bytes
    print_image: bytes
    width: int  # of the original, after EXIF orientation
    height: int
    sha256: str  # of the uploaded bytes


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
