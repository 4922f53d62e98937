"""The job queue's broker stopped (JOBS_MODE=celery, nothing listening): a job
start is refused in Chinese on the page it came from, with no Job row and no
stored upload left, after a bounded number of publish attempts; a notification
waits in its Delivery row for the retry sweep."""

import pytest
import redis.connection

from core.models import Delivery, Event, Job
from portal.celery import app
from tests.jobs.helpers import csv_upload, point_celery_at, stored_job_files

CLOSED = "redis://127.0.0.1:1/0"
HEADERS = ["县（市、区）", "镇（街道）", "名称", "类型", "备注"]
REFUSAL = (
    "任务队列暂时无法连接，任务没有开始，也没有写入任何数据。"
    "请稍后再试；如果一直这样，请联系管理员。"
)


@pytest.fixture
def broker_down(settings, monkeypatch):
    settings.JOBS_MODE = "celery"
    saved = point_celery_at(app, CLOSED)
    tries = []
    connect = redis.connection.AbstractConnection.connect

    def counted(self, *args, **kwargs):
        tries.append(self.port)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counted)
    yield tries
    point_celery_at(app, saved)


@pytest.mark.django_db(transaction=True)
def test_a_job_start_is_refused_when_the_broker_is_down(
    broker_down, login, personas, net, settings
):
    settings.JOBS_INLINE_MAX_BYTES = 10  # the sheet goes to a background job
    client = login(personas.editor)
    rows = [[net.county_a1.name, net.a1.town.name, "新村", "村", ""]]
    before = Job.objects.count()
    page = "/staff/import/villages/"
    response = client.post(
        page,
        {"file": csv_upload(HEADERS, rows)},
        HTTP_REFERER=f"http://testserver{page}",
        follow=True,
    )
    assert response.status_code in (200, 400)
    assert response.redirect_chain == [] or response.redirect_chain[-1][0].endswith(
        page
    )
    assert REFUSAL in response.content.decode()
    assert Job.objects.count() == before
    assert stored_job_files() == []
    # Bounded: a connection and a few publish retries, not an endless wait.
    assert 1 <= len(broker_down) <= 6


@pytest.mark.django_db(transaction=True)
def test_a_notification_waits_for_the_sweep_when_the_broker_is_down(
    broker_down, personas
):
    from core.notifications import notify

    personas.editor.email = "editor@example.org"
    personas.editor.save()
    # Committed at once (no test transaction): the publish after the commit
    # fails, the action does not.
    notify(
        event=Event.SUBMITTED,
        recipients=[personas.editor],
        title="测试通知",
        path="/staff/",
    )
    assert broker_down, "the publish was tried"
    assert Delivery.objects.count() == 1
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 0 and delivery.next_attempt_at is not None
