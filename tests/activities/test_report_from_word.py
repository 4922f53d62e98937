"""Filing a draft from a read Word file (activities/word_import/builder.py
report_from_word): refused pictures are skipped, and nothing is written when the
report cannot be filed."""

import io

import pytest
from docx import Document

from activities.word_import import report_from_word
from tests.activities.word_helpers import gif, nothing_written, png, save, station_docx


def test_report_from_word_skips_pictures_the_photo_pipeline_refuses(
    personas, net, kinds
):
    doc = Document()
    doc.add_paragraph("标题")
    doc.add_paragraph("第一段。")
    doc.add_picture(io.BytesIO(gif()))
    doc.add_paragraph("第二段。")
    doc.add_picture(io.BytesIO(png()))

    report, warnings = report_from_word(
        data=save(doc), unit=net.a1, by=personas.worker, kind=kinds["宣传"]
    )

    report.refresh_from_db()
    # The GIF is refused, so the PNG is the report's first photo.
    assert report.body == "第一段。\n第二段。\n[照片1]"
    assert report.photos.count() == 1
    assert len(warnings) == 1
    assert warnings[0].startswith("第 1 张图片无法使用（")
    assert "GIF" in warnings[0]


def test_report_from_word_writes_nothing_when_the_report_cannot_be_filed(
    personas, net, kinds, settings
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_from_word(
            data=station_docx(), unit=net.a2, by=personas.worker, kind=kinds["宣传"]
        )

    assert nothing_written()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
