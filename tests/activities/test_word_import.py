"""Starting a report from a Word file: reading the .docx (activities/word_import.py)
and the upload page /staff/reports/new/from-word/."""

import io
import zipfile

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image

from activities import word_import
from activities.models import (
    ActivityKind,
    ActivityReport,
    Level,
    ReportPhoto,
    ReportTransition,
)
from activities.word_import import read_docx, report_from_word
from stations import services as station_services
from stations.models import Role

URL = "/staff/reports/new/from-word/"

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


def upload(client, data: bytes, name="报道.docx", kind=None, **extra):
    kind = kind or ActivityKind.objects.get(name="宣传")
    file = io.BytesIO(data)
    file.name = name
    return client.post(URL, {"file": file, "kind": kind.pk, **extra})


def nothing_written():
    return (
        not ActivityReport.objects.exists()
        and not ReportPhoto.objects.exists()
        and not ReportTransition.objects.exists()
    )


# --- Reading ------------------------------------------------------------------------


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


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


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


# --- Filing the draft ---------------------------------------------------------------


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


# --- The upload page ----------------------------------------------------------------


def test_worker_uploads_word_file_and_gets_a_draft_with_the_same_parts(
    personas, net, login
):
    client = login(personas.worker)

    response = upload(client, station_docx())

    report = ActivityReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reports/{report.pk}/edit/"
    assert response["Location"] == reverse(
        "activities_staff:report_edit", args=[report.pk]
    )
    assert report.title == TITLE_1 + TITLE_2
    assert report.subtitle == SUBTITLE.removeprefix("——")
    assert report.status == "draft"
    assert report.level == Level.STATION and report.station == net.a1
    assert report.author == personas.worker
    assert report.kind.name == "宣传"
    assert report.body.splitlines() == [
        INTRO,
        SUBHEADING,
        BEFORE_PHOTO,
        "[照片1]",
        AFTER_PHOTO,
    ]
    photo = ReportPhoto.objects.get()
    assert photo.report == report and photo.uploaded_by == personas.worker
    assert (photo.width, photo.height) == (96, 64)
    assert [(kind, value) for kind, value in report.blocks()] == [
        ("paragraph", INTRO),
        ("subheading", SUBHEADING),
        ("paragraph", BEFORE_PHOTO),
        ("photo", photo),
        ("paragraph", AFTER_PHOTO),
    ]
    page = client.get(response["Location"])
    messages = [str(m) for m in page.context["messages"]]
    assert "已从 Word 文件生成草稿，请核对后提交" in messages
    assert any("请逐张核对照片" in m for m in messages)


def test_skipped_pictures_are_named_in_a_message(personas, login):
    doc = Document()
    doc.add_paragraph("标题")
    doc.add_picture(io.BytesIO(gif()))
    client = login(personas.worker)

    response = upload(client, save(doc))

    assert response.status_code == 302
    page = client.get(response["Location"])
    messages = [str(m) for m in page.context["messages"]]
    assert any(m.startswith("第 1 张图片无法使用") for m in messages)
    assert not ReportPhoto.objects.exists()


@pytest.mark.parametrize(
    "data, name, message",
    [
        ("会议纪要\n一、广泛宣传强意识".encode(), "纪要.docx", "不是 Word"),
        (_zip({"photos/1.jpg": b"x"}), "照片.docx", "不是 Word"),
        (station_docx()[:-200], "报道.docx", "已损坏"),
        (b"", "报道.docx", "空文件"),
    ],
    ids=["text-renamed", "zip-not-word", "truncated", "empty"],
)
def test_bad_file_is_refused_with_a_chinese_message_and_nothing_written(
    personas, login, data, name, message
):
    client = login(personas.worker)

    response = upload(client, data, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_written()


def test_missing_file_or_kind_is_refused(personas, login, kinds):
    client = login(personas.worker)

    no_file = client.post(URL, {"kind": kinds["宣传"].pk})
    no_kind = client.post(URL, {"file": io.BytesIO(station_docx())})

    assert no_file.status_code == 400 and "这个字段是必填项" in no_file.content.decode()
    assert no_kind.status_code == 400
    assert nothing_written()


def test_inactive_kind_is_not_offered_nor_accepted(personas, login, kinds):
    kind = kinds["宣传"]
    kind.is_active = False
    kind.save()
    client = login(personas.worker)

    page = client.get(URL)
    response = upload(client, station_docx(), kind=kind)

    assert f'value="{kind.pk}"' not in page.content.decode()
    assert response.status_code == 400
    assert nothing_written()


def test_file_over_the_limit_is_refused_before_reading(personas, login, monkeypatch):
    monkeypatch.setattr(word_import, "MAX_BYTES", 1000)
    client = login(personas.worker)

    response = upload(client, station_docx())

    assert response.status_code == 400
    assert "文件太大" in response.content.decode()
    assert nothing_written()


def test_single_filing_unit_is_shown_not_asked(personas, net, login):
    response = login(personas.worker).get(URL)

    assert response.status_code == 200
    assert 'name="unit"' not in response.content.decode()
    assert net.a1.full_name in response.content.decode()


def test_user_filing_for_several_units_chooses_one(personas, net, login, kinds):
    # A station worker who is also the county's reviewer files for either.
    user = personas.worker
    station_services.role_assign(
        user=user, role=Role.COUNTY_REVIEWER, unit=net.county_a1
    )
    client = login(user)

    page = client.get(URL)
    bad = upload(client, station_docx(), unit=f"station:{net.a2.pk}")
    good = upload(client, station_docx(), unit=f"county:{net.county_a1.pk}")

    assert 'name="unit"' in page.content.decode()
    assert bad.status_code == 400
    report = ActivityReport.objects.get()
    assert good.status_code == 302
    assert report.level == Level.COUNTY and report.county == net.county_a1


@pytest.mark.parametrize(
    "persona, level",
    [
        ("worker", Level.STATION),
        ("head", Level.STATION),
        ("other_worker", Level.STATION),
        ("reviewer", Level.COUNTY),
        ("other_reviewer", Level.COUNTY),
        ("editor", Level.CITY),
        ("other_editor", Level.CITY),
    ],
)
def test_users_who_file_reports_may_upload(personas, login, persona, level):
    client = login(getattr(personas, persona))

    assert client.get(URL).status_code == 200
    response = upload(client, station_docx())

    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert report.level == level and report.author == getattr(personas, persona)


@pytest.mark.parametrize("persona", ["supervisor", "nobody", "superuser"])
def test_users_who_file_nowhere_get_403(personas, login, persona):
    # The superuser holds no filing unit either; bulk back-filling goes through
    # the admin import.
    client = login(getattr(personas, persona))

    assert client.get(URL).status_code == 403
    assert upload(client, station_docx()).status_code == 403
    assert nothing_written()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    post = client.post(URL, {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert post.status_code == 302


def test_upload_page_query_count_does_not_grow_with_kinds(
    personas, login, django_assert_num_queries
):
    client = login(personas.worker)
    client.get(URL)  # warm the session

    # session, user, role assignments (scope), the filing station with its place,
    # the active kinds for the select.
    with django_assert_num_queries(5):
        client.get(URL)
    ActivityKind.objects.bulk_create(
        ActivityKind(name=f"类型{i}", display_order=100 + i) for i in range(30)
    )
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200


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


def test_refusal_of_the_report_itself_is_shown_and_nothing_written(
    personas, login, monkeypatch
):
    from django.core.exceptions import ValidationError

    from activities import services

    def refuse(**kwargs):
        raise ValidationError({"title": "标题不合要求。"})

    monkeypatch.setattr(services, "report_create", refuse)
    client = login(personas.worker)

    response = upload(client, station_docx())

    assert response.status_code == 400
    assert "标题不合要求。" in response.content.decode()
    assert nothing_written()
