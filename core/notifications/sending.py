"""The one way a notification is made and sent (``notify``), and the sender
that tries deliveries and tries failed ones again (``deliver``).

``notify`` writes the in-portal rows and the deliveries in the caller's
transaction; after it commits, the deliveries are tried once. A delivery that
fails keeps its error and waits (``BACKOFF``) for ``send_notifications`` (a
command, and a Celery beat task) to try it again, up to
``NOTIFICATIONS_MAX_ATTEMPTS`` tries, after which it is marked failed. Nothing
that goes wrong in sending reaches the action that caused the notification.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Delivery, EmailPreference, Event, Notification
from . import robots as robot_api

logger = logging.getLogger("core.notifications")

# How long to wait before the next try, by the number of tries made so far
# (the last wait repeats).
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
TITLE_MAX = Notification._meta.get_field("title").max_length


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:TITLE_MAX]


def notify(
    event: str,
    recipients: Iterable,
    title: str,
    path: str,
    robots: Iterable[robot_api.RobotTarget] = (),
) -> list[Notification]:
    """Tell ``recipients`` (users) of ``event``: a notification on their page,
    and an e-mail to each one who has an address and has not turned the event
    off; and post the same title and link to each group robot in ``robots``.

    ``title`` and ``path`` are all a message carries: titles, counts and links,
    never a beneficiary's name, ID number, phone or address. Call it inside the
    action's transaction: the messages go after it commits, and a failure to
    send is kept for a retry, never raised."""
    event = Event(event)
    title = _one_line(title)
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    targets = {t.url: t for t in robots if t and t.url}
    if not users and not targets:
        return []
    with transaction.atomic():
        notes = Notification.objects.bulk_create(
            [
                Notification(recipient=u, event=event, title=title, path=path)
                for u in users.values()
            ]
        )
        off = set(
            EmailPreference.objects.filter(
                user__in=[u.pk for u in users.values() if u.email],
                event=event,
                enabled=False,
            ).values_list("user_id", flat=True)
        )
        now = timezone.now()
        url = absolute(path)
        deliveries = [
            Delivery(
                channel=Delivery.Channel.EMAIL,
                event=event,
                notification=note,
                address=note.recipient.email,
                title=title,
                url=url,
                next_attempt_at=now,
            )
            for note in notes
            if note.recipient.email and note.recipient_id not in off
        ]
        deliveries += [
            Delivery(
                channel=target.kind,
                event=event,
                address=target.url,
                secret=target.secret,
                title=title,
                url=url,
                next_attempt_at=now,
            )
            for target in targets.values()
        ]
        deliveries = Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in deliveries]
        if ids:
            transaction.on_commit(lambda: _deliver_quietly(ids), robust=True)
    return notes


def _deliver_quietly(ids) -> None:
    """Try the new deliveries once, after the commit. With Celery workers
    (``JOBS_MODE=celery``) a worker tries them, so a slow mail server or robot
    never holds the request; otherwise they are tried here, each with its short
    timeout. If the queue cannot take them, they wait for ``send_notifications``,
    which finds them due."""
    try:
        if settings.JOBS_MODE == "celery":
            from ..tasks import send_notifications

            send_notifications.apply_async(
                kwargs={"ids": list(ids)}, queue=settings.JOBS_QUEUE
            )
        else:
            deliver(ids=ids)
    except Exception:  # noqa: BLE001 - sending must never break the action
        logger.exception("notification deliveries %s could not be tried", ids)


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        body = "\n\n".join(
            [
                delivery.title,
                delivery.url,
                _(
                    "（此邮件由民政简报平台自动发送。在工作台的“通知”页面可以选择哪些事件发送邮件。）"
                ),
            ]
        )
        send_mail(delivery.title, body, None, [delivery.address], fail_silently=False)
        return
    robot_api.post(
        robot_api.RobotTarget(delivery.channel, delivery.address, delivery.secret),
        delivery.title,
        delivery.url,
    )


def _wait_after(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def deliver(*, ids=None, now=None) -> dict:
    """Try the pending deliveries that are due (only ``ids`` when given).
    Each is claimed first (its try counted and its next try set, in one
    conditional update), so two senders never send the same one twice, and a
    sender that dies mid-send leaves it to be tried again later. Returns
    counts, for the command."""
    now = now or timezone.now()
    max_attempts = settings.NOTIFICATIONS_MAX_ATTEMPTS
    due = Delivery.objects.filter(
        state=Delivery.State.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    if ids is not None:
        due = due.filter(pk__in=ids)
    done = {"sent": 0, "retry": 0, "failed": 0}
    for delivery in due[:500]:
        claimed = Delivery.objects.filter(
            pk=delivery.pk,
            state=Delivery.State.PENDING,
            attempts=delivery.attempts,
        ).update(
            attempts=F("attempts") + 1,
            next_attempt_at=now + _wait_after(delivery.attempts + 1),
        )
        if not claimed:
            continue
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as exc:  # noqa: BLE001 - any failure is kept and retried
            error = f"{type(exc).__name__}: {exc}"[:500]
            # The delivery's id and channel only: its address is a person's
            # e-mail or a robot's key.
            logger.warning(
                "notification delivery %s (%s) failed, try %s: %s",
                delivery.pk,
                delivery.channel,
                delivery.attempts,
                type(exc).__name__,
            )
            failed = delivery.attempts >= max_attempts
            Delivery.objects.filter(pk=delivery.pk).update(
                last_error=error,
                state=Delivery.State.FAILED if failed else Delivery.State.PENDING,
            )
            done["failed" if failed else "retry"] += 1
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
            )
            done["sent"] += 1
    return done
