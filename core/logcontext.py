"""What every log line names besides its message: the request it was written
for, or the background job it was written by.

The web side (portal/logging.py) binds a request id for each request, a job
binds ``job-<id>`` while it runs (core/jobs/running.py), and the log handler's
filter reads it. It lives in core, below every app, so a job can bind it
without knowing about the web side."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str | None] = ContextVar("log_context_id", default=None)


def current_id() -> str | None:
    return _current.get()


def set_id(value: str | None) -> None:
    """Bind ``value`` until the next call; for code that cannot use ``bound``
    (a middleware whose response is logged after it returns)."""
    _current.set(value)


@contextmanager
def bound(value: str) -> Iterator[None]:
    """Lines logged inside the block carry ``value``; the previous id comes
    back after it."""
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)
