"""A large network sheet goes to a background job: the upload leads to the job
page, the dry run lists the row errors in Chinese, a clean one is confirmed and
imported, and the uploaded file is deleted once imported."""

import pytest

from core.models import Job
from stations.jobs import NETWORK_IMPORT
from stations.models import Village
from stations.permissions import unit_path
from tests.jobs.helpers import csv_upload, job_of, stored_job_files
from tests.stations.import_helpers import good_rows

pytestmark = pytest.mark.django_db
HEADERS = ["县（市、区）", "镇（街道）", "名称", "类型", "备注"]


@pytest.fixture(autouse=True)
def always_background(settings):
    settings.JOBS_INLINE_MAX_BYTES = 0


def _upload(client, rows):
    return client.post("/staff/import/villages/", {"file": csv_upload(HEADERS, rows)})


def test_clean_sheet_is_checked_then_confirmed_and_imported(login, personas, net):
    client = login(personas.editor)
    rows = [["甲一区", "东镇", f"东{i}村", "村", ""] for i in range(30)]
    job = job_of(_upload(client, rows))
    assert job.kind == NETWORK_IMPORT
    assert job.status == Job.Status.SUCCEEDED
    assert job.is_dry_run
    assert (job.progress_done, job.progress_total) == (30, 30)
    assert "检查通过：将新增 30 行" in job.message
    assert not Village.objects.filter(name__startswith="东").exists()
    page = client.get(job.get_absolute_url())
    assert "确认导入" in page.content.decode()

    confirmed = job_of(client.post(f"/staff/jobs/{job.pk}/confirm/"))
    assert confirmed.status == Job.Status.SUCCEEDED, confirmed.message
    assert not confirmed.is_dry_run
    assert Village.objects.filter(town=net.a1.town, name__startswith="东").count() == 30
    # Imported: the upload is gone, from both jobs.
    assert stored_job_files() == []
    job.refresh_from_db()
    assert not job.input_file and not confirmed.input_file
    # A second click on the same button is the same job, not a second import.
    again = job_of(client.post(f"/staff/jobs/{job.pk}/confirm/"))
    assert again.pk == confirmed.pk


def test_row_errors_are_listed_in_chinese_and_nothing_is_written(login, personas, net):
    client = login(personas.editor)
    rows = [
        ["甲一区", "东镇", "东一村", "村", ""],
        ["甲一区", "无此镇", "东二村", "村", ""],
    ]
    job = job_of(_upload(client, rows))
    assert job.status == Job.Status.FAILED
    assert "有 1 行存在错误" in job.message
    assert [e["line"] for e in job.row_errors] == [3]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "无此镇" in page or "镇（街道）" in page
    assert "确认导入" not in page
    assert not Village.objects.filter(name__in=["东一村", "东二村"]).exists()


def test_a_county_reviewer_imports_workers_in_the_background(login, personas, net):
    headers, rows, landed = good_rows("workers", net)
    client = login(personas.reviewer)
    job = job_of(
        client.post("/staff/import/workers/", {"file": csv_upload(headers, rows)})
    )
    # Filed under the reviewer's county: its city editor sees it too.
    assert (job.unit, job.status) == (unit_path(net.county_a1), Job.Status.SUCCEEDED)
    assert login(personas.editor).get(job.get_absolute_url()).status_code == 200
    assert login(personas.other_reviewer).get(job.get_absolute_url()).status_code == 404
    done = job_of(login(personas.reviewer).post(f"/staff/jobs/{job.pk}/confirm/"))
    assert done.status == Job.Status.SUCCEEDED, done.row_errors
    assert landed()


@pytest.mark.parametrize("who", ["worker", "head", "supervisor", "nobody"])
def test_those_who_do_not_manage_the_network_start_no_import(who, login, personas, net):
    headers, rows, _landed = good_rows("villages", net)
    client = login(getattr(personas, who))
    response = client.post(
        "/staff/import/villages/", {"file": csv_upload(headers, rows)}
    )
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_large_file_of_the_wrong_kind_is_refused_at_once(login, personas, net):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(personas.editor).post(
        "/staff/import/villages/", {"file": SimpleUploadedFile("v.txt", b"x" * 100)}
    )
    assert response.status_code == 400
    assert "只支持 Excel（.xlsx）和 CSV（.csv）文件" in response.content.decode()
    assert not Job.objects.exists()
