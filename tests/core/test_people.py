"""Staff pages name people, not logins (core/people.py): a social worker by the
姓名 on their record (the source stations registers), anyone else by the
account's name, the login name only when the account has none; and the pages
that list people read the names with their rows, not a query each."""

import pytest
from django.urls import reverse

from core.models import Job
from core.people import account_name, display_name
from stations.jobs import NETWORK_IMPORT
from stations.permissions import unit_path
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_account(personas, net):
    """personas.worker as the record of station a1's worker 黄晓婷 knows her."""
    net.worker_a1.real_name = "黄晓婷"
    net.worker_a1.user = personas.worker
    net.worker_a1.save()
    return personas.worker


def _job(by, **fields):
    fields.setdefault("status", Job.Status.SUCCEEDED)
    fields.setdefault("title", "导入社工")
    return Job.objects.create(kind=NETWORK_IMPORT, started_by=by, **fields)


# --- The name ---------------------------------------------------------------------


def test_a_social_worker_is_named_by_their_record(worker_account):
    # Even when the account carries another name: the station keeps the record.
    worker_account.first_name = "小婷"
    worker_account.save()
    assert display_name(worker_account) == "黄晓婷"


def test_an_account_without_a_worker_record_is_named_by_its_own_name():
    user = factories.UserFactory(username="zhou", first_name="文静", last_name="周")
    # Family name first, no space, as a Chinese name is written.
    assert display_name(user) == "周文静"
    assert account_name(factories.UserFactory(first_name="周文静")) == "周文静"
    assert (
        account_name(factories.UserFactory(first_name="Ada", last_name="Lovelace"))
        == "Ada Lovelace"
    )


def test_the_login_name_only_when_there_is_no_name():
    assert display_name(factories.UserFactory(username="reviewer2")) == "reviewer2"
    assert display_name(None) == ""


# --- Job pages: 发起人 ------------------------------------------------------------


def test_the_job_list_shows_who_started_each_job_by_name(
    login, personas, net, worker_account, django_assert_num_queries
):
    personas.editor.first_name, personas.editor.last_name = "文静", "周"
    personas.editor.save()
    _job(worker_account, unit=unit_path(net.a1), title="站内任务")
    _job(personas.editor, title="市级任务")
    client = login(personas.editor)
    # 5 = session + user + scope + the page's count + its jobs with their
    # starters and the starters' worker records joined: names cost no query.
    with django_assert_num_queries(5):
        response = client.get(reverse("core_staff:jobs"))
    html = response.content.decode()
    assert '<th scope="col">发起人</th>' in html
    assert "黄晓婷" in html
    assert "周文静" in html
    assert ">alice<" not in html
    assert ">erin<" not in html


def test_a_job_page_names_who_started_it(
    login, personas, net, worker_account, django_assert_num_queries
):
    job = _job(worker_account, unit=unit_path(net.a1))
    client = login(personas.head)
    # 4 = session + user + scope + the job with its starter and the starter's
    # worker record (not the head's own job: no retry button to look up).
    with django_assert_num_queries(4):
        response = client.get(job.get_absolute_url())
    html = response.content.decode()
    assert "发起人：黄晓婷" in html
    assert "发起人：alice" not in html


# --- Report pages: 填报人 ----------------------------------------------------------


def test_the_report_list_and_page_name_the_author(
    login, personas, net, worker_account, make_report
):
    draft = make_report(personas.worker, net.a1)
    client = login(personas.worker)
    listed = client.get(reverse("activities_staff:reports")).content.decode()
    assert "黄晓婷" in listed
    page = client.get(reverse("activities_staff:report", args=[draft.pk]))
    assert "<dt>填报人</dt><dd>黄晓婷</dd>" in page.content.decode()
