"""``/healthz``: what a load balancer and an operator ask of each part.

``{"status": "ok"|"degraded"|"error", "database": "ok"|"unavailable",
"cache": "ok"|"unavailable", "queue": "ok"|"unavailable"|"inline"}``, plus
``"queue_waiting"`` (jobs waiting on the broker) when the queue answers.

200 whenever the database answers, the site being usable without the cache
(pages are counted again) or the queue (jobs wait in their rows and are sent
again); "degraded" says one of those is down. 503 only when the database does
not answer (CONTRACT.md). Never cached, no personal data, and bounded: the cache
is asked with its own timeouts, the broker with a one-second one.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
INLINE = "inline"
# Seconds the broker is given to answer.
BROKER_TIMEOUT = 1.0
# Seconds the cache check's key lives, were it not deleted.
CACHE_KEY_SECONDS = 10


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        logger.warning("healthz: the database did not answer", exc_info=True)
        return UNAVAILABLE
    return OK


def cache_state() -> str:
    """A short-lived key written and read back. A cache told to ignore its
    errors (django-redis IGNORE_EXCEPTIONS) answers a dead server with None
    rather than an exception: the value not coming back is the sign."""
    key = f"healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, CACHE_KEY_SECONDS)
        answered = cache.get(key) == value
        cache.delete(key)
    except Exception:  # noqa: BLE001
        answered = False
    if not answered:
        logger.warning("healthz: the cache did not answer")
        return UNAVAILABLE
    return OK


def queue_state() -> tuple[str, int | None]:
    """Whether the Celery broker answers, and how many jobs wait on it; jobs
    run in the web process ("inline") in the thread and sync modes."""
    if settings.JOBS_MODE != "celery":
        return INLINE, None
    from kombu import Connection
    from kombu.exceptions import ChannelError

    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT,
            transport_options={
                "socket_timeout": BROKER_TIMEOUT,
                "socket_connect_timeout": BROKER_TIMEOUT,
                "max_retries": 0,
            },
        ) as broker:
            broker.ensure_connection(max_retries=0, interval_start=0)
            try:
                declared = broker.default_channel.queue_declare(
                    queue=settings.JOBS_QUEUE, passive=True
                )
                waiting = declared.message_count
            except ChannelError:
                # Not declared yet: no message was ever left on it.
                waiting = 0
    except Exception:  # noqa: BLE001
        logger.warning("healthz: the job queue's broker did not answer")
        return UNAVAILABLE, None
    return OK, waiting


@never_cache
@require_GET
def healthz(request):
    parts = {"database": database_state(), "cache": cache_state()}
    parts["queue"], waiting = queue_state()
    if parts["database"] != OK:
        status, code = "error", 503
    elif UNAVAILABLE in parts.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body = {"status": status, **parts}
    if waiting is not None:
        body["queue_waiting"] = waiting
    return JsonResponse(body, status=code)
