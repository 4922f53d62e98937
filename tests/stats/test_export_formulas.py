"""The statistics workbook never carries a live formula: report titles and
station names typed as formulas are text cells, on the page's download and in
the background job's file, while the figures stay numbers."""

import pytest

from core.jobs import job_start
from core.models import Job
from stations.models import Station
from stations.permissions import unit_path
from stats.jobs import STATS_EXPORT
from tests.report_fixtures import at
from tests.sheet_checks import HYPERLINK, assert_xlsx_has_no_formulas
from tests.stats.conftest import D

pytestmark = pytest.mark.django_db
URL = "/staff/stats/export.xlsx"
QUERY = "from=2023-01&to=2023-03"


@pytest.fixture
def risky_names(net, personas, file_report):
    # Station names are typed by the city's editors (network import, admin).
    Station.objects.filter(pk=net.a1.pk).update(name="+1+1")
    # Submitted after the 5th of the next month: listed among the late reports.
    file_report(
        personas.worker,
        net.a1,
        "宣传",
        D(2023, 1, 10),
        submitted=at(2023, 2, 20),
        reviewer=personas.reviewer,
        title=HYPERLINK,
        person_times=7,
    )


def test_download_writes_typed_text_as_text(login, personas, risky_names):
    response = login(personas.reviewer).get(f"{URL}?{QUERY}")
    assert response.status_code == 200
    values = assert_xlsx_has_no_formulas(response.content, [HYPERLINK, "+1+1"])
    assert 7 in values  # the report's 人次, still a number


def test_job_file_writes_typed_text_as_text(login, personas, net, risky_names):
    job = job_start(
        kind=STATS_EXPORT,
        by=personas.reviewer,
        title="导出统计表",
        params={"query": f"unit=county:{net.county_a1.pk}&{QUERY}"},
        unit=unit_path(net.county_a1),
    )
    assert job.status == Job.Status.SUCCEEDED, job.log_tail
    response = login(personas.reviewer).get(f"/staff/jobs/{job.pk}/download/")
    content = b"".join(response.streaming_content)
    assert_xlsx_has_no_formulas(content, [HYPERLINK])
