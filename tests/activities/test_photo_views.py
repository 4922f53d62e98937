"""The report photo pages: upload, edit and delete, only by those who file for
the report's unit; and the photo section of the report page with its query count."""

import hashlib

import pytest
from django.contrib.messages import get_messages
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse

from activities import permissions, services
from activities.forms.photos import PhotoUploadForm
from activities.models import ReportPhoto
from activities.services import report_photo_add
from tests.activities.photo_helpers import (
    _assert_nothing_stored,
    gps_photo,
    jpeg,
    media_files,
    png,
    upload,
)


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The views -----------------------------------------------------------------------


def upload_url(report):
    return reverse("activities_staff:photo_upload", args=[report.pk])


def report_path(report):
    return f"/staff/reports/{report.pk}/#photos"


@pytest.mark.parametrize("who", ["worker", "head", "superuser"])
def test_filers_of_the_station_upload_to_its_draft(who, draft, personas, login):
    response = login(getattr(personas, who)).post(
        upload_url(draft), {"photos": [upload(gps_photo())], "caption": "宣传现场"}
    )
    assert response.status_code == 302
    assert response["Location"] == report_path(draft)
    photo = draft.photos.get()
    assert (photo.caption, photo.uploaded_by) == ("宣传现场", getattr(personas, who))
    assert any("已保存 1 张照片" in m for m in message_texts(response))


def test_upload_spooled_to_a_temporary_file_is_read_whole(
    draft, personas, login, settings
):
    # Django keeps uploads above FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = gps_photo()
    login(personas.worker).post(upload_url(draft), {"photos": [upload(data)]})
    assert draft.photos.get().sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "who",
    [
        "other_worker",
        "supervisor",  # reads the station's reports, files none
        "reviewer",  # reviews them, does not write them
        "other_reviewer",
        "editor",  # files city-bureau reports only
        "other_editor",
    ],
)
def test_others_get_404_and_nothing_is_stored(who, draft, personas, login, settings):
    response = login(getattr(personas, who)).post(
        upload_url(draft), {"photos": [upload(jpeg())]}
    )
    assert response.status_code == 404
    _assert_nothing_stored(draft, settings)


def test_user_without_role_gets_403_and_anonymous_is_sent_to_login(
    draft, personas, login, client
):
    assert (
        client.post(upload_url(draft), {"photos": [upload(jpeg())]}).status_code == 302
    )
    response = login(personas.nobody).post(upload_url(draft), {})
    assert response.status_code == 403


def test_upload_url_takes_only_post(draft, personas, login):
    assert login(personas.worker).get(upload_url(draft)).status_code == 405


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_upload_to_a_report_under_review_is_refused(
    status, personas, net, make_report, login, settings
):
    report = make_report(
        personas.worker, net.a1, status=status, reviewer=personas.reviewer
    )
    response = login(personas.worker).post(
        upload_url(report), {"photos": [upload(jpeg()), upload(png(), "b.png")]}
    )
    assert response.status_code == 302
    messages = message_texts(response)
    # Said once for the batch, not once per file.
    assert len(messages) == 1 and "不能修改照片" in messages[0]
    _assert_nothing_stored(report, settings)


def test_upload_without_consent_for_people_is_refused(draft, personas, login, settings):
    response = login(personas.worker).post(
        upload_url(draft), {"photos": [upload(jpeg())], "shows_people": "on"}
    )
    assert response.status_code == 302
    assert any("同意" in m for m in message_texts(response))
    _assert_nothing_stored(draft, settings)


def test_upload_field_takes_several_images_at_once():
    html = str(PhotoUploadForm()["photos"])
    assert "multiple" in html and 'accept="image/*"' in html


def test_upload_without_files_says_so(draft, personas, login):
    response = login(personas.worker).post(upload_url(draft), {"caption": "x"})
    assert response.status_code == 302
    assert any("请选择至少一张照片" in m for m in message_texts(response))


def test_batch_keeps_the_good_photos_and_names_each_bad_file(
    draft, personas, login, settings
):
    files = [
        upload(jpeg(color="red"), "good1.jpg"),
        upload("不是图片".encode(), "notes.jpg"),
        upload(png() + b"<html></html>", "poly.png", "image/png"),
        upload(jpeg(color="blue"), "good2.jpg"),
    ]
    response = login(personas.worker).post(
        upload_url(draft),
        {"photos": files, "caption": "活动合影", "shows_people": "on", "consent": "on"},
    )
    assert response.status_code == 302
    photos = list(draft.photos.all())
    assert [p.caption for p in photos] == ["活动合影", "活动合影"]
    assert all(p.shows_people and p.consent for p in photos)
    assert len(media_files(settings)) == 6
    messages = message_texts(response)
    assert any("第 2 个文件（notes.jpg）" in m and "不是图片" in m for m in messages)
    assert any(
        "第 3 个文件（poly.png）" in m and "图片以外的数据" in m for m in messages
    )
    assert any("已保存 2 张照片" in m for m in messages)


def test_over_the_limit_upload_is_refused_with_its_size(
    draft, personas, login, settings
):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1024
    response = login(personas.worker).post(
        upload_url(draft), {"photos": [upload(gps_photo(), "big.jpg")]}
    )
    assert any(
        "第 1 个文件（big.jpg）" in m and "图片太大" in m
        for m in message_texts(response)
    )
    _assert_nothing_stored(draft, settings)


@pytest.fixture
def photo(draft, personas):
    return report_photo_add(report=draft, by=personas.worker, file=jpeg(), caption="旧")


@pytest.mark.parametrize("who", ["worker", "head"])
def test_filers_edit_a_photo(who, photo, personas, login):
    response = login(getattr(personas, who)).post(
        reverse("activities_staff:photo_edit", args=[photo.pk]),
        {"caption": "新说明", "shows_people": "on", "consent": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == report_path(photo.report)
    photo.refresh_from_db()
    assert (photo.caption, photo.shows_people, photo.consent) == ("新说明", True, True)


def test_edit_without_consent_is_refused_and_changes_nothing(photo, personas, login):
    response = login(personas.worker).post(
        reverse("activities_staff:photo_edit", args=[photo.pk]),
        {"caption": "新说明", "shows_people": "on"},
    )
    assert any("同意" in m for m in message_texts(response))
    photo.refresh_from_db()
    assert (photo.caption, photo.shows_people) == ("旧", False)


@pytest.mark.parametrize("action", ["photo_edit", "photo_delete"])
@pytest.mark.parametrize("who", ["other_worker", "supervisor", "reviewer", "editor"])
def test_others_cannot_edit_or_delete_a_photo(action, who, photo, personas, login):
    response = login(getattr(personas, who)).post(
        reverse(f"activities_staff:{action}", args=[photo.pk]),
        {"caption": "改"},
    )
    assert response.status_code == 404
    photo.refresh_from_db()
    assert photo.caption == "旧"


def test_missing_photo_is_404(personas, login, db):
    response = login(personas.worker).post(
        reverse("activities_staff:photo_delete", args=[999999])
    )
    assert response.status_code == 404


def test_worker_deletes_a_photo(photo, personas, login, settings):
    response = login(personas.worker).post(
        reverse("activities_staff:photo_delete", args=[photo.pk])
    )
    assert response.status_code == 302
    assert not ReportPhoto.objects.filter(pk=photo.pk).exists()


def test_photos_of_a_submitted_report_cannot_be_deleted(
    personas, net, make_report, login
):
    report = make_report(personas.worker, net.a1)
    photo = report_photo_add(report=report, by=personas.worker, file=jpeg())
    services.report_submit(report=report, by=personas.worker)
    response = login(personas.worker).post(
        reverse("activities_staff:photo_delete", args=[photo.pk])
    )
    assert any("不能修改照片" in m for m in message_texts(response))
    assert ReportPhoto.objects.filter(pk=photo.pk).exists()


# --- The photo section of the report page --------------------------------------------


def _add_photos(report, by, count):
    for i in range(count):
        report_photo_add(
            report=report,
            by=by,
            file=jpeg(color=(i * 40, 0, 0)),
            caption=f"说明{i + 1}",
            shows_people=i % 2 == 1,
            consent=i % 2 == 1,
        )


@pytest.mark.parametrize("count", [1, 3])
def test_photo_section_runs_one_query_whatever_the_number_of_photos(
    count, draft, personas, django_assert_num_queries
):
    _add_photos(draft, personas.worker, count)
    report = permissions.get_report_for_user(personas.worker, draft.pk, write=True)
    # One query: the report's photos. The report page prefetches them for
    # blocks(), and then this section adds none.
    with django_assert_num_queries(1):
        html = render_to_string(
            "activities/staff/photos/_manage.html", {"report": report, "can_edit": True}
        )
    assert f"[照片{count}]" in html
    assert html.count('name="caption"') == count + 1  # one per photo, one for upload


@pytest.mark.parametrize("count", [1, 3])
def test_photo_section_adds_no_query_to_a_page_that_prefetched_photos(
    count, draft, personas, django_assert_num_queries
):
    _add_photos(draft, personas.worker, count)
    report = permissions.get_report_for_user(personas.worker, draft.pk, write=True)
    prefetch_related_objects([report], "photos")
    # Zero: the report page (selectors.report_for_page) prefetches the photos.
    with django_assert_num_queries(0):
        render_to_string(
            "activities/staff/photos/_manage.html", {"report": report, "can_edit": True}
        )


def test_photo_section_shows_numbers_captions_and_consent(draft, personas):
    _add_photos(draft, personas.worker, 2)
    html = render_to_string(
        "activities/staff/photos/_manage.html", {"report": draft, "can_edit": True}
    )
    first, second = draft.photos.all()
    assert "[照片1]" in html and "[照片2]" in html
    assert first.thumb.url in html and "说明2" in html
    assert "有人像 · 已取得同意" in html
    assert "multiple" in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("activities_staff:photo_delete", args=[second.pk]) in html


def test_photo_section_without_edit_rights_has_no_forms(draft, personas):
    _add_photos(draft, personas.worker, 1)
    html = render_to_string(
        "activities/staff/photos/_manage.html", {"report": draft, "can_edit": False}
    )
    assert "[照片1]" in html
    assert "<form" not in html


def test_report_page_offers_the_upload_to_its_filer_only(draft, personas, login):
    _add_photos(draft, personas.worker, 1)
    url = reverse("activities_staff:report", args=[draft.pk])
    worker_page = login(personas.worker).get(url).content.decode()
    assert upload_url(draft) in worker_page
    reviewer_page = login(personas.reviewer).get(url).content.decode()
    assert "[照片1]" in reviewer_page
    assert upload_url(draft) not in reviewer_page
