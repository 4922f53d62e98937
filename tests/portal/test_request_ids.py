"""Every log line names its request (or job), the response and the error pages
carry the same id, and the JSON line has the shape operators' tools read."""

import json
import logging
import re

import pytest
from django.urls import path

from core import logcontext
from portal.logging import JsonFormatter, RequestIdFilter, log_format
from portal.urls import (  # noqa: F401 - the handlers are read from this module
    handler404,
    handler500,
)
from portal.urls import urlpatterns as portal_patterns

pytestmark = pytest.mark.django_db


def noisy(request):
    logging.getLogger("portal.test").warning("inside the view")
    raise RuntimeError("boom")


urlpatterns = [path("test-ids/noisy/", noisy), *portal_patterns]


@pytest.fixture
def json_lines():
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_a_safe_proxy_id_is_kept_and_sent_back(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="0f3c" * 8)
    assert response["X-Request-ID"] == "0f3c" * 8


@pytest.mark.parametrize("header", ["", "short", "a b c d e f g h", "x" * 65, "<s>"])
def test_an_unsafe_or_missing_id_is_replaced(client, header):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=header)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert response["X-Request-ID"] != header


@pytest.mark.urls(__name__)
def test_lines_of_a_request_and_its_error_page_carry_its_id(client, json_lines):
    client.raise_request_exception = False
    request_id = "nginx-" + "ab12" * 8
    response = client.get("/test-ids/noisy/", HTTP_X_REQUEST_ID=request_id)
    assert response.status_code == 500
    assert response["X-Request-ID"] == request_id
    html = response.content.decode()
    assert f"请求编号：<code>{request_id}</code>（联系管理员时请提供）" in html
    ours = [line for line in json_lines if line["request_id"] == request_id]
    assert [line["logger"] for line in ours] == ["portal.test", "django.request"]
    warning, error = ours
    assert set(warning) == {"time", "level", "logger", "message", "request_id"}
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00", warning["time"]
    )
    assert (warning["level"], warning["message"]) == ("WARNING", "inside the view")
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /test-ids/noisy/"
    assert error["exc_info"].startswith("Traceback (most recent call last):")
    assert error["exc_info"].endswith("RuntimeError: boom")
    # The request is over: what is logged next names none.
    logging.getLogger("portal.test").warning("after")
    assert json_lines[-1]["request_id"] is None


def test_the_404_page_shows_the_id_too(client):
    response = client.get("/nowhere/", HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 404
    assert "req-12345678" in response.content.decode()


def test_lines_logged_by_a_job_name_it(json_lines):
    with logcontext.bound("job-42"):
        logging.getLogger("core.jobs").warning("working")
    assert json_lines[-1]["request_id"] == "job-42"


def test_log_format_defaults_and_refuses_others():
    assert log_format(None, debug=True) == "plain"
    assert log_format("", debug=False) == "json"
    assert log_format(" JSON ", debug=True) == "json"
    with pytest.raises(ValueError):
        log_format("xml", debug=False)
