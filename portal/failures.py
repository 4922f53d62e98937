"""When a part the portal relies on fails under a request: the page the user
came from tells them in Chinese (core/outages.py has the messages), and an
operator sees a cache that does not answer in the log without being flooded."""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.shortcuts import redirect

from core.outages import Unavailable

from . import errors


class UnavailableMiddleware:
    """A view that let ``core.outages.Unavailable`` through (the job queue
    cannot be reached, the disk is full) answers with the message on the page
    the user came from, or on the staff home when the browser did not say
    which: never a server error. The action's transaction has rolled back and
    the service removed the files it wrote, so there is nothing to undo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Unavailable):
            return None
        messages.error(request, " ".join(exception.messages))
        return redirect(errors._back_url(request) or "staff:home")


class QuietCacheErrors(logging.Filter):
    """django-redis logs each ignored error (DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS)
    as an ERROR with its traceback, on every cache call of every request while
    Redis is down. This keeps one WARNING line a minute per process, saying
    what happened and what the portal does meanwhile."""

    every = 60.0

    def __init__(self):
        super().__init__()
        self._last = float("-inf")

    def filter(self, record):
        now = time.monotonic()
        if now - self._last < self.every:
            return False
        self._last = now
        reason = record.exc_info[1] if record.exc_info else record.getMessage()
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = (
            "Redis cache not answering (%s); pages are served without the cache "
            "until it is back"
        )
        record.args = (reason,)
        record.exc_info = record.exc_text = None
        return True


def quiet_cache_errors() -> None:
    logger = logging.getLogger("django_redis")
    if not any(isinstance(f, QuietCacheErrors) for f in logger.filters):
        logger.addFilter(QuietCacheErrors())
