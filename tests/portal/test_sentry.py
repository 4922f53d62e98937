"""Sentry, when SENTRY_DSN is set: started only then, and nothing personal in
what it sends (portal/sentry.py)."""

import json
import runpy
from pathlib import Path
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import path
from sentry_sdk.transport import Transport

from portal.sentry import scrub_breadcrumb, scrub_event
from portal.urls import (  # noqa: F401 - the handlers are read from this module
    handler404,
    handler500,
)
from portal.urls import urlpatterns as portal_patterns

SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
ID_NUMBER = "445302201304050223"
PHONE = "13912345670"


def failing(request):
    raise ValueError(f"证件 {ID_NUMBER} 电话 {PHONE} 对不上")


urlpatterns = [path("test-sentry/fail/", failing), *portal_patterns]


def _settings_with(monkeypatch, **env):
    for name in ("SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_TRACES_SAMPLE_RATE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with mock.patch("portal.sentry.init") as init:
        runpy.run_path(str(SETTINGS))
    return init


def test_sentry_is_not_started_without_a_dsn(monkeypatch):
    assert not _settings_with(monkeypatch).called


def test_sentry_is_started_with_the_environment_given(monkeypatch):
    init = _settings_with(
        monkeypatch,
        SENTRY_DSN="https://key@sentry.example.invalid/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_TRACES_SAMPLE_RATE="0.2",
    )
    init.assert_called_once_with(
        "https://key@sentry.example.invalid/1",
        environment="staging",
        release="",
        traces_sample_rate=0.2,
    )


def test_scrub_event_removes_what_names_a_person():
    event = {
        "message": f"lookup {ID_NUMBER} failed",
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"证件 {ID_NUMBER} 电话 {PHONE}",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"q": PHONE}}]},
                }
            ]
        },
        "request": {
            "method": "GET",
            "url": f"https://portal.example.gov.cn/staff/beneficiaries/?q={ID_NUMBER}",
            "query_string": f"q={ID_NUMBER}",
            "cookies": {"sessionid": "secret"},
            "data": {"phone": PHONE},
            "headers": {
                "User-Agent": "Firefox",
                "Cookie": "sessionid=secret",
                "Referer": f"https://portal.example.gov.cn/?phone={PHONE}",
                "X-Request-ID": "ab" * 16,
            },
            "env": {"REMOTE_ADDR": "10.0.0.5"},
        },
        "user": {"id": 7, "username": "alice", "email": "a@example.cn"},
        "breadcrumbs": {
            "values": [{"category": "log", "message": f"phone {PHONE} refused"}]
        },
        "extra": {"row": [ID_NUMBER.lower(), "138 1234 5678"]},
    }
    scrubbed = scrub_event(event, {})
    text = json.dumps(scrubbed, ensure_ascii=False)
    for value in (ID_NUMBER, ID_NUMBER.lower(), PHONE, "138 1234 5678", "alice"):
        assert value not in text
    assert "secret" not in text and "10.0.0.5" not in text
    assert scrubbed["request"] == {
        "method": "GET",
        "url": "https://portal.example.gov.cn/staff/beneficiaries/",
        "headers": {"User-Agent": "Firefox", "X-Request-ID": "ab" * 16},
    }
    assert scrubbed["user"] == {"id": 7}
    assert (
        scrubbed["exception"]["values"][0]["value"] == "证件 [身份证号] 电话 [手机号]"
    )


def test_sql_breadcrumbs_are_dropped_and_others_scrubbed():
    assert scrub_breadcrumb({"category": "query", "message": "SELECT 1"}, {}) is None
    crumb = scrub_breadcrumb(
        {"category": "httplib", "data": {"url": f"https://x.cn/?p={PHONE}"}}, {}
    )
    assert PHONE not in json.dumps(crumb)


class Captured(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry():
    from portal import sentry as portal_sentry

    transport = Captured()
    portal_sentry.init("https://key@sentry.example.invalid/1", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_error_reaches_sentry_scrubbed(client, sentry, personas):
    # Through Django's WSGI handler, as gunicorn calls it (the SDK hooks in
    # there; the test client goes round it), signed in and with the person in
    # the query string and a cookie.
    client.force_login(personas.worker)
    session = client.cookies["sessionid"].value
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/test-sentry/fail/",
        "QUERY_STRING": f"id_number={ID_NUMBER}&phone={PHONE}",
        "HTTP_COOKIE": f"sessionid={session}; hint={PHONE}",
        "HTTP_X_REQUEST_ID": "req-" + "cd" * 10,
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_USER_AGENT": "Firefox",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
    }
    setup_testing_defaults(environ)
    statuses = []
    # As the test client does: the test's transaction stays open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses == ["500 Internal Server Error"]
    sentry_sdk.flush()
    sent = b"".join(envelope.serialize() for envelope in sentry.envelopes).decode()
    event = next(
        json.loads(line)
        for line in sent.splitlines()
        if line.startswith("{") and '"exception"' in line
    )
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert event["request"]["url"] == "http://testserver/test-sentry/fail/"
    assert event["tags"]["request_id"] == "req-" + "cd" * 10
    text = json.dumps(event, ensure_ascii=False)
    for value in (ID_NUMBER, PHONE, session, "203.0.113.9", "alice"):
        assert value not in text and value not in sent
    assert "证件 [身份证号] 电话 [手机号]" in text
