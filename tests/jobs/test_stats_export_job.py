"""The statistics workbook made by a background job, for the unit and period of
the dashboard's query string, read again for the starter."""

import io

import openpyxl
import pytest

from core.jobs import job_start
from core.models import AuditEntry, Job
from stations.permissions import unit_path
from stats.jobs import STATS_EXPORT

pytestmark = pytest.mark.django_db


def _export(user, query, **unit):
    return job_start(
        kind=STATS_EXPORT,
        by=user,
        title="导出统计表",
        params={"query": query},
        **unit,
    )


def test_the_workbook_of_a_county_is_made_and_downloaded(login, personas, net):
    job = _export(
        personas.reviewer,
        f"unit=county:{net.county_a1.pk}&from=2023-01&to=2023-12",
        unit=unit_path(net.county_a1),
    )
    assert job.status == Job.Status.SUCCEEDED, job.log_tail
    assert job.result_name.endswith(".xlsx") and "甲一区" in job.result_name
    assert (job.progress_done, job.progress_total) == (2, 2)
    response = login(personas.reviewer).get(f"/staff/jobs/{job.pk}/download/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) > 1
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, username=personas.reviewer.username
    ).exists()
    # The city's editor manages the county and sees the job; another county's
    # reviewer does not.
    assert login(personas.editor).get(job.get_absolute_url()).status_code == 200
    assert login(personas.other_reviewer).get(job.get_absolute_url()).status_code == 404


def test_a_unit_out_of_reach_makes_no_workbook(personas, net):
    # As on the dashboard, where another county is a 404.
    job = _export(personas.reviewer, f"unit=county:{net.county_a2.pk}")
    assert job.status == Job.Status.FAILED
    assert "没有权限" in job.message
    assert not job.result_file


def test_someone_without_statistics_gets_nothing(personas, net):
    job = _export(personas.nobody, "")
    assert job.status == Job.Status.FAILED
    assert "没有权限" in job.message
    assert not job.result_file


def test_the_dashboard_offers_the_export_as_a_job(login, personas, net):
    client = login(personas.reviewer)
    query = f"unit=county:{net.county_a1.pk}&from=2023-01&to=2023-12"
    page = client.get(f"/staff/stats/?{query}").content.decode()
    assert "后台导出 Excel" in page
    response = client.post(f"/staff/stats/export.xlsx?{query}")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.unit, job.status) == (
        STATS_EXPORT,
        unit_path(net.county_a1),
        Job.Status.SUCCEEDED,
    )
    # Out of reach: the same 404 as the direct download, and no job.
    other = f"unit=county:{net.county_a2.pk}"
    assert client.post(f"/staff/stats/export.xlsx?{other}").status_code == 404
    assert Job.objects.count() == 1
