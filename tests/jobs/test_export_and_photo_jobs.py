"""Jobs that make a file or work through a batch: an issue's Word file from the
staff issue page (downloaded from the job page by those who see the job), and a
large batch of report photos processed in the background with a result per
file, which a second run does not add twice."""

# Fixtures imported from other test folders are parameters here, by design.
# ruff: noqa: F811

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.jobs import PHOTO_BATCH
from activities.services.reports import report_submit
from core.models import Job
from newsletter.jobs import ISSUE_WORD
from stations.jobs import NETWORK_IMPORT
from stations.permissions import unit_path
from tests.activities.photo_helpers import jpeg
from tests.jobs.helpers import job_of, stored_job_files
from tests.newsletter.conftest import (  # noqa: F401 (fixtures)
    approve,
    assemble,
    draft,
    publication,
    three_levels,
)

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_word_file_is_made_in_the_background_and_downloaded(
    draft,
    login,
    personas,
    net,
):
    client = login(personas.editor)
    assert (
        f'action="/staff/issues/{draft.pk}/word/job/"'
        in client.get(f"/staff/issues/{draft.pk}/").content.decode()
    )
    job = job_of(client.post(f"/staff/issues/{draft.pk}/word/job/"))
    assert (job.kind, job.unit, job.status) == (
        ISSUE_WORD,
        unit_path(net.city_a),
        Job.Status.SUCCEEDED,
    )
    # One step per article written.
    assert (job.progress_done, job.progress_total) == (8, 8)
    assert job.result_name.endswith(".docx")
    page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="/staff/jobs/{job.pk}/download/"' in page
    response = client.get(f"/staff/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"
    data = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    # A county reviewer reads the draft (it holds the county's articles): they
    # may make its Word file too, as their own job.
    theirs = job_of(
        login(personas.reviewer).post(f"/staff/issues/{draft.pk}/word/job/")
    )
    assert (theirs.started_by, theirs.status) == (personas.reviewer, "succeeded")
    # The editors of another city see neither the job nor its file; a county
    # reviewer did not start it and manages no city.
    for user in (personas.other_editor, personas.reviewer, personas.worker):
        other = login(user)
        assert other.get(job.get_absolute_url()).status_code == 404
        assert other.get(f"/staff/jobs/{job.pk}/download/").status_code == 404


def test_word_job_of_an_issue_out_of_reach_is_a_404(draft, login, personas):
    for user in (personas.other_editor, personas.worker):
        assert (
            login(user).post(f"/staff/issues/{draft.pk}/word/job/").status_code == 404
        )
    assert (
        login(personas.editor).get(f"/staff/issues/{draft.pk}/word/job/").status_code
        == 405
    )
    assert not Job.objects.exists()


def test_download_of_a_job_without_a_file_is_a_404(login, personas):
    job = Job.objects.create(
        kind=NETWORK_IMPORT,
        title="t",
        started_by=personas.editor,
        status=Job.Status.SUCCEEDED,
    )
    assert (
        login(personas.editor).get(f"/staff/jobs/{job.pk}/download/").status_code == 404
    )


# --- Photos ---------------------------------------------------------------------------


@pytest.fixture
def report(personas, net, make_report):
    return make_report(personas.worker, net.a1)


def _photos(*colors):
    return [
        SimpleUploadedFile(f"IMG_{n}.jpg", jpeg(color=color), "image/jpeg")
        for n, color in enumerate(colors)
    ]


def _upload(client, report, files, **fields):
    return client.post(
        f"/staff/reports/{report.pk}/photos/", {"photos": files, **fields}
    )


def test_a_large_batch_of_photos_is_processed_in_the_background(
    report, login, personas, settings
):
    settings.JOBS_INLINE_PHOTO_BYTES = 0
    client = login(personas.worker)
    files = _photos("red", "blue", "green")
    files.insert(2, SimpleUploadedFile("notes.jpg", "不是图片".encode(), "image/jpeg"))
    job = job_of(_upload(client, report, files, caption="活动现场"))
    assert (job.kind, job.unit) == (PHOTO_BATCH, unit_path(report.station))
    assert job.status == Job.Status.SUCCEEDED
    assert job.message == "已保存 3 张照片。1 张未保存，原因见下表。"
    assert [(f["name"], f["status"]) for f in job.result["files"]] == [
        ("IMG_0.jpg", "saved"),
        ("IMG_1.jpg", "saved"),
        ("notes.jpg", "failed"),
        ("IMG_2.jpg", "saved"),
    ]
    assert "不是图片" in job.result["files"][2]["detail"]
    assert [p.caption for p in report.photos.all()] == ["活动现场"] * 3
    assert job.result_url == f"/staff/reports/{report.pk}/#photos"
    assert stored_job_files() == []  # the originals go once they are processed
    page = client.get(job.get_absolute_url()).content.decode()
    assert "逐个文件的结果" in page and "notes.jpg" in page
    # The same photos again: recognised, nothing added twice.
    again = job_of(_upload(client, report, _photos("red", "blue")))
    assert again.status == Job.Status.SUCCEEDED
    assert {f["status"] for f in again.result["files"]} == {"duplicate"}
    assert "已上传过，跳过" in client.get(again.get_absolute_url()).content.decode()
    assert report.photos.count() == 3


def test_photos_of_a_report_submitted_meanwhile_are_not_saved(
    report, login, personas, settings
):
    settings.JOBS_INLINE_PHOTO_BYTES = 0
    client = login(personas.worker)
    report_submit(report=report, by=personas.worker)
    job = job_of(_upload(client, report, _photos("red", "blue")))
    assert job.status == Job.Status.FAILED
    assert {f["status"] for f in job.result["files"]} == {"failed"}
    assert "不能修改照片" in job.result["files"][1]["detail"]
    assert not report.photos.exists()


def test_a_small_batch_is_still_saved_at_once(report, login, personas):
    response = _upload(login(personas.worker), report, _photos("red"))
    assert response["Location"] == f"/staff/reports/{report.pk}/#photos"
    assert report.photos.count() == 1
    assert not Job.objects.exists()


def test_photos_of_a_report_out_of_reach_start_no_job(
    report, login, personas, settings
):
    settings.JOBS_INLINE_PHOTO_BYTES = 0
    for user in (personas.other_worker, personas.reviewer):
        assert _upload(login(user), report, _photos("red")).status_code == 404
    assert not Job.objects.exists()
