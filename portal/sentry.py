"""Errors reported to Sentry, when ``SENTRY_DSN`` is set (portal/settings.py
calls ``init``); without it nothing here runs and nothing leaves the server.

An event leaves the portal, so it carries no beneficiary data (DESIGN.md §6):
the SDK is told to collect no user details, cookies, bodies, query strings,
SQL parameters or frame variables, and ``scrub_event`` checks every event
again before it is sent: the request keeps its method, its address without the
query string and a few harmless headers; the user only their id; and every
string anywhere in the event (messages, exception values, breadcrumbs, extra
data) has its ID numbers and mobile numbers masked. Each event is tagged with
the request's id, the one in the logs and on the error page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from core.logcontext import current_id
from portal.logging import mask_personal

# Request headers an event may keep; every other one (Cookie, Authorization,
# X-Forwarded-For...) is removed.
SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept-language",
        "content-length",
        "content-type",
        "host",
        "user-agent",
        "x-request-id",
    }
)
# The request's fields an event may keep.
SAFE_REQUEST_FIELDS = ("method", "url", "headers")
# Keys whose values are addresses: their query strings go.
URL_KEYS = frozenset({"url", "http.url", "referer", "from", "to"})
# Keys whose values are dropped wherever they stand (SQL parameters, bodies,
# query strings, frame variables).
DROPPED_KEYS = frozenset(
    {
        "query_string",
        "http.query",
        "cookies",
        "data",
        "db.params",
        "vars",
        "env",
    }
)


def without_query(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _scrub(value: Any, key: str | None = None) -> Any:
    if isinstance(value, str):
        if key in URL_KEYS:
            value = without_query(value)
        return mask_personal(value)
    if isinstance(value, dict):
        return {
            k: _scrub(v, k if isinstance(k, str) else None)
            for k, v in value.items()
            if k not in DROPPED_KEYS
        }
    if isinstance(value, (list, tuple)):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """``before_send``: the event as it may leave the portal."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {k: request[k] for k in SAFE_REQUEST_FIELDS if k in request}
        headers = kept.get("headers")
        if isinstance(headers, dict):
            kept["headers"] = {
                name: value
                for name, value in headers.items()
                if str(name).lower() in SAFE_HEADERS
            }
        else:
            kept.pop("headers", None)
        event["request"] = kept
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    event.pop("extra_request", None)
    request_id = current_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return _scrub(event)


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict | None:
    """``before_breadcrumb``: SQL breadcrumbs are dropped (their statements
    name the values searched for), the others scrubbed as events are."""
    if crumb.get("category") == "query":
        return None
    return _scrub(crumb)


def init(
    dsn: str,
    *,
    environment: str = "",
    release: str = "",
    traces_sample_rate: float = 0.0,
    transport=None,
) -> None:
    """Start the SDK with the Django and Celery integrations and nothing
    personal collected. ``transport``: the tests' stand-in for the network."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict[str, Any] = {
        "dsn": dsn,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        # sentry-sdk 3 names what it collects here (it was send_default_pii and
        # include_local_variables before): nothing about the user, no cookies,
        # no bodies, no query strings, no SQL parameters, no frame variables,
        # and no request headers beyond the safe list.
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {
                "request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}
            },
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
            "mcp": {"inputs": False, "outputs": False},
            "graphql": {"document": False, "variables": False},
        },
        "max_request_body_size": "never",
        "before_send": scrub_event,
        "before_breadcrumb": scrub_breadcrumb,
        "traces_sample_rate": traces_sample_rate,
    }
    if environment:
        options["environment"] = environment
    if release:
        options["release"] = release
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
