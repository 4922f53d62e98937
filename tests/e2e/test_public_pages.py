"""axe-core on every public page of the demo site, on a phone
and on a desktop, with a screenshot of each; the account pages a member of
staff meets before and around the staff forms are checked too."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from newsletter.models import Article, Issue
from stations.models import County, Station
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(settings, tmp_path):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    issue = (
        Issue.objects.filter(status=Issue.Status.PUBLISHED)
        .select_related("publication")
        .order_by("-year", "-number")
        .first()
    )
    article = Article.objects.filter(issue=issue).order_by("pk").first()
    county = County.objects.filter(articles__issue=issue).order_by("pk").first()
    station = Station.objects.order_by("pk").first()
    return issue, article, county, station


def public_urls(issue, article, county, station) -> list[str]:
    slug, year, number = issue.publication.slug, issue.year, issue.number
    return [
        "/",
        "/issues/",
        f"/issues/{slug}/",
        f"/issues/{slug}/{year}/",
        f"/issues/{slug}/{year}/{number}/",
        f"/issues/{slug}/{year}/{number}/{article.pk}/",
        f"/issues/{slug}/{year}/{number}/print/",
        f"/news/county/{county.code}/",
        f"/news/station/{station.pk}/",
        "/search/",
        "/search/?q=关爱",
        "/search/?q=没有这个词语的结果",
        "/stations/",
        f"/stations/{station.pk}/",
        "/accounts/login/",
        "/accounts/password_reset/",
    ]


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_every_public_page_passes_axe(new_page, steps, demo, phone):
    page = new_page(phone=phone)
    for url in public_urls(*demo):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, url)
        steps.shot(page, re.sub(r"[^\w]+", "_", url).strip("_") or "home")


def test_staff_account_pages_pass_axe(new_page, steps, demo):
    page = new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "worker")
    page.fill("#id_password", "wrong-password-1")
    page.get_by_role("button", name="登录").click()
    assert_accessible(page, "login with an error")
    steps.shot(page, "login-error")
    page.fill("#id_username", "worker")
    page.fill("#id_password", "yunfu-demo-2023")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/$"))
    assert_accessible(page, "staff home")
    steps.shot(page, "staff-home")
    page.get_by_role("link", name="修改密码").click()
    page.wait_for_url(re.compile(r"/password_change/$"))
    assert_accessible(page, "password change")
    steps.shot(page, "password-change")
    page.fill("#id_old_password", "yunfu-demo-2023")
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.get_by_role("button", name="修改密码").click()
    assert_accessible(page, "password change with errors")
    steps.shot(page, "password-change-refused")
    # Five failures lock a username out, with a page that says for how long.
    lockout = new_page(phone=True)
    for _ in range(5):
        lockout.goto("/accounts/login/")
        lockout.fill("#id_username", "head")
        lockout.fill("#id_password", "not-the-password")
        lockout.get_by_role("button", name="登录").click()
    assert "登录已被暂时锁定" in lockout.content()
    assert_accessible(lockout, "lock-out page")
    steps.shot(lockout, "locked-out")


@pytest.mark.parametrize("start", ["/", "/search/"])
def test_the_browser_keeps_a_phone_or_id_number_out_of_the_address(
    new_page, demo, start
):
    """A search box refuses to send seven digits or more (spaces or dashes
    between them or not), so the number never reaches the address bar or the
    access log; words and short numbers are sent."""
    page = new_page(phone=True)
    box = "#home-q" if start == "/" else "#id_q"
    for number in ("13812345678", "445302 2015 0601 1221", "138-1234-5678"):
        page.goto(start)
        page.fill(box, number)
        page.press(box, "Enter")
        page.wait_for_timeout(300)
        assert "q=" not in page.url, (number, page.url)
        assert page.evaluate(
            f"document.querySelector('{box}').validity.patternMismatch"
        )
    page.goto(start)
    page.fill(box, "12345 热线")
    page.press(box, "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
