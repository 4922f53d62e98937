"""What an operator reads in the logs: one line per record, JSON in production
(``DJANGO_LOG_FORMAT=json``) or plain text in development, each naming the
request it was written for (or the job that wrote it, core/logcontext.py).

The request id comes from the proxy's ``X-Request-ID`` (nginx's
``$request_id``, also in its access log) when it is a safe token, and is made
here otherwise; it goes back in the response's ``X-Request-ID`` header and on
the error pages (portal/errors.py), so a user's report leads to the lines.

Beneficiary data never reaches a log line (DESIGN.md §6): nothing here logs a
request's query string, body, cookies or headers, and the formatters mask
anything shaped like an ID number or a mobile number in a message or a
traceback, as a last guard for a message that quotes one. Names cannot be
recognised; code must not log them (tests/portal/test_logs_privacy.py drives
the paths where they flow).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import datetime

from django.core.signals import request_finished, request_started

from core.logcontext import current_id, set_id

# An 18-character ID number (GB 11643, last character a digit or X) and a
# mainland mobile number (11 digits from 13x to 19x, perhaps written 138-1234-
# 5678 or after +86), standing alone: not inside a longer run of digits or a
# hex token.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])"
)
ID_NUMBER_MASK = "[身份证号]"
MOBILE_MASK = "[手机号]"

# What the proxy may name a request: nginx's $request_id is 32 hex characters;
# anything else (too long, spaces, quotes, newlines) is replaced by our own.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"

LOG_FORMATS = ("json", "plain")


def mask_personal(text: str) -> str:
    """``text`` with every ID number and mobile number replaced by a mark."""
    if not text:
        return text
    return MOBILE_RE.sub(MOBILE_MASK, ID_NUMBER_RE.sub(ID_NUMBER_MASK, text))


# --- On every record ---------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Attached to the handler: gives every record ``request_id``, the request's
    or job's id bound when it was logged (None outside both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_id()
        return True


class DevServerQueryFilter(logging.Filter):
    """For ``runserver``'s access lines (logger ``django.server``): the request
    line without its query string, where a search by ID number or phone would
    stand. gunicorn keeps no access log (nginx keeps it, deploy/)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            first, *rest = record.args
            if isinstance(first, str) and "?" in first:
                method_path, _sep, tail = first.partition("?")
                protocol = tail.rsplit(" ", 1)[1] if " " in tail else ""
                record.args = (f"{method_path} {protocol}".rstrip(), *rest)
        return True


# --- Formats -----------------------------------------------------------------------


def _local_time(record: logging.LogRecord) -> str:
    # The process's time zone, which Django sets from TIME_ZONE (Asia/Shanghai).
    return (
        datetime.fromtimestamp(record.created)
        .astimezone()
        .isoformat(timespec="milliseconds")
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line::

        {"time": "2025-03-01T09:30:12.345+08:00", "level": "ERROR",
         "logger": "django.request", "message": "Internal Server Error: /staff/",
         "request_id": "0f3c…", "exc_info": "Traceback (most recent call last): …"}

    ``exc_info`` and ``stack_info`` only when the record has them. A record's
    other attributes (Django puts the request on ``django.request`` records)
    are never written."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": _local_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_personal(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current_id(),
        }
        if record.exc_info:
            line["exc_info"] = mask_personal(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exc_info"] = mask_personal(record.exc_text)
        if record.stack_info:
            line["stack_info"] = mask_personal(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """``2025-03-01T09:30:12.345+08:00 ERROR django.request [0f3c…] message``,
    then the traceback; masked as the JSON lines are."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None) or current_id() or "-"
        text = (
            f"{_local_time(record)} {record.levelname} {record.name} "
            f"[{request_id}] {record.getMessage()}"
        )
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            text += "\n" + record.exc_text
        if record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return mask_personal(text)


def log_format(value: str | None, *, debug: bool) -> str:
    """The format ``DJANGO_LOG_FORMAT`` names: json by default in production,
    plain in development. Raises ValueError for anything else."""
    value = (value or "").strip().lower() or ("plain" if debug else "json")
    if value not in LOG_FORMATS:
        raise ValueError(value)
    return value


# --- The request id ----------------------------------------------------------------


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it is a safe token, else a new one."""
    if header and REQUEST_ID_RE.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: binds the request's id for every line logged while
    it is answered, keeps it as ``request.request_id`` for the error pages and
    sends it back in ``X-Request-ID``.

    The id stays bound after the response leaves the middleware, since Django
    logs a 4xx or 5xx response (``django.request``) after the middleware chain
    returns; it is cleared when the request ends (``request_finished``) and
    again when the next one starts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        set_id(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _clear_request_id(sender, **kwargs):
    set_id(None)


request_started.connect(_clear_request_id, dispatch_uid="portal-log-request-start")
request_finished.connect(_clear_request_id, dispatch_uid="portal-log-request-end")
