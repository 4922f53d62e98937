"""Reading a .docx (activities/word_import/reader.py read_docx): title, subtitle and
blocks in document order, pictures, and the files it refuses."""

import io
import zipfile

import pytest
from docx import Document

from activities import word_import
from activities.word_import import read_docx
from tests.activities.word_helpers import (
    AFTER_PHOTO,
    BEFORE_PHOTO,
    INTRO,
    SUBHEADING,
    SUBTITLE,
    TITLE_1,
    TITLE_2,
    _zip,
    centred,
    png,
    save,
    station_docx,
)


def test_read_docx_gives_title_subtitle_and_blocks_in_document_order():
    parsed = read_docx(station_docx())

    assert parsed.title == TITLE_1 + TITLE_2
    assert parsed.subtitle == SUBTITLE.removeprefix("——")
    kinds = [kind for kind, _value in parsed.blocks]
    assert kinds == ["paragraph", "subheading", "paragraph", "image", "paragraph"]
    texts = [value for kind, value in parsed.blocks if kind != "image"]
    # The full-width indent and trailing spaces are gone; empty paragraphs too.
    assert texts == [INTRO, SUBHEADING, BEFORE_PHOTO, AFTER_PHOTO]
    assert parsed.blocks[3][1] == png()
    assert parsed.warnings == []


def test_read_docx_plain_seed_title_and_subtitle_each_broken_over_two_lines():
    # The seed's city article, typed without styles: nothing but the short,
    # unfinished lines says the title and subtitle go on.
    doc = Document()
    doc.add_paragraph("建立健全社会工作常态化培训学习机制")
    doc.add_paragraph("——云浮市民政局顺利举办全市")
    doc.add_paragraph("2022年度“双百工程”系列培训")
    doc.add_paragraph(
        "为充分调动社工专业学习的积极性和主动性，2022年12月至2023年2月，"
        "云浮市民政局顺利举办全市2022年度“双百工程”系列培训。"
    )

    parsed = read_docx(save(doc))

    assert parsed.title == "建立健全社会工作常态化培训学习机制"
    assert parsed.subtitle == "云浮市民政局顺利举办全市2022年度“双百工程”系列培训"
    assert [kind for kind, _v in parsed.blocks] == ["paragraph"]


def test_read_docx_plain_title_broken_over_two_lines_without_subtitle():
    doc = Document()
    doc.add_paragraph("云安区富林镇社工站开展“暖心护苗 呵护")
    doc.add_paragraph("成长”关爱农村困境儿童和留守儿童活动")
    doc.add_paragraph("为加强对下一代的关心、关爱，守护农村困境儿童、留守儿童。")

    parsed = read_docx(save(doc))

    assert parsed.title == (
        "云安区富林镇社工站开展“暖心护苗 呵护成长”关爱农村困境儿童和留守儿童活动"
    )
    assert parsed.subtitle == ""
    assert parsed.blocks == [
        ("paragraph", "为加强对下一代的关心、关爱，守护农村困境儿童、留守儿童。")
    ]


def test_read_docx_centred_title_over_three_lines_stops_at_the_body():
    doc = Document()
    centred(doc, "云城区安塘街道社工站：")
    centred(doc, "温暖“童”行，“双百工程”社工助力")
    centred(doc, "适龄儿童顺利入园")
    doc.add_paragraph("近日")  # short, but not centred: body
    doc.add_paragraph("社工主动联合村委干部多次上门探访。")

    parsed = read_docx(save(doc))

    assert (
        parsed.title
        == "云城区安塘街道社工站：温暖“童”行，“双百工程”社工助力适龄儿童顺利入园"
    )
    assert [v for _k, v in parsed.blocks] == [
        "近日",
        "社工主动联合村委干部多次上门探访。",
    ]


def test_read_docx_title_style_and_heading_styles():
    doc = Document()
    doc.add_heading("新兴县民政局启动全县督导工作机制", level=1)
    doc.add_paragraph("为认真贯彻落实部署要求，新兴县民政局组成督导工作小组。")
    doc.add_heading("工作会议", level=2)
    doc.add_paragraph("（二）优化服务提效能")
    doc.add_paragraph(
        "1.活动类：加强活动的开展，按照项目计划，继续与学校和社区进行合作，开展未成年人"
        "保护法知识系列活动、安全教育系列活动以及禁毒类系列活动。"
    )

    parsed = read_docx(save(doc))

    assert parsed.title == "新兴县民政局启动全县督导工作机制"
    assert parsed.blocks[1:3] == [
        ("subheading", "工作会议"),
        ("subheading", "（二）优化服务提效能"),
    ]
    # A long numbered line is a paragraph, as ActivityReport.blocks() reads it.
    assert parsed.blocks[3][0] == "paragraph"


def test_read_docx_a_sentence_or_byline_after_a_plain_title_is_body():
    doc = Document()
    doc.add_paragraph("新兴县六祖镇社工站开展“夕阳红，幸福家”义影义剪志愿活动")
    doc.add_paragraph("一推一剪皆是爱，点点滴滴暖人心。")
    doc.add_paragraph("文/六祖镇社工站")

    parsed = read_docx(save(doc))

    assert parsed.title == "新兴县六祖镇社工站开展“夕阳红，幸福家”义影义剪志愿活动"
    assert [v for _k, v in parsed.blocks] == [
        "一推一剪皆是爱，点点滴滴暖人心。",
        "文/六祖镇社工站",
    ]


def test_read_docx_picture_inside_a_sentence_follows_its_paragraph():
    # As in the seed: "…一颗颗小树苗[image]，更是希望…". The sentence stays whole and
    # the picture comes after it; a picture before any text comes before it.
    doc = Document()
    doc.add_paragraph("标题")
    paragraph = doc.add_paragraph("开展这一护苗行动不仅用爱浇灌一颗颗小树苗")
    paragraph.add_run().add_picture(io.BytesIO(png((0, 90, 0))))
    paragraph.add_run("，更是希望在他们心中播下爱的种子。")
    lead = doc.add_paragraph()
    lead.add_run().add_picture(io.BytesIO(png((0, 0, 90))))
    lead.add_run("图为活动现场。")

    parsed = read_docx(save(doc))

    assert [(k, v if k != "image" else v.number) for k, v in parsed.blocks] == [
        (
            "paragraph",
            "开展这一护苗行动不仅用爱浇灌一颗颗小树苗，更是希望在他们心中播下爱的种子。",
        ),
        ("image", 1),
        ("image", 2),
        ("paragraph", "图为活动现场。"),
    ]


def test_read_docx_line_breaks_split_body_paragraphs_and_join_title_lines():
    doc = Document()
    title = doc.add_paragraph("郁南县河口镇社工站开展防止返贫三类和")
    title.add_run().add_break()
    title.add_run("重残对象入户走访工作")
    body = doc.add_paragraph("第一段。")
    body.add_run().add_break()
    body.add_run("\u3000\u3000第二段。\u200b")

    parsed = read_docx(save(doc))

    assert parsed.title == "郁南县河口镇社工站开展防止返贫三类和重残对象入户走访工作"
    assert parsed.blocks == [("paragraph", "第一段。"), ("paragraph", "第二段。")]


def test_read_docx_reads_tables_cell_by_cell():
    doc = Document()
    doc.add_paragraph("标题")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(png()))
    table.cell(0, 1).paragraphs[0].add_run("图为社工入户走访。")

    parsed = read_docx(save(doc))

    assert [k for k, _v in parsed.blocks] == ["image", "paragraph"]


def test_read_docx_skips_a_picture_it_cannot_find_with_a_warning():
    doc = Document()
    doc.add_paragraph("标题")
    doc.add_picture(io.BytesIO(png()))
    doc.add_picture(io.BytesIO(png((1, 2, 3))))
    blip = doc.element.body.xpath(".//a:blip")[0]
    blip.set(word_import.R_EMBED, "rId999")

    parsed = read_docx(save(doc))

    assert [v.number for _k, v in parsed.blocks] == [2]
    assert parsed.warnings == ["第 1 张图片无法读取，已跳过。"]


def test_read_docx_long_first_paragraph_is_kept_and_gives_a_title_to_rewrite():
    doc = Document()
    text = "为充分调动社工专业学习的积极性和主动性，" * 8
    doc.add_paragraph(text)

    parsed = read_docx(save(doc))

    assert len(parsed.title) == 120 and parsed.title.endswith("…")
    assert parsed.blocks == [("paragraph", text)]
    assert "标题" in parsed.warnings[0]


def test_read_docx_refuses_a_document_without_text():
    doc = Document()
    doc.add_paragraph("   ")
    doc.add_picture(io.BytesIO(png()))

    with pytest.raises(word_import.ValidationError, match="没有找到文字"):
        read_docx(save(doc))


def _template() -> bytes:
    """A Word template (.dotx): a Word package, but not a document."""
    source = zipfile.ZipFile(io.BytesIO(station_docx()))
    files = {name: source.read(name) for name in source.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"document.main+xml", b"template.main+xml"
    )
    return _zip(files)


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "空的"),
        ("这是一个文本文件，不是 Word。".encode(), "不是 Word（.docx）文件"),
        (_zip({"photos/1.jpg": b"x"}), "不是 Word（.docx）文件"),
        (station_docx()[:3000], "已损坏"),
        (station_docx()[:-200], "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "设置了密码"),
        (_xlsx(), "Excel"),
        (_template(), "模板"),
        (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<"}), "损坏"),
    ],
    ids=[
        "empty",
        "text",
        "zip",
        "cut-short",
        "cut-end",
        "ole-or-encrypted",
        "excel",
        "template",
        "broken-xml",
    ],
)
def test_read_docx_refuses_what_is_not_a_readable_docx(data, message):
    with pytest.raises(word_import.ValidationError, match=message):
        read_docx(data)


def test_read_docx_refuses_a_file_over_the_size_limit(monkeypatch):
    data = station_docx()
    monkeypatch.setattr(word_import, "MAX_BYTES", len(data) - 1)

    with pytest.raises(word_import.ValidationError, match="文件太大"):
        read_docx(data)


def test_read_docx_refuses_a_file_that_unpacks_too_large(monkeypatch):
    monkeypatch.setattr(word_import, "MAX_UNPACKED_BYTES", 10_000)

    with pytest.raises(word_import.ValidationError, match="内容过大"):
        read_docx(station_docx())


def test_read_docx_reads_each_picture_once_and_skips_text_boxes():
    # Word and WPS write a picture twice, a modern copy and a fallback for old
    # readers (mc:AlternateContent); old files have VML pictures only; text boxes
    # float outside the text.
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_paragraph("标题")
    doc.add_picture(io.BytesIO(png()))
    doc.add_picture(io.BytesIO(png((9, 9, 9))))
    modern, old = doc.element.body.xpath(".//w:drawing")
    rid = modern.xpath(".//a:blip")[0].get(word_import.R_EMBED)
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    alternate = parse_xml(
        f"<mc:AlternateContent {namespaces}><mc:Choice Requires='wps'/>"
        f"<mc:Fallback><w:pict><v:shape><v:imagedata r:id='{rid}'/></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent>"
    )
    modern.addprevious(alternate)
    alternate[0].append(modern)
    old_rid = old.xpath(".//a:blip")[0].get(word_import.R_EMBED)
    old.addprevious(
        parse_xml(
            f"<w:pict {namespaces}><v:shape><v:imagedata r:id='{old_rid}'/>"
            "<v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict>"
        )
    )
    old.getparent().remove(old)
    doc.add_paragraph("正文。")

    parsed = read_docx(save(doc))

    assert [(k, v if k != "image" else v.number) for k, v in parsed.blocks] == [
        ("image", 1),
        ("image", 2),
        ("paragraph", "正文。"),
    ]
    assert parsed.blocks[0][1] == png() and parsed.blocks[1][1] == png((9, 9, 9))
