"""Back-filling past reports through the background job: the screen is for those
who review reports, the dry run lists row errors, a clean one is confirmed, and
the same file again adds nothing; the command shows a progress bar."""

# Fixtures imported from other test folders are parameters here, by design.
# ruff: noqa: F811

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from activities.jobs import REPORT_IMPORT
from activities.models import ActivityReport
from core.models import Job
from stations.permissions import unit_path
from tests.activities.report_resource_helpers import csv_bytes, row
from tests.jobs.helpers import job_of

pytestmark = pytest.mark.django_db


def _upload(client, rows, name="reports.csv"):
    return client.post(
        "/staff/reports/import/", {"file": SimpleUploadedFile(name, csv_bytes(rows))}
    )


def _rows(n):
    return [
        row(标题=f"开展敬老活动第{i}场", 开始日期=f"2022-10-{i + 1:02d}")
        for i in range(n)
    ]


@pytest.mark.parametrize(
    "who, status",
    [
        ("worker", 403),
        ("head", 403),
        ("supervisor", 403),
        ("nobody", 403),
        ("reviewer", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_only_those_who_review_may_back_fill(who, status, login, personas, net):
    client = login(getattr(personas, who))
    assert client.get("/staff/reports/import/").status_code == status
    assert client.get("/staff/reports/import/template.xlsx").status_code == status
    assert _upload(client, _rows(1)).status_code == (403 if status == 403 else 302)


def test_back_fill_is_checked_confirmed_and_not_repeated(
    login,
    personas,
    net,
    kinds,
):
    client = login(personas.reviewer)
    job = job_of(_upload(client, _rows(12)))
    assert (job.kind, job.unit) == (REPORT_IMPORT, unit_path(net.county_a1))
    assert job.status == Job.Status.SUCCEEDED, job.row_errors
    assert (job.progress_done, job.progress_total) == (12, 12)
    assert not ActivityReport.objects.exists()
    done = job_of(client.post(f"/staff/jobs/{job.pk}/confirm/"))
    assert done.status == Job.Status.SUCCEEDED
    assert done.title == "补录历史活动报告"
    assert (
        ActivityReport.objects.filter(station=net.a1, status="approved").count() == 12
    )
    # The same file again: every row is a repeat, refused, nothing added.
    again = job_of(_upload(client, _rows(12)))
    assert again.status == Job.Status.FAILED
    assert len(again.row_errors) == 12
    assert ActivityReport.objects.count() == 12


def test_row_errors_of_a_back_fill_in_chinese(login, personas, net, kinds):
    client = login(personas.reviewer)
    rows = [*_rows(2), row(**{"县（市、区）": "甲二县", "镇（街道）": "南镇"})]
    job = job_of(_upload(client, rows))
    assert job.status == Job.Status.FAILED
    assert [e["line"] for e in job.row_errors] == [4]
    assert not ActivityReport.objects.exists()


def test_bad_uploads_are_refused_on_the_screen(login, personas, net):
    client = login(personas.reviewer)
    response = client.post(
        "/staff/reports/import/", {"file": SimpleUploadedFile("r.txt", b"abc")}
    )
    assert response.status_code == 400
    assert "只支持 Excel（.xlsx）和 CSV（.csv）文件" in response.content.decode()
    assert client.post("/staff/reports/import/", {}).status_code == 400
    job = job_of(
        client.post(
            "/staff/reports/import/",
            {"file": SimpleUploadedFile("r.xlsx", b"not a workbook")},
        )
    )
    assert job.status == Job.Status.FAILED
    assert "无法读取该 Excel 文件" in job.message
    assert Job.objects.count() == 1


def test_the_command_shows_a_progress_bar(personas, net, kinds, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_bytes(csv_bytes(_rows(20)))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_reports",
        str(path),
        user=personas.reviewer.username,
        stdout=out,
        stderr=err,
    )
    assert "已补录 20 份历史报告" in out.getvalue()
    # Not a terminal: a line at each tenth, for the check and again the write.
    bars = [line for line in err.getvalue().splitlines() if line.startswith("[")]
    assert bars[0].startswith("[------------------------------]   0.0% 0/20")
    assert any(re.search(r"\] 100\.0% 20/20", line) for line in bars)
    assert len(bars) >= 10
