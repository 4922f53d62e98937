"""notify() and its sender: who is told of each report event, e-mail by each
user's choice, retries with a growing wait, giving up, and actions that
succeed whatever happens to the sending."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from activities import services as reports
from core.models import Delivery, Event, Notification
from core.notifications import (
    deliver,
    email_choices,
    email_choices_set,
    notify,
    sending,
)


@pytest.fixture
def addresses(personas):
    for user in (personas.worker, personas.reviewer, personas.other_reviewer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return personas


@pytest.fixture
def submitted(addresses, net, make_report, django_capture_on_commit_callbacks):
    report = make_report(addresses.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_submit(report=report, by=addresses.worker)
    return report


def test_submit_tells_the_county_reviewer_in_the_portal_and_by_email(
    submitted, addresses, settings
):
    note = Notification.objects.get(event=Event.SUBMITTED)
    assert note.recipient == addresses.reviewer
    assert note.path == submitted.get_absolute_url()
    assert submitted.title in note.title and note.read_at is None
    # The other county's reviewer hears nothing.
    assert not Notification.objects.filter(recipient=addresses.other_reviewer).exists()
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    message = mail.outbox[0]
    assert message.subject == note.title
    assert f"{settings.PORTAL_BASE_URL}{note.path}" in message.body.split()
    assert Delivery.objects.get().state == Delivery.State.SENT


@pytest.mark.parametrize(
    "action,event,word",
    [("return", Event.RETURNED, "退回"), ("approve", Event.APPROVED, "通过")],
)
def test_review_tells_the_author(
    submitted, addresses, django_capture_on_commit_callbacks, action, event, word
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if action == "return":
            reports.report_return(
                report=submitted, by=addresses.reviewer, comment="请补充照片"
            )
        else:
            reports.report_approve(report=submitted, by=addresses.reviewer)
    note = Notification.objects.get(event=event)
    assert note.recipient == addresses.worker and word in note.title
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    # The reviewer's comment stays in the portal.
    assert "请补充照片" not in mail.outbox[0].body


def test_withdrawal_puts_the_report_back_on_the_authors_list(
    submitted, addresses, django_capture_on_commit_callbacks
):
    reports.report_approve(report=submitted, by=addresses.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_withdraw(
            report=submitted, by=addresses.reviewer, comment="再核实"
        )
    note = Notification.objects.filter(recipient=addresses.worker).first()
    assert note.event == Event.RETURNED and "撤回" in note.title


def test_email_follows_each_users_choice(
    addresses, net, make_report, django_capture_on_commit_callbacks
):
    email_choices_set(user=addresses.reviewer, enabled={Event.APPROVED})
    assert email_choices(addresses.reviewer)[Event.SUBMITTED] is False
    assert email_choices(addresses.worker)[Event.SUBMITTED] is True  # the default
    report = make_report(addresses.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_submit(report=report, by=addresses.worker)
    # Told in the portal all the same; no e-mail, no delivery to try.
    assert Notification.objects.filter(recipient=addresses.reviewer).count() == 1
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_no_address_no_email(
    personas, net, make_report, django_capture_on_commit_callbacks
):
    report = make_report(personas.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_submit(report=report, by=personas.worker)
    assert Notification.objects.filter(recipient=personas.reviewer).exists()
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_nothing_is_sent_when_the_action_rolls_back(
    addresses, net, make_report, django_capture_on_commit_callbacks
):
    report = make_report(addresses.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            reports.report_submit(report=report, by=addresses.worker)
            raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.exists() and mail.outbox == []


class Flaky:
    """send_mail failing the first ``failures`` times."""

    def __init__(self, failures):
        self.failures = failures
        self.calls = 0
        self.real = sending.send_mail

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("mail server down")
        return self.real(*args, **kwargs)


def test_a_failed_email_does_not_break_the_action_and_is_retried(
    addresses, net, make_report, django_capture_on_commit_callbacks, monkeypatch
):
    flaky = Flaky(failures=1)
    monkeypatch.setattr(sending, "send_mail", flaky)
    report = make_report(addresses.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_submit(report=report, by=addresses.worker)
    report.refresh_from_db()
    assert report.status == "submitted"
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING and delivery.attempts == 1
    assert "mail server down" in delivery.last_error
    assert mail.outbox == []
    # Not due again before its wait is over…
    now = timezone.now()
    assert deliver(now=now) == {"sent": 0, "retry": 0, "failed": 0}
    # …then sent by the periodic command.
    assert deliver(now=now + datetime.timedelta(minutes=2))["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and delivery.attempts == 2
    assert delivery.last_error == "" and len(mail.outbox) == 1


def test_gives_up_after_the_last_attempt(addresses, settings, monkeypatch):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    monkeypatch.setattr(sending, "send_mail", Flaky(failures=99))
    notify(
        Event.APPROVED, [addresses.worker], "已通过：《一篇报告》", "/staff/reports/1/"
    )
    now = timezone.now()
    results = [deliver(now=now + datetime.timedelta(days=i)) for i in range(5)]
    assert [r["retry"] for r in results] == [1, 1, 0, 0, 0]
    assert [r["failed"] for r in results] == [0, 0, 1, 0, 0]
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.FAILED and delivery.attempts == 3


def test_the_wait_grows():
    waits = [sending._wait_after(n) for n in range(1, 8)]
    assert waits == sorted(waits) and waits[0] < waits[-1]


def test_a_claimed_delivery_is_not_sent_twice(addresses):
    notify(Event.APPROVED, [addresses.worker], "已通过", "/staff/")
    now = timezone.now()
    assert deliver(now=now)["sent"] == 1
    assert deliver(now=now + datetime.timedelta(days=1))["sent"] == 0
    assert len(mail.outbox) == 1


def test_inactive_users_and_duplicates_are_told_once(addresses):
    addresses.other_reviewer.is_active = False
    notes = notify(
        Event.SUBMITTED,
        [addresses.reviewer, addresses.reviewer, addresses.other_reviewer],
        "待审核",
        "/staff/",
    )
    assert [n.recipient for n in notes] == [addresses.reviewer]


def test_send_notifications_command(addresses, monkeypatch):
    monkeypatch.setattr(sending, "send_mail", Flaky(failures=1))
    notify(Event.APPROVED, [addresses.worker], "已通过", "/staff/")
    out = []
    call_command("send_notifications", stdout=Writer(out))
    assert "稍后重试 1 条" in "".join(out)


class Writer:
    def __init__(self, into):
        self.into = into

    def write(self, text):
        self.into.append(text)

    def flush(self):
        pass


def test_with_celery_workers_a_worker_sends_them_not_the_request(
    addresses,
    net,
    make_report,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """JOBS_MODE=celery: the request only queues the new deliveries; the task
    sends them. With the queue down, the action still succeeds and the
    deliveries wait, due, for send_notifications."""
    from core import tasks

    settings.JOBS_MODE = "celery"
    queued = []
    monkeypatch.setattr(
        tasks.send_notifications,
        "apply_async",
        lambda kwargs, queue: queued.append((kwargs["ids"], queue)),
    )
    report = make_report(addresses.worker, net.a1)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_submit(report=report, by=addresses.worker)
    delivery = Delivery.objects.get()
    assert queued == [([delivery.pk], settings.JOBS_QUEUE)]
    assert mail.outbox == [] and delivery.state == Delivery.State.PENDING
    # The worker runs the task it was given.
    assert tasks.send_notifications(ids=queued[0][0]) == {
        "sent": 1,
        "retry": 0,
        "failed": 0,
    }
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]

    def broker_down(**kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.send_notifications, "apply_async", broker_down)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_return(report=report, by=addresses.reviewer, comment="请补充")
    assert Notification.objects.filter(event=Event.RETURNED).count() == 1
    assert mail.outbox == []
    assert deliver()["sent"] == 1
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_the_admin_lists_deliveries_without_a_robots_key_and_sends_failed_again(
    admin_client, personas, settings
):
    from core.notifications import RobotTarget

    settings.NOTIFICATIONS_ALLOW_LOCAL_ROBOTS = True
    with transaction.atomic():
        notify(
            Event.SUBMITTED,
            [],
            "待审核：《开展活动》",
            "/staff/reports/1/",
            robots=[
                RobotTarget("wecom", "https://qyapi.weixin.qq.com/send?key=SECRETKEY")
            ],
        )
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED, attempts=6, last_error="HTTPError: 500"
    )
    page = admin_client.get("/admin/core/delivery/").content.decode()
    assert "qyapi.weixin.qq.com" in page and "SECRETKEY" not in page
    assert "发送失败" in page and "HTTPError: 500" in page
    assert (
        "SECRETKEY"
        not in admin_client.get(
            f"/admin/core/delivery/{delivery.pk}/change/"
        ).content.decode()
    )
    response = admin_client.post(
        "/admin/core/delivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "1 条失败记录已重新排队" in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 0)
