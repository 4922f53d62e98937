"""The Word upload page /staff/reports/new/from-word/: a draft with the same
parts, refusals in Chinese that write nothing, who may upload, and its query count."""

import io

import pytest
from django.urls import reverse
from docx import Document

from activities import word_import
from activities.models import ActivityKind, ActivityReport, Level, ReportPhoto
from stations import services as station_services
from stations.models import Role
from tests.activities.word_helpers import (
    AFTER_PHOTO,
    BEFORE_PHOTO,
    INTRO,
    SUBHEADING,
    SUBTITLE,
    TITLE_1,
    TITLE_2,
    _zip,
    gif,
    nothing_written,
    save,
    station_docx,
)

URL = "/staff/reports/new/from-word/"


def upload(client, data: bytes, name="报道.docx", kind=None, **extra):
    kind = kind or ActivityKind.objects.get(name="宣传")
    file = io.BytesIO(data)
    file.name = name
    return client.post(URL, {"file": file, "kind": kind.pk, **extra})


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
