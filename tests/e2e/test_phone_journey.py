"""The day-to-day on a phone, every step at 390 × 844, as the people do it:

1. the worker files a report with a photo in one form and submits it;
2. the county reviewer finds it on the staff home and returns it;
3. the worker sees it on the staff home and in the header's count, fixes it
   and resubmits;
4. the reviewer sees what changed and approves;
5. the editor assembles with the default settings and publishes;
6. the worker is notified, and the report links to the issue it appeared in.

Nobody types an address a user would not know: each step starts from the
staff home, a notification or a link on the page before. Screenshots of every
step are kept (tests/e2e/conftest.py)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from activities.models import ActivityKind, ActivityReport, Status
from core.models import Notification
from newsletter.models import Issue, Publication
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"
TITLE = "东镇社工站开展防溺水安全宣传"


def _photo(tmp_path):
    path = tmp_path / "river.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "#3070b0").save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/$"))


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px phone"


def _unread(page) -> int:
    """The header's unread count, as the worker reads it (0 when none shows)."""
    badge = page.locator("header .nav-count")
    if not badge.count():
        return 0
    return int(re.match(r"\d+", badge.first.inner_text()).group())


@pytest.fixture
def world(personas, net):
    for user in (personas.worker, personas.reviewer, personas.editor):
        user.set_password(PASSWORD)
        user.save()
    ActivityKind.objects.get_or_create(name="宣传")
    return Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )


def test_report_returned_fixed_approved_published_and_told(
    new_page, steps, world, personas, net, tmp_path
):
    # --- 1. The worker files a report with a photo in one form, and submits ----------
    worker = new_page(phone=True)
    _login(worker, "alice")
    worker.get_by_role("link", name="填报活动报告").click()
    worker.wait_for_url(re.compile(r"/staff/reports/new/$"))
    worker.fill("#id_title", TITLE)
    worker.select_option("#id_kind", label="宣传")
    worker.fill("#id_person_times", "30")
    worker.fill("#id_body", "社工走进东村小学，为孩子们讲解防溺水知识。")
    worker.set_input_files("#report-photos-files", _photo(tmp_path))
    worker.fill("#report-photos-caption", "社工讲解防溺水知识")
    worker.check("input[name=consent]")
    _fits(worker)
    steps.shot(worker, "1-form")
    worker.locator(".report-form > .actions").get_by_role(
        "button", name="保存草稿"
    ).click()
    worker.wait_for_url(re.compile(r"/staff/reports/\d+/$"))
    report = ActivityReport.objects.get(title__endswith="防溺水安全宣传")
    assert report.photos.count() == 1
    worker.get_by_role("button", name="提交审核").click()
    worker.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    steps.shot(worker, "1-submitted")

    # --- 2. The reviewer finds it on the staff home and returns it -------------------
    reviewer = new_page(phone=True)
    _login(reviewer, "carol")
    waiting = reviewer.locator("section[aria-labelledby=todo-waiting]")
    assert "防溺水安全宣传" in waiting.inner_text()
    assert _unread(reviewer) >= 1  # told of the submission
    _fits(reviewer)
    steps.shot(reviewer, "2-home")
    waiting.get_by_role("link", name=re.compile("防溺水安全宣传")).click()
    reviewer.wait_for_url(re.compile(rf"/staff/reports/{report.pk}/"))
    reviewer.fill("#return-comment", "请补充参与的户数。")
    reviewer.get_by_role("button", name="退回修改").click()
    reviewer.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    steps.shot(reviewer, "2-returned")

    # --- 3. The worker sees it on the home and in the count, fixes, resubmits ---------
    worker.goto("/staff/")
    returned = worker.locator("section[aria-labelledby=todo-returned]")
    assert "防溺水安全宣传" in returned.inner_text()
    assert "请补充参与的户数" in returned.inner_text()
    assert _unread(worker) >= 1
    _fits(worker)
    assert_accessible(worker, "staff home with a returned report")
    steps.shot(worker, "3-home")
    returned.get_by_role("link", name=re.compile("防溺水安全宣传")).click()
    worker.wait_for_url(re.compile(rf"/staff/reports/{report.pk}/$"))
    worker.get_by_role("link", name="修改").first.click()
    worker.wait_for_url(re.compile(r"/edit/$"))
    worker.fill("#id_households", "12")
    worker.get_by_role("button", name="保存修改").click()
    worker.wait_for_url(re.compile(rf"/staff/reports/{report.pk}/$"))
    worker.get_by_role("button", name="重新提交审核").click()
    worker.wait_for_load_state()
    report.refresh_from_db()
    assert (report.status, report.households) == (Status.SUBMITTED, 12)
    steps.shot(worker, "3-resubmitted")

    # --- 4. The reviewer sees the change and approves ---------------------------------
    reviewer.goto("/staff/")
    waiting = reviewer.locator("section[aria-labelledby=todo-waiting]")
    assert "再次提交" in waiting.inner_text()
    waiting.get_by_role("link", name=re.compile("防溺水安全宣传")).click()
    reviewer.wait_for_url(re.compile(rf"/staff/reports/{report.pk}/"))
    changes = reviewer.locator("section.review-changes")
    assert "12" in changes.inner_text()
    _fits(reviewer)
    assert_accessible(reviewer, "review page with the changes")
    steps.shot(reviewer, "4-changes")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.APPROVED

    # --- 5. The editor assembles with the defaults and publishes ----------------------
    editor = new_page(phone=True)
    _login(editor, "erin")
    approved = editor.locator("section[aria-labelledby=todo-approved]")
    assert "防溺水安全宣传" in approved.inner_text()
    editor.goto("/staff/issues/assemble/")
    _fits(editor)
    steps.shot(editor, "5-assemble")
    editor.get_by_role("button", name="组稿").click()
    editor.wait_for_url(re.compile(r"/staff/issues/\d+/$"))
    issue = Issue.objects.get()
    assert issue.sections.filter(articles__source_report=report).exists()
    steps.shot(editor, "5-assembled")
    editor.goto(f"/staff/issues/{issue.pk}/publish/")
    editor.get_by_role("button", name="确认发布").click()
    editor.wait_for_load_state()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    steps.shot(editor, "5-published")

    # --- 6. The worker is told, and the report links to the issue ---------------------
    worker.goto("/staff/")
    assert _unread(worker) >= 1
    worker.locator("header").get_by_role("link", name=re.compile("通知")).click()
    worker.wait_for_url(re.compile(r"/staff/notifications/"))
    told = worker.locator("main").get_by_role(
        "link", name=re.compile(rf"已刊登于 {issue.year}年第{issue.number}期")
    )
    assert told.count() == 1
    assert Notification.objects.filter(
        recipient=personas.worker, title__contains="已刊登于"
    ).exists()
    _fits(worker)
    steps.shot(worker, "6-notifications")
    worker.goto(report.get_absolute_url())
    published = worker.locator(".report-published")
    assert f"已刊登于 {issue.year}年第{issue.number}期" in published.inner_text()
    _fits(worker)
    steps.shot(worker, "6-report")
    published.get_by_role("link").click()
    worker.wait_for_load_state()
    assert "防溺水安全宣传" in worker.locator("main h1, main h2").first.inner_text()
    steps.shot(worker, "6-public-article")
