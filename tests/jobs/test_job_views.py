"""The job pages under /staff/jobs/: who sees a job and its file (the starter and
the managers of its unit; anyone else a 404), the progress bar's JSON, the
download, confirm and retry, and what the list and a job's page cost."""

import pytest

from core import jobs
from core.models import Job
from stations.jobs import NETWORK_IMPORT
from stations.permissions import unit_path
from tests.jobs.helpers import job_of

pytestmark = pytest.mark.django_db


def _job(by, **fields):
    """A finished job as the runner leaves it (the row only: the pages read it)."""
    fields.setdefault("status", Job.Status.SUCCEEDED)
    fields.setdefault("title", "导入社工")
    return Job.objects.create(kind=NETWORK_IMPORT, started_by=by, **fields)


def _urls(job):
    base = f"/staff/jobs/{job.pk}/"
    return [base, f"{base}status/"]


# Who sees a worker's job at station a1: the worker, the station head, the
# reviewer of county A1, the editor of city A and the superuser.
STATION_JOB_SEES = {
    "worker": True,
    "head": True,
    "other_worker": False,
    "supervisor": False,
    "reviewer": True,
    "other_reviewer": False,
    "editor": True,
    "other_editor": False,
    "nobody": False,
    "superuser": True,
}


@pytest.mark.parametrize("who, sees", STATION_JOB_SEES.items())
def test_a_station_job_is_seen_by_its_starter_and_the_station_managers(
    who, sees, login, personas, net
):
    job = _job(personas.worker, unit=unit_path(net.a1))
    client = login(getattr(personas, who))
    for url in _urls(job):
        assert client.get(url).status_code == (200 if sees else 404), url
    listed = client.get("/staff/jobs/").context["page"].object_list
    assert (job in listed) is sees


@pytest.mark.parametrize(
    "who, sees",
    [
        ("editor", True),
        ("reviewer", False),
        ("other_editor", False),
        ("worker", False),
        ("superuser", True),
    ],
)
def test_a_city_job_is_seen_by_the_city_editors_only(who, sees, login, personas, net):
    job = _job(personas.editor, unit=unit_path(net.city_a))
    client = login(getattr(personas, who))
    for url in _urls(job):
        assert client.get(url).status_code == (200 if sees else 404), url


def test_a_job_without_a_unit_is_its_starters_alone(login, personas, net):
    job = _job(personas.reviewer)
    assert login(personas.reviewer).get(job.get_absolute_url()).status_code == 200
    for user in (personas.editor, personas.other_reviewer, personas.worker):
        assert login(user).get(job.get_absolute_url()).status_code == 404


def test_job_pages_need_a_login(client, personas):
    job = _job(personas.editor)
    for url in [*_urls(job), "/staff/jobs/", f"/staff/jobs/{job.pk}/download/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_running_job_page_polls_and_shows_the_bar(login, personas):
    job = _job(
        personas.editor,
        status=Job.Status.RUNNING,
        progress_done=30,
        progress_total=120,
        message="逐行检查",
    )
    html = login(personas.editor).get(job.get_absolute_url()).content.decode()
    assert 'src="/static/js/job_progress.js"' in html
    assert f'data-job-status-url="/staff/jobs/{job.pk}/status/"' in html
    assert 'max="120" value="30"' in html
    assert "30 / 120（25%）" in html and "逐行检查" in html
    # No inline script: the page keeps to the site's script-src 'self'.
    assert "<script>" not in html


def test_a_finished_job_page_shows_errors_timing_and_no_polling(login, personas):
    job = _job(
        personas.editor,
        status=Job.Status.FAILED,
        message="有 2 行存在错误，未导入任何数据。请改正后重新上传。",
        row_errors=[
            {"line": None, "errors": ["缺少列：姓名"]},
            {"line": 7, "errors": ["镇（街道）：找不到“无此镇”"]},
        ],
        log_tail="10:00:00 开始处理",
    )
    html = login(personas.editor).get(job.get_absolute_url()).content.decode()
    assert "job_progress.js" not in html
    assert "有 2 行存在错误" in html
    assert "整个文件" in html and "缺少列：姓名" in html
    assert "镇（街道）：找不到“无此镇”" in html
    assert "运行日志" in html
    # The file had errors: running it again would give the same answer.
    assert "重新运行" not in html
    response = login(personas.editor).post(f"/staff/jobs/{job.pk}/retry/", follow=True)
    assert "重新运行结果相同" in response.content.decode()
    # An error or an interrupted process may pass: its starter may run it again.
    Job.objects.filter(pk=job.pk).update(result={"retryable": True})
    html = login(personas.editor).get(job.get_absolute_url()).content.decode()
    assert "重新运行" in html
    assert Job.objects.count() == 1


def test_retry_reruns_a_failed_job_once_for_its_starter(
    plug, start, login, personas, net
):
    plug()
    failed = start(params={"town": net.a1.town.pk, "n": 4, "fail_at": 2})
    assert failed.status == Job.Status.FAILED
    # The fault is mended; running it again works, a second click is the same job.
    params = {**failed.params}
    params.pop("fail_at")
    Job.objects.filter(pk=failed.pk).update(params=params)
    assert (
        login(personas.reviewer).post(f"/staff/jobs/{failed.pk}/retry/").status_code
        == 404
    )
    client = login(personas.editor)
    rerun = job_of(client.post(f"/staff/jobs/{failed.pk}/retry/"))
    assert rerun.status == Job.Status.SUCCEEDED
    assert rerun.params["retry_of"] == failed.pk
    assert job_of(client.post(f"/staff/jobs/{failed.pk}/retry/")).pk == rerun.pk
    # A job that worked is not run again.
    response = client.post(f"/staff/jobs/{rerun.pk}/retry/", follow=True)
    assert "只有未完成的任务可以重新运行" in response.content.decode()
    assert Job.objects.count() == 2


def test_confirm_is_refused_for_a_job_that_is_not_a_clean_dry_run(login, personas):
    client = login(personas.editor)
    for job in (
        _job(personas.editor, params={"dry_run": False}),
        _job(personas.editor, params={"dry_run": True}, status=Job.Status.FAILED),
    ):
        response = client.post(f"/staff/jobs/{job.pk}/confirm/", follow=True)
        assert "只有检查通过的导入才能确认" in response.content.decode()
    dry = _job(personas.editor, params={"dry_run": True})  # its file is gone
    response = client.post(f"/staff/jobs/{dry.pk}/confirm/", follow=True)
    assert "上传的文件已过保留期限被删除" in response.content.decode()
    assert Job.objects.count() == 3
    assert client.get(f"/staff/jobs/{dry.pk}/confirm/").status_code == 405


def test_the_list_costs_the_same_for_few_and_many_jobs(
    login, personas, net, django_assert_num_queries
):
    client = login(personas.editor)
    for n in range(2):
        _job(personas.editor, title=f"任务{n}")
    # 5 = session + user + scope + the page's count + its jobs with their
    # starters joined.
    with django_assert_num_queries(5):
        assert len(client.get("/staff/jobs/").context["page"].object_list) == 2
    for n in range(40):
        _job(personas.worker, unit=unit_path(net.a1), title=f"站内任务{n}")
    with django_assert_num_queries(5):
        response = client.get("/staff/jobs/")
        assert len(response.context["page"].object_list) == 30
    # Each kind is named as its app registered it.
    assert "社工站网络数据导入" in response.content.decode()


def test_a_job_page_costs_the_same_whatever_it_lists(
    login, personas, django_assert_num_queries
):
    client = login(personas.editor)

    def job_with(n):
        return _job(
            personas.editor,
            status=Job.Status.FAILED,
            row_errors=[{"line": i + 2, "errors": ["错误"]} for i in range(n)],
            result={
                "files": [
                    {"name": f"{i}.txt", "status": "failed", "detail": "x", "url": ""}
                    for i in range(n)
                ]
            },
        )

    small, large = job_with(1), job_with(500)
    # 5 = session + user + scope + the job with its starter + whether it was
    # run again already (the retry button).
    for job in (small, large):
        with django_assert_num_queries(5):
            client.get(job.get_absolute_url())
    # The status JSON: session + user + scope + the job.
    with django_assert_num_queries(4):
        client.get(f"/staff/jobs/{large.pk}/status/")


def test_live_state_of_a_queued_job(personas):
    job = _job(personas.editor, status=Job.Status.QUEUED)
    assert jobs.live_state(job)["percent"] is None
    assert jobs.live_state(job)["status_label"] == "排队中"
