"""A past issue's PDF (one with a text layer, as Word saves it) read into the
same Lines a .docx gives: one a paragraph, with its centred and heading hints
and the pictures where they stand (pdflayout.py has the layout rules).

pdfplumber gives each character with its position and font, and finds ruled
tables (each row becomes one line, its cells joined with "　"); pypdfium2, which
pdfplumber uses, gives the pictures: a JPEG as it is stored, any other picture
as a PNG of its pixels.

Refused before any page is read: an encrypted or damaged file, more than
MAX_PDF_PAGES pages (counted as declared and as found), a page larger than
MAX_PAGE_SIDE, a page whose content unpacks to more than MAX_PAGE_CONTENT
bytes. A picture larger than PHOTO_MAX_PIXELS (as its header declares it) is
not decoded: it is kept as a missing picture. A PDF without a text layer (a
scan) is told apart by ``has_text_layer``: its ValidationError has the code
``SCAN``, so that source.py can decide what to do with it."""

from __future__ import annotations

import hashlib
import io
import itertools
import logging
import zlib
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .pdflayout import PageItems, Picture, paragraphs, row_line, text_lines
from .structure import Line, ParsedImage

logger = logging.getLogger(__name__)

MAX_PDF_BYTES = 60 * 1024 * 1024
MAX_PDF_PAGES = 200
# PDF's own largest page side: 200 inches.
MAX_PAGE_SIDE = 14400
MAX_PAGE_CONTENT = 16 * 1024 * 1024
MAX_PDF_IMAGES = 300
# Pictures smaller than this on the page (in points, either side) are rules,
# bullets and ornaments, not photos.
MIN_PICTURE_SIDE = 24
# A page with fewer characters than this carries no text layer.
MIN_PAGE_CHARS = 10
# The code of the ValidationError for a PDF without a text layer.
SCAN = "scan"


def _damaged() -> ValidationError:
    return ValidationError(
        _(
            "PDF 文件不完整或已损坏，无法读取。请重新导出 PDF，或上传 Word（.docx）文件。"
        )
    )


def pdf_lines(data: bytes) -> list[Line]:
    """The issue's paragraphs as Lines; a ValidationError with a Chinese message
    for a PDF that cannot or may not be read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    if len(data) > MAX_PDF_BYTES:
        raise ValidationError(
            _("PDF 文件太大（上限 %(limit)s），请压缩图片后再导出。")
            % {"limit": filesizeformat(MAX_PDF_BYTES)}
        )
    try:
        pdf = pdfplumber.PDF(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFEncryptionError):
            raise ValidationError(
                _(
                    "这个 PDF 文件设置了密码，无法读取。"
                    "请取消密码后重新导出 PDF，或上传 Word（.docx）文件。"
                )
            ) from exc
        raise _damaged() from exc
    except Exception as exc:  # noqa: BLE001 - any failure inside a foreign file
        raise _damaged() from exc
    try:
        with pdf:
            _check_page_count(pdf)
            pages = pdf.pages
            for page in pages:
                _check_page(page)
            if not has_text_layer(pages):
                # source.py tells this refusal apart by its code.
                raise ValidationError(
                    _(
                        "这是扫描件（PDF 中的页面是图片，没有文字），无法直接读取。"
                        "请上传简报的 Word（.docx）文件或带文字的 PDF。"
                    ),
                    code=SCAN,
                )
            items = [_page_items(page) for page in pages]
            _add_pictures(data, items)
            return paragraphs(items)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a foreign file
        logger.info("PDF could not be read: %s", type(exc).__name__)
        raise _damaged() from exc


def has_text_layer(pages) -> bool:
    """Whether the PDF's pages carry text (at least half of them have
    characters); a scan has only a picture of each page. Pages are read one by
    one until the answer is known: reading a page's characters is what takes
    the time, and a PDF with text has it from its first pages."""
    total = len(pages)
    with_text = 0
    for index, page in enumerate(pages):
        if sum(1 for c in page.chars if c["text"].strip()) >= MIN_PAGE_CHARS:
            with_text += 1
        if with_text and 2 * with_text >= total:
            return True
        if 2 * (with_text + total - index - 1) < total:
            return False
    return False


def is_scan(data: bytes) -> bool:
    """Whether ``data`` is a PDF of page pictures, told without reading it into
    lines (the upload screen sends a scan to a background job). The limits are
    checked first, as ``pdf_lines`` checks them; a PDF that fails them or cannot
    be opened is not a scan here, and ``pdf_lines`` says what is wrong."""
    import pdfplumber

    if len(data) > MAX_PDF_BYTES:
        return False
    try:
        with pdfplumber.PDF(io.BytesIO(data)) as document:
            _check_page_count(document)
            pages = document.pages
            for page in pages:
                _check_page(page)
            return not has_text_layer(pages)
    except Exception:  # noqa: BLE001 - any failure inside a foreign file
        return False


# --- Limits -------------------------------------------------------------------------


def _too_many_pages() -> ValidationError:
    return ValidationError(
        _("PDF 文件超过 %(max)d 页，不像是一期简报。请只上传一期简报的文件。")
        % {"max": MAX_PDF_PAGES}
    )


def _check_page_count(pdf) -> None:
    """The page count the file declares, then the pages found (at most one past
    the limit is looked at)."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")) or {})
    count = resolve1(declared.get("Count")) if isinstance(declared, dict) else None
    if isinstance(count, int) and count > MAX_PDF_PAGES:
        raise _too_many_pages()
    found = sum(
        1
        for _page in itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PDF_PAGES + 1)
    )
    if found > MAX_PDF_PAGES:
        raise _too_many_pages()
    if found == 0:
        raise _damaged()


def _check_page(page) -> None:
    """A page's declared size and its content's unpacked size, before its
    content is read."""
    x0, y0, x1, y1 = page.page_obj.mediabox
    if not (0 < abs(x1 - x0) <= MAX_PAGE_SIDE and 0 < abs(y1 - y0) <= MAX_PAGE_SIDE):
        raise ValidationError(
            _(
                "PDF 的页面尺寸异常，无法读取。请重新导出 PDF，或上传 Word（.docx）文件。"
            )
        )
    total = 0
    for stream in page.page_obj.contents:
        total += _unpacked_size(stream, MAX_PAGE_CONTENT + 1 - total)
        if total > MAX_PAGE_CONTENT:
            raise ValidationError(
                _(
                    "PDF 的页面内容过大，无法读取。请重新导出 PDF，或上传 Word（.docx）文件。"
                )
            )


def _unpacked_size(stream, limit: int) -> int:
    """How many bytes a content stream unpacks to, counting no further than
    ``limit``. Flate (what nearly every PDF uses, after an ASCII filter or not)
    is measured; a stream with other filters counts as nothing here."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    data = getattr(stream, "rawdata", None)
    if data is None:
        return len(getattr(stream, "data", None) or b"")
    filters = [str(getattr(f, "name", f)) for f, _params in stream.get_filters()]
    try:
        for position, name in enumerate(filters):
            if name in ("ASCII85Decode", "A85"):
                data = ascii85decode(data)
            elif name in ("ASCIIHexDecode", "AHx"):
                data = asciihexdecode(data)
            elif name in ("FlateDecode", "Fl") and position == len(filters) - 1:
                data = zlib.decompressobj().decompress(data, max(limit, 1))
            else:
                return 0
    except (zlib.error, ValueError):
        return 0
    return len(data)


# --- Pages --------------------------------------------------------------------------


def _page_items(page) -> PageItems:
    number = page.page_number
    items = PageItems(number=number, width=float(page.width), height=float(page.height))
    page = page.dedupe_chars()
    tables = [
        t
        for t in page.find_tables()
        if len(t.rows) >= 2 and max((len(r.cells) for r in t.rows), default=0) >= 2
    ]
    boxes = [t.bbox for t in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        mid_x = (obj["x0"] + obj["x1"]) / 2
        mid_y = (obj["top"] + obj["bottom"]) / 2
        return not any(
            x0 <= mid_x <= x1 and top <= mid_y <= bottom
            for x0, top, x1, bottom in boxes
        )

    chars = page.filter(outside_tables).chars if boxes else page.chars
    items.lines = text_lines(list(chars), number)
    size = items.lines[0].size if items.lines else 12.0
    for table in tables:
        for row, cells in zip(table.rows, table.extract(), strict=False):
            line = row_line(cells, row.bbox, number, size)
            if line is not None:
                items.lines.append(line)
    return items


def _add_pictures(data: bytes, pages: list[PageItems]) -> None:
    """Each page's pictures with the height they stand at, numbered in reading
    order. The same picture at the same place on two pages or more is page
    furniture (a logo in the running head), not a photo. A picture too large to
    decode, or one that cannot be decoded, is kept as a missing picture."""
    import pypdfium2 as pdfium

    max_pixels = settings.PHOTO_MAX_PIXELS
    number = 0
    document = pdfium.PdfDocument(data)
    try:
        placed = [_placed_pictures(document, items) for items in pages]
        places = Counter(key for found in placed for key in {f[0] for f in found})
        for items, found in zip(pages, placed, strict=True):
            for key, top, obj in found:
                if places[key] > 1:
                    continue
                number += 1
                if number > MAX_PDF_IMAGES:
                    raise ValidationError(
                        _("文件中的图片超过 %(max)d 张，无法导入。")
                        % {"max": MAX_PDF_IMAGES}
                    )
                image = _picture(obj, number, max_pixels)
                items.pictures.append(Picture(page=items.number, top=top, image=image))
    finally:
        document.close()


def _placed_pictures(document, items: PageItems) -> list[tuple]:
    """The page's pictures in reading order as ``(place, top, object)``; place
    is the rounded box and a digest of the stored picture, to tell the same
    picture repeated on every page."""
    import pypdfium2.raw as pdfium_c

    page = document[items.number - 1]
    top_edge = page.get_mediabox()[3]
    found = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        if min(right - left, top - bottom) < MIN_PICTURE_SIDE:
            continue
        try:
            stored = hashlib.sha256(bytes(obj.get_data(decode_simple=False)))
        except Exception:  # noqa: BLE001 - a picture without readable data
            stored = None
        place = (
            tuple(round(v) for v in (left, bottom, right, top)),
            stored.hexdigest() if stored else id(obj),
        )
        found.append((place, top_edge - top, obj))
    found.sort(key=lambda f: (f[1], f[0][0][0]))
    return found


def _picture(obj, number: int, max_pixels: int) -> ParsedImage:
    name = f"图片{number}"
    try:
        width, height = obj.get_px_size()
    except Exception:  # noqa: BLE001 - a picture pdfium cannot size
        return ParsedImage(
            number=number, name=_("%(name)s（无法读取）") % {"name": name}
        )
    if width * height > max_pixels:
        return ParsedImage(
            number=number,
            name=_("%(name)s（%(w)d×%(h)d 像素，过大未读取）")
            % {"name": name, "w": width, "h": height},
        )
    try:
        filters = obj.get_filters()
        if filters and filters[-1] == "DCTDecode":
            jpeg = bytes(obj.get_data(decode_simple=True))
            if jpeg.startswith(b"\xff\xd8"):
                return ParsedImage(number=number, name=f"{name}.jpg", data=jpeg)
        picture = obj.get_bitmap(render=False).to_pil()
        if picture.mode not in ("RGB", "RGBA", "L"):
            picture = picture.convert("RGB")
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        return ParsedImage(number=number, name=f"{name}.png", data=buffer.getvalue())
    except Exception:  # noqa: BLE001 - a picture pdfium cannot decode
        return ParsedImage(
            number=number, name=_("%(name)s（无法读取）") % {"name": name}
        )
