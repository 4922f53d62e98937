"""The admin in Chinese throughout, django-axes' pages included: axes ships no
Chinese catalogue, so its models, fields, filters and fieldsets are translated
in locale/zh_Hans (compiled and committed), its app is named by
portal.apps.AxesConfig and its status column and records by portal/admin.py;
Django's permissions are listed by what they allow (portal/admin.py)."""

import gettext
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"

# What axes' admin says in English where nothing translates it.
AXES_ENGLISH = [
    "Axes",
    "Access attempt",
    "access attempt",
    "Access log",
    "access log",
    "Access failure",
    "access failure",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Username",
    "Failed Logins",
    "Logout Time",
    "Locked Out",
    "Attempt Remaining",
    "Meta Data",
    "Form Data",
    "Clean up expired attempts",
    "Attempted Access",
    "Status",
    # Django's own admin strings its zh_Hans catalogue lacks.
    "Model name",
    "Add link",
    "Change or view list link",
]


@pytest.fixture
def axes_rows(db):
    now = timezone.now()
    common = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.0.0.9",
        "username": "alice",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    return {
        "accessattempt": AccessAttempt.objects.create(
            **common, get_data="", post_data="", failures_since_start=2
        ),
        "accesslog": AccessLog.objects.create(**common, logout_time=now),
        "accessfailurelog": AccessFailureLog.objects.create(**common, locked_out=True),
    }


def _visible_text(html: str) -> str:
    # The page as read: no tags, scripts, styles or attribute values (the
    # action's value "cleanup_expired_attempts" is no text).
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def _pages(rows):
    yield "/admin/"
    yield "/admin/axes/"
    for model, row in rows.items():
        yield f"/admin/axes/{model}/"
        yield f"/admin/axes/{model}/{row.pk}/change/"


def test_the_axes_pages_have_no_english(login, personas, axes_rows):
    client = login(personas.superuser)
    for url in _pages(axes_rows):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        left = [word for word in AXES_ENGLISH if word in text]
        assert not left, (url, left)


def test_the_axes_pages_name_things_in_chinese(login, personas, axes_rows):
    client = login(personas.superuser)
    index = client.get("/admin/").content.decode()
    for name in ("登录保护", "登录失败计数", "登录记录", "登录失败记录"):
        assert name in index
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    # The columns, the lock-out filter and the status of a user two failures in.
    for text in ("尝试时间", "IP 地址", "浏览器标识", "失败次数", "已锁定", "状态"):
        assert text in attempts
    assert "还可尝试 3 次" in attempts
    failure = axes_rows["accessfailurelog"]
    page = client.get(f"/admin/axes/accessfailurelog/{failure.pk}/change/")
    assert "alice 的登录失败" in page.content.decode()
    assert "请求信息" in page.content.decode()


def test_permissions_are_listed_by_what_they_allow(login, personas):
    client = login(personas.superuser)
    html = client.get("/admin/auth/group/add/").content.decode()
    assert "登录保护 | 登录失败计数 | 可以增加登录失败计数" in html
    assert "Can add" not in html
    assert "Can view" not in html


def test_the_compiled_catalogue_matches_its_source():
    """The .mo is committed (running the portal needs no gettext): it must hold
    every translation of the .po as written there."""
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, re.M)
    assert len(pairs) > 30
    for msgid, msgstr in pairs:
        assert compiled.gettext(msgid) == msgstr, msgid
