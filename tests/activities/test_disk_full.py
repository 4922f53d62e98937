"""The media disk full while a report's photos are saved (on the report page,
with a new report, from a Word file, in a background batch): refused with a
Chinese message, said once, no report or photo row and no rendition file left
behind; a batch keeps the photos it completed before the disk filled."""

import io

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from activities.jobs import PHOTO_BATCH
from activities.models import ActivityKind, ActivityReport, ReportPhoto
from tests.activities.photo_helpers import jpeg
from tests.activities.test_report_create_photos import _post_data
from tests.activities.word_helpers import nothing_written
from tests.disk_full import full_after
from tests.jobs.helpers import job_of, stored_job_files

FULL = "服务器存储空间已满，照片没有保存。请联系管理员清理空间后再试。"


def _upload(name="a.jpg", color="red"):
    return SimpleUploadedFile(name, jpeg(color=color), content_type="image/jpeg")


def test_a_photo_whose_third_rendition_finds_the_disk_full(
    draft, personas, login, settings
):
    # Two renditions written, the third refused.
    left = full_after(settings, 2)
    response = login(personas.worker).post(
        reverse("activities_staff:photo_upload", args=[draft.pk]),
        {"photos": [_upload()], "caption": "现场"},
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(FULL in t for t in texts), texts
    assert not ReportPhoto.objects.exists()
    assert left() == []


def test_a_batch_stops_at_the_full_disk_and_keeps_no_half_photo(
    draft, personas, login, settings
):
    # The first photo's three files fit; the second's second rendition does not.
    left = full_after(settings, 4)
    response = login(personas.worker).post(
        reverse("activities_staff:photo_upload", args=[draft.pk]),
        {
            "photos": [
                _upload("a.jpg"),
                _upload("b.jpg", "blue"),
                _upload("c.jpg", "green"),
            ]
        },
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    # Said once, not for every file after it.
    assert sum(FULL in t for t in texts) == 1, texts
    photo = ReportPhoto.objects.get()
    assert sorted(left()) == sorted(
        [photo.thumb.name, photo.web.name, photo.print_image.name]
    )


# --- A new report with its photos -------------------------------------------------

REPORT_FULL = "服务器存储空间已满，报告和照片都没有保存。请联系管理员清理空间后再试。"


def test_a_new_report_whose_second_photo_finds_the_disk_full(
    personas, login, net, kinds, settings
):
    # The first photo's three files fit, the second's second rendition does not.
    left = full_after(settings, 4)
    data = _post_data(
        kinds, photos=[_upload("a.jpg"), _upload("b.jpg", "blue")], caption="现场"
    )
    response = login(personas.worker).post("/staff/reports/new/", data)
    # The form comes back filled, saying why; nothing was filed.
    assert response.status_code == 200
    assert REPORT_FULL in response.content.decode()
    assert response.context["form"]["title"].value() == data["title"]
    assert not ActivityReport.objects.exists()
    assert not ReportPhoto.objects.exists()
    assert left() == []


# --- A report started from a Word file --------------------------------------------

WORD_FULL = (
    "服务器存储空间已满，没有生成草稿，图片也没有保存。请联系管理员清理空间后再试。"
)


def _docx_with_two_pictures() -> bytes:
    doc = Document()
    doc.add_paragraph("东镇社工站开展儿童安全宣传活动")
    doc.add_paragraph("为加强对下一代的关心、关爱，社工站开展活动。")
    doc.add_picture(io.BytesIO(jpeg(color="red")))
    doc.add_paragraph("活动中，社工为孩子们讲解安全知识。")
    doc.add_picture(io.BytesIO(jpeg(color="blue")))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_word_file_whose_second_picture_finds_the_disk_full(
    personas, login, net, settings
):
    left = full_after(settings, 4)
    file = io.BytesIO(_docx_with_two_pictures())
    file.name = "报道.docx"
    kind = ActivityKind.objects.get(name="宣传")
    response = login(personas.worker).post(
        "/staff/reports/new/from-word/", {"file": file, "kind": kind.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    # Said once: not as a skipped picture, and not again for the next one.
    assert page.count(WORD_FULL) == 1
    assert "已跳过" not in page
    assert nothing_written()
    assert left() == []


def test_a_word_file_with_room_for_its_pictures_files_them(
    personas, login, net, settings
):
    # The control: the same file on a disk with room gives a draft with both.
    full_after(settings, 6)
    file = io.BytesIO(_docx_with_two_pictures())
    file.name = "报道.docx"
    kind = ActivityKind.objects.get(name="宣传")
    response = login(personas.worker).post(
        "/staff/reports/new/from-word/", {"file": file, "kind": kind.pk}
    )
    assert response.status_code == 302
    assert ActivityReport.objects.get().photos.count() == 2


# --- A large batch, in the background ---------------------------------------------


def test_the_photo_batch_job_stops_at_the_full_disk_and_says_so_once(
    draft, personas, login, settings
):
    settings.JOBS_INLINE_PHOTO_BYTES = 0  # the batch goes to a job
    # The first photo's three files fit; the second's third rendition does not.
    left = full_after(settings, 5)
    client = login(personas.worker)
    response = client.post(
        reverse("activities_staff:photo_upload", args=[draft.pk]),
        {
            "photos": [
                _upload("a.jpg"),
                _upload("b.jpg", "blue"),
                _upload("c.jpg", "green"),
                _upload("d.jpg", "yellow"),
            ]
        },
    )
    job = job_of(response)
    assert job.kind == PHOTO_BATCH
    assert job.message == "已保存 1 张照片。" + FULL + "3 张未保存。"
    assert [(f["name"], f["status"]) for f in job.result["files"]] == [
        ("a.jpg", "saved"),
        ("b.jpg", "failed"),
        ("c.jpg", "failed"),
        ("d.jpg", "failed"),
    ]
    assert not any(FULL in f["detail"] for f in job.result["files"])
    # The photo completed stays, with its three files and nothing else.
    photo = ReportPhoto.objects.get()
    assert photo.report_id == draft.pk
    assert sorted(left()) == sorted(
        [photo.thumb.name, photo.web.name, photo.print_image.name]
    )
    assert stored_job_files() == []
    # The result says it above the table; the table's rows point to it.
    page = client.get(job.get_absolute_url()).content.decode()
    result, rest = page.split("逐个文件的结果", 1)
    table = rest.split("</table>", 1)[0]
    assert FULL in result and FULL not in table
    assert table.count("见上方说明") == 3
