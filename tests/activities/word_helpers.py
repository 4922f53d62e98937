"""Word documents made in the tests, and helpers shared by the Word import test
modules."""

import io
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image

from activities.models import ActivityReport, ReportPhoto, ReportTransition

TITLE_1 = "云安民政织牢织密保护网，为未成年人"


TITLE_2 = "健康成长保驾护航"


SUBTITLE = "——云安区民政局组织“双百”社工开展宣传教育、入户走访等活动"


INTRO = (
    "为更好维护未成年人合法权益，切实保障未成年人身心健康成长，近日，云安区民政局"
    "充分发挥“双百工程”社工积极作用，组织“双百”社工开展宣传教育、入户走访等活动。"
)


SUBHEADING = "一、广泛宣传强意识"


BEFORE_PHOTO = (
    "2月23日，镇安镇社工站在镇安镇社区开展《未成年人保护法》宣传活动，"
    "社工通过派发宣传单张、互动交流等形式向群众讲解相关知识。"
)


AFTER_PHOTO = "同日，高村镇社工站联同镇妇联、残联、派出所等部门开展宣传活动。"


def png(colour=(200, 40, 40), size=(96, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (40, 30), 3).save(buffer, "GIF")
    return buffer.getvalue()


def save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def centred(doc, text, style=None):
    paragraph = doc.add_paragraph(text, style=style)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def station_docx() -> bytes:
    """A report as a station writes it in Word: a centred title broken over two
    lines, a subtitle, an indented first paragraph, a subheading, a picture
    between two paragraphs, and the empty paragraphs Word users type."""
    doc = Document()
    centred(doc, TITLE_1)
    centred(doc, TITLE_2)
    centred(doc, SUBTITLE)
    doc.add_paragraph("")
    doc.add_paragraph("\u3000\u3000" + INTRO)
    doc.add_paragraph(SUBHEADING)
    doc.add_paragraph(BEFORE_PHOTO)
    doc.add_picture(io.BytesIO(png()))
    doc.add_paragraph(AFTER_PHOTO + "  ")
    doc.add_paragraph("   ")
    return save(doc)


def nothing_written():
    return (
        not ActivityReport.objects.exists()
        and not ReportPhoto.objects.exists()
        and not ReportTransition.objects.exists()
    )


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
