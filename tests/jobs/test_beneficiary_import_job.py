"""A station's large sheet of beneficiary files goes through a background job:
checked (masked), confirmed by its uploader only, imported all or nothing, its
upload kept out of media and deleted once imported; the same sheet twice adds
nothing; and who may see the job."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from beneficiaries.jobs import BENEFICIARY_IMPORT
from beneficiaries.models import Beneficiary
from core.models import AuditEntry, Job, job_storage
from stations.permissions import unit_path
from tests import factories
from tests.beneficiaries.conftest import new_id
from tests.jobs.helpers import csv_upload, job_of, stored_job_files

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = ["姓名", "身份证号", "联系电话", "镇（街道）", "村（居）", "服务对象类别"]


@pytest.fixture(autouse=True)
def always_background(settings):
    settings.JOBS_INLINE_MAX_BYTES = 0


@pytest.fixture
def village(net):
    return factories.VillageFactory(town=net.a1.town, name="东村")


def _rows(n=3):
    return [
        [f"示例·{i}", new_id(D(2015, 1, 2)), "13811112222", "东镇", "东村", "困境儿童"]
        for i in range(n)
    ]


def _upload(client, rows):
    return client.post(
        "/staff/beneficiaries/import/", {"file": csv_upload(HEADERS, rows)}
    )


def test_sheet_is_checked_in_the_background_then_confirmed(
    login, personas, net, village, settings
):
    rows = _rows(3)
    client = login(personas.worker)
    job = job_of(_upload(client, rows))
    assert (job.kind, job.unit, job.started_by) == (
        BENEFICIARY_IMPORT,
        unit_path(net.a1),
        personas.worker,
    )
    assert job.status == Job.Status.SUCCEEDED and job.is_dry_run
    assert job.result["totals"]["new"] == 3
    assert not Beneficiary.objects.exists()
    # The sheet holds full ID numbers: it waits outside media, for a day at most.
    (stored,) = stored_job_files()
    assert job_storage.path(stored).startswith(str(settings.JOBS_ROOT))
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.csv"))
    with pytest.raises(ValueError):  # never served by URL
        _url = job.input_file.url
    assert job.input_expires_at - timezone.now() < datetime.timedelta(days=1, hours=1)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "确认导入" in page
    assert rows[0][1] not in page and "13811112222" not in page

    done = job_of(client.post(f"/staff/jobs/{job.pk}/confirm/"))
    assert done.status == Job.Status.SUCCEEDED, done.message
    assert done.title == "导入服务对象档案：" + net.a1.full_name
    assert Beneficiary.objects.filter(station=net.a1).count() == 3
    assert AuditEntry.objects.filter(action="import", username="alice").exists()
    assert stored_job_files() == []
    assert done.result_url == "/staff/beneficiaries/"


def test_row_errors_are_listed_masked_and_nothing_is_written(
    login, personas, net, village
):
    rows = _rows(2)
    rows.append(["示例·重", rows[0][1], "", "东镇", "东村", "困境儿童"])
    client = login(personas.worker)
    job = job_of(_upload(client, rows))
    assert job.status == Job.Status.FAILED
    assert job.message == "有 1 行存在错误，未导入任何数据。请改正后重新上传。"
    assert job.row_errors == [
        {"line": 4, "errors": ["身份证号：重复：与第 2 行身份证号相同"]}
    ]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "身份证号：重复：与第 2 行身份证号相同" in page
    assert rows[0][1] not in page
    assert "确认导入" not in page
    assert not Beneficiary.objects.exists()


def test_the_same_sheet_twice_adds_nothing(login, personas, net, village):
    rows = _rows(2)
    client = login(personas.worker)
    first = job_of(_upload(client, rows))
    job_of(client.post(f"/staff/jobs/{first.pk}/confirm/"))
    assert Beneficiary.objects.count() == 2
    second = job_of(_upload(client, rows))
    assert second.status == Job.Status.FAILED
    assert all("重复" in row["errors"][0] for row in second.row_errors)
    assert Beneficiary.objects.count() == 2


def test_only_the_uploader_confirms(login, personas, net, village):
    job = job_of(_upload(login(personas.worker), _rows(1)))
    # The station head sees the job (a manager of its station) but did not
    # upload the sheet: confirming is not theirs to do.
    for user in (personas.head, personas.reviewer, personas.editor):
        client = login(user)
        assert client.get(job.get_absolute_url()).status_code == 200
        assert "确认导入" not in client.get(job.get_absolute_url()).content.decode()
        assert client.post(f"/staff/jobs/{job.pk}/confirm/").status_code == 404
    assert not Beneficiary.objects.exists()
    assert Job.objects.count() == 1


def test_a_reviewer_cannot_start_an_import(login, personas, net, village):
    assert _upload(login(personas.reviewer), _rows(1)).status_code == 403
    assert not Job.objects.exists()
