"""The site's error pages (portal/errors.py): each status has a Chinese page in
the site's layout with a way back, with DEBUG on (``make run``, through
ErrorPageMiddleware) and off (Django's handlers); Django's technical pages only
when TECHNICAL_ERROR_PAGES asks for them; no page lists the URL patterns."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.activities import photo_helpers

ROOT = Path(__file__).resolve().parents[2]
TEST_URLS = "tests.portal.error_urls"

# What a page that lists the URL patterns (Django's technical 404) says.
URL_PATTERN_MARKS = ["URLconf", "[name=", "&lt;int:pk&gt;", "<int:pk>", "portal.urls"]


@pytest.fixture(params=[True, False], ids=["make-run", "production"])
def debug(request, settings):
    """DEBUG as ``make run`` has it (the default) and as production has it.
    TECHNICAL_ERROR_PAGES is off, as it is unless a developer sets it."""
    settings.DEBUG = request.param
    settings.TECHNICAL_ERROR_PAGES = False
    return request.param


def _client(**kwargs) -> Client:
    return Client(raise_request_exception=False, **kwargs)


def _page(response) -> str:
    return response.content.decode()


def _assert_error_page(response, status, heading):
    html = _page(response)
    assert response.status_code == status
    assert '<html lang="zh-CN">' in html
    assert heading in html
    # The site's layout, and a way back.
    assert 'class="site-header"' in html
    assert 'href="/">返回首页</a>' in html
    for mark in URL_PATTERN_MARKS:
        assert mark not in html
    assert "Traceback" not in html
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    return html


# --- 404 ------------------------------------------------------------------------------


def test_an_unknown_address_is_the_chinese_404(db, debug):
    response = _client().get("/no-such-page/")
    html = _assert_error_page(response, 404, "找不到这个页面")
    # Nobody is signed in: no staff home, no logout form.
    assert "返回工作台" not in html
    assert "csrfmiddlewaretoken" not in html


def test_a_report_of_another_station_is_the_chinese_404(debug, personas, draft, login):
    # Scope answers 404 outside the user's subtree: a worker of another
    # station opening a1's report gets the site's page, with their own header.
    client = login(personas.other_worker)
    client.raise_request_exception = False
    response = client.get(reverse("activities_staff:report", args=[draft.pk]))
    html = _assert_error_page(response, 404, "找不到这个页面")
    assert draft.title not in html
    assert 'href="/staff/">返回工作台</a>' in html
    assert "退出" in html  # the signed-in header


def test_the_404_links_back_to_the_page_the_reader_came_from(db, debug):
    response = _client().get(
        "/no-such-page/", HTTP_REFERER="http://testserver/stations/"
    )
    assert 'href="http://testserver/stations/">返回上一页</a>' in _page(response)
    # Another site's address is no way back.
    response = _client().get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in _page(response)


def test_the_404_follows_the_language_cookie(db, debug, settings):
    client = _client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in _page(response)


def test_the_technical_404_only_when_a_developer_asks(db, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    response = _client().get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in _page(response)
    assert "找不到这个页面" not in _page(response)


def test_the_setting_does_nothing_with_debug_off(db, settings):
    settings.DEBUG = False
    settings.TECHNICAL_ERROR_PAGES = True
    response = _client().get("/no-such-page/")
    _assert_error_page(response, 404, "找不到这个页面")


def test_the_404_under_production_settings_in_a_fresh_process(tmp_path):
    """``DJANGO_DEBUG=0`` with the environment production needs: the settings
    module as it reads it, not as a test overrides it."""
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "from django.test.utils import override_settings\n"
        "assert not settings.DEBUG and not settings.TECHNICAL_ERROR_PAGES\n"
        # No collectstatic here: the static files' names without the manifest.
        "storages = {**settings.STORAGES, 'staticfiles': {'BACKEND':"
        " 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "with override_settings(STORAGES=storages):\n"
        "    r = Client().get('/no-such-page/', secure=True)\n"
        "print(r.status_code)\n"
        "print(r.content.decode())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_TECHNICAL_ERRORS": "1",  # ignored with DEBUG off
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, _, html = result.stdout.partition("\n")
    assert status == "404"
    assert "找不到这个页面" in html
    assert "返回首页" in html
    for mark in URL_PATTERN_MARKS:
        assert mark not in html


# --- 403 and the CSRF check -------------------------------------------------------------


def test_a_page_the_role_may_not_use_is_the_chinese_403(debug, personas, login):
    client = login(personas.superuser)
    client.raise_request_exception = False
    response = client.get(reverse("beneficiaries_staff:beneficiary_import"))
    html = _assert_error_page(response, 403, "没有权限")
    assert 'href="/staff/">返回工作台</a>' in html


@pytest.mark.urls(TEST_URLS)
def test_permission_denied_for_a_reader_offers_the_login(db, debug):
    html = _assert_error_page(_client().get("/test-errors/forbidden/"), 403, "没有权限")
    assert 'href="/accounts/login/"' in html


def test_a_form_without_its_check_code_is_the_chinese_csrf_page(db, debug):
    client = _client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    html = _assert_error_page(response, 403, "页面已过期，请刷新后重新提交")
    assert "没有保存或修改任何内容" in html
    # Django's English explanation stays in the log.
    assert "CSRF" not in html


# --- 400 and 413 ----------------------------------------------------------------------


@pytest.mark.urls(TEST_URLS)
def test_a_suspicious_request_is_the_chinese_400(db, debug):
    _assert_error_page(_client().get("/test-errors/suspicious/"), 400, "请求无法处理")


def test_an_unknown_host_is_the_chinese_400(db, debug):
    response = _client().get("/", HTTP_HOST="evil.example")
    _assert_error_page(response, 400, "请求无法处理")


def test_a_form_body_too_large_is_the_413_page(db, debug, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _client().post(
        reverse("login"),
        b"username=" + b"a" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    html = _assert_error_page(response, 413, "提交的内容太大")
    assert "超过了网站能接收的大小" in html


@pytest.mark.urls(TEST_URLS)
def test_a_json_body_too_large_is_the_413_page(db, debug, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _client().post(
        "/test-errors/body/", b"[" + b"1," * 1000 + b"1]", "application/json"
    )
    _assert_error_page(response, 413, "提交的内容太大")


def test_an_upload_with_too_many_files_is_the_413_page(
    debug, personas, login, draft, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client = login(personas.worker)
    client.raise_request_exception = False
    photos = [photo_helpers.upload(photo_helpers.jpeg(), f"p{n}.jpg") for n in range(3)]
    url = reverse("activities_staff:photo_upload", args=[draft.pk])
    response = client.post(url, {"photos": photos})
    html = _assert_error_page(response, 413, "提交的内容太大")
    assert "一次最多上传 2 个文件" in html
    assert not draft.photos.exists()


# --- 429 ------------------------------------------------------------------------------


def test_a_locked_out_login_is_a_chinese_429_with_retry_after(db, settings):
    factories.UserFactory(username="alice")
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "x"})
    assert response.status_code == 429
    assert "登录已被暂时锁定" in _page(response)
    assert 'href="/">返回首页</a>' in _page(response)
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "no-store" in response["Cache-Control"]


def test_the_429_page(rf, db):
    from portal import errors

    request = rf.get("/")
    request.user = factories.UserFactory()
    response = errors.too_many_requests(request, retry_after=90)
    assert response.status_code == 429
    assert response["Retry-After"] == "90"
    assert "请在 2 分钟后再试" in _page(response)
    assert "返回首页" in _page(response)


# --- 500 and 503 ----------------------------------------------------------------------


@pytest.mark.urls(TEST_URLS)
def test_an_exception_is_the_chinese_500(db, debug):
    html = _assert_error_page(_client().get("/test-errors/boom/"), 500, "网站出错了")
    assert "RuntimeError" not in html


@pytest.mark.urls(TEST_URLS)
def test_the_500_of_a_staff_address_offers_the_staff_home(debug, personas, login):
    client = login(personas.worker)
    client.raise_request_exception = False
    response = client.get("/test-errors/boom/")
    html = _assert_error_page(response, 500, "网站出错了")
    # Rendered without the request: no session, no user, no CSRF token.
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.urls(TEST_URLS)
def test_the_technical_500_only_when_a_developer_asks(db, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    response = _client().get("/test-errors/boom/")
    assert response.status_code == 500
    assert "RuntimeError" in _page(response)


@contextmanager
def _database_down():
    """Every new query fails as it does when the server does not answer."""

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server")

    with mock.patch.object(connections["default"], "cursor", refuse):
        yield


def test_a_database_that_does_not_answer_is_the_503(db, debug):
    with _database_down():
        response = _client().get(reverse("stations:directory"))
    _assert_error_page(response, 503, "网站暂时无法使用")
    assert response["Retry-After"] == "60"


def test_a_signed_in_user_gets_the_503_too(debug, personas, login):
    # The session itself is in the database: the middleware reading it fails.
    client = login(personas.worker)
    client.raise_request_exception = False
    with _database_down():
        response = client.get(reverse("staff:home"))
    html = _assert_error_page(response, 503, "网站暂时无法使用")
    assert 'href="/staff/">返回工作台</a>' in html


def test_healthz_keeps_its_json_when_the_database_does_not_answer(db, debug):
    with _database_down():
        response = _client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unavailable"


# --- A view's own 400 stays -----------------------------------------------------------


def test_a_form_sent_back_with_its_errors_is_not_replaced(db, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = False
    response = _client().generic(
        "POST",
        reverse("login"),
        b"username=x",
        content_type="application/x-www-form-urlencoded; charset=foo-bar",
    )
    assert response.status_code == 400
    assert "无法读取提交的内容" in _page(response)
