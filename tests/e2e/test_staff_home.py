"""The staff home's to-do lists in a real browser, on a 390 px phone and on a
desktop: the worker finds the returned report with the reviewer's comment and
opens it; the reviewer finds the resubmitted report marked 再次提交 and opens
what changed. Nothing is wider than the screen; axe finds no serious or
critical violation."""

from __future__ import annotations

import datetime
import re

import pytest

from activities import services as report_services
from activities.models import ActivityKind, ActivityReport
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"


@pytest.fixture
def world(personas, net):
    """A report of station a1 returned with a comment, and another returned,
    fixed and submitted again."""
    for user in (personas.worker, personas.reviewer):
        user.set_password(PASSWORD)
        user.save()
    kind = ActivityKind.objects.first()

    def report(title, body):
        made = report_services.report_create(
            report=ActivityReport(
                title=title,
                start_date=datetime.date(2023, 2, 10),
                kind=kind,
                body=body,
                person_times=12,
            ),
            unit=net.a1,
            by=personas.worker,
        )
        report_services.report_submit(report=made, by=personas.worker)
        report_services.report_return(
            report=made, by=personas.reviewer, comment="请补充服务人数和活动照片"
        )
        return ActivityReport.objects.get(pk=made.pk)

    returned = report("东镇社工站开展敬老活动", "社工走访辖区独居老人。")
    again = report("东镇社工站开展禁毒宣传活动", "社工在村口开展禁毒宣传。")
    again.title = "东镇社工站开展禁毒宣传进村活动"
    again.body = "社工在村口和学校开展禁毒宣传。\n共发放宣传单张200份。"
    report_services.report_update(report=again, by=personas.worker)
    report_services.report_submit(report=again, by=personas.worker)
    return {"returned": returned, "again": again}


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/$"))


def _fits(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width}px wide in {viewport}px"


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_worker_finds_the_returned_report(new_page, steps, world, phone):
    page = new_page(phone=phone)
    _login(page, "alice")
    returned = page.locator('section[aria-labelledby="todo-returned"]')
    link = returned.get_by_role("link", name="东镇社工站开展敬老活动")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    assert "请补充服务人数和活动照片" in returned.inner_text()
    assert returned.locator(".todo-count").inner_text() == "1"
    _fits(page)
    steps.shot(page, "worker-home")
    assert_accessible(page, "worker's staff home")
    link.click()
    page.wait_for_url(re.compile(rf"/staff/reports/{world['returned'].pk}/$"))
    assert "请补充服务人数和活动照片" in page.locator(".returned-note").inner_text()


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_reviewer_opens_what_changed(new_page, steps, world, phone):
    page = new_page(phone=phone)
    _login(page, "carol")
    waiting = page.locator('section[aria-labelledby="todo-waiting"]')
    item = waiting.locator("li", has_text="东镇社工站开展禁毒宣传进村活动")
    assert "再次提交" in item.inner_text()
    _fits(page)
    steps.shot(page, "reviewer-home")
    assert_accessible(page, "reviewer's staff home")
    item.get_by_role("link").click()
    page.wait_for_url(
        re.compile(rf"/staff/reports/{world['again'].pk}/#changes-title$")
    )
    changes = page.locator("section.review-changes")
    assert changes.is_visible()
    text = changes.inner_text()
    assert "标题" in text and "第2段" in text and "新增" in text
    assert changes.locator("ins").first.is_visible()
    _fits(page)
    steps.shot(page, "reviewer-diff")
    assert_accessible(page, "report page with what changed")
