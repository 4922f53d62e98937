"""The pages of a scanned issue as pictures: a PDF whose pages are images
(rendered with pdfium, the engine pdfplumber uses), or a photo of one page
(JPEG or PNG, checked and turned upright by the report photo pipeline, which
refuses decompression bombs and files that are more than a picture).

Two sizes: for OCR (``ocr_pages``, 200 dpi) and for the import preview, where an
editor compares a page with the text read from it on a phone
(``preview_jpeg``, at most ``PREVIEW_WIDTH`` pixels wide)."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

# The seed issue as printed read 98.8% of its characters right at 200 dpi and
# 97.2% at 300 (bench/ocr_accuracy.py --dpi), on pictures half the size.
OCR_DPI = 200
# A page is never rendered larger than this (A3 at 200 dpi is 15 million): a
# PDF may declare a page of any size, and its pixels are made here, not read.
MAX_PAGE_PIXELS = 40_000_000
# A past issue has a dozen pages; OCR takes seconds a page.
MAX_PAGES = 40
PREVIEW_WIDTH = 1000
PREVIEW_QUALITY = 80

_PHOTO_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
_POINTS_PER_INCH = 72


def is_photo(data: bytes) -> bool:
    """A JPEG or PNG: a photo or scan of one page."""
    return data.startswith(_PHOTO_MAGIC)


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF")


def _damaged_pdf() -> ValidationError:
    return ValidationError(
        _("PDF 文件已损坏或设置了密码，无法读取。请重新扫描或另存后再上传。")
    )


def _open_pdf(data: bytes):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _damaged_pdf() from exc
    if len(pdf) == 0:
        pdf.close()
        raise _damaged_pdf()
    if len(pdf) > MAX_PAGES:
        count = len(pdf)
        pdf.close()
        raise ValidationError(
            _(
                "扫描件有 %(n)d 页，一次最多识别 %(max)d 页。请把它分成几个文件，每期一个。"
            )
            % {"n": count, "max": MAX_PAGES}
        )
    return pdf


def page_count(data: bytes) -> int:
    """How many pages the scan has (a photo is one page)."""
    if is_photo(data):
        return 1
    pdf = _open_pdf(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _render(page, width_px: float | None = None) -> Image.Image:
    """One PDF page in grey, at ``OCR_DPI`` or ``width_px`` wide, never above
    ``MAX_PAGE_PIXELS``."""
    width, height = page.get_size()
    if width <= 0 or height <= 0:
        raise _damaged_pdf()
    scale = width_px / width if width_px else OCR_DPI / _POINTS_PER_INCH
    scale = min(scale, math.sqrt(MAX_PAGE_PIXELS / (width * height)))
    return page.render(scale=scale, grayscale=True).to_pil()


def _photo(data: bytes) -> Image.Image:
    """The photo upright, at most the pipeline's print size (2480 px on its
    long side); a ValidationError with the pipeline's Chinese message when it
    is not a sound picture or has too many pixels."""
    from activities.photos import process_image

    image = Image.open(io.BytesIO(process_image(data).print_image))
    image.load()
    return image


def ocr_pages(data: bytes) -> Iterator[Image.Image]:
    """Each page of the scan as a picture for OCR, one at a time."""
    if is_photo(data):
        yield _photo(data).convert("L")
        return
    import pypdfium2 as pdfium

    pdf = _open_pdf(data)
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                image = _render(page)
            except pdfium.PdfiumError as exc:
                raise _damaged_pdf() from exc
            yield image
    finally:
        pdf.close()


def preview_jpeg(data: bytes, number: int) -> bytes:
    """Page ``number`` (from 1) as a JPEG at most ``PREVIEW_WIDTH`` wide. A
    ValidationError when the scan has no such page or cannot be read."""
    if is_photo(data):
        if number != 1:
            raise ValidationError(_("没有这一页。"))
        image = _photo(data)
    else:
        import pypdfium2 as pdfium

        pdf = _open_pdf(data)
        try:
            if not 1 <= number <= len(pdf):
                raise ValidationError(_("没有这一页。"))
            image = _render(pdf[number - 1], width_px=PREVIEW_WIDTH)
        except pdfium.PdfiumError as exc:
            raise _damaged_pdf() from exc
        finally:
            pdf.close()
    if image.width > PREVIEW_WIDTH:
        image.thumbnail((PREVIEW_WIDTH, image.height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.convert("L" if image.mode == "L" else "RGB").save(
        buffer, "JPEG", quality=PREVIEW_QUALITY, optimize=True
    )
    return buffer.getvalue()
