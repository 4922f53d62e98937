"""The portal's real journeys in a real browser:

a worker on a phone files a report with two photos and submits it; the county
reviewer returns it with a comment; the worker fixes and resubmits; the
reviewer approves; the editor assembles an issue, reorders two articles, hits
the privacy gate on a beneficiary's name the worker wrote into the report,
fixes it and publishes; a public reader opens the home page, the issue, an
article, searches a two-character word and opens the print view.

Every step is screenshotted (tests/e2e/conftest.py: test-artifacts/e2e/), and
axe-core checks the public pages and the staff forms on the way."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from PIL import Image

from activities import services as report_services
from activities.models import ActivityKind, ActivityReport, Status
from beneficiaries.models import Beneficiary
from beneficiaries.services.files import beneficiary_create
from newsletter.models import Article, Issue, Publication
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"
PLANTED = "李小花"  # a registered beneficiary, named by mistake in a report
FEB = datetime.date(2023, 2, 15)


def _photo(tmp_path, name, colour):
    path = tmp_path / name
    image = Image.new("RGB", (800, 600), colour)
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def world(personas, net):
    """The people of the journey with passwords, city A's publication, a
    beneficiary of station a1, and another approved report of county A1 so
    the station section has two articles to reorder."""
    for user in (personas.worker, personas.reviewer, personas.editor):
        user.set_password(PASSWORD)
        user.save()
    publication = Publication.objects.create(
        name="甲市民政简报", slug="jia", city=net.city_a, bureau="甲市民政局"
    )
    from stations.models import Station

    station = Station.objects.with_place().get(pk=net.a1.pk)
    beneficiary_create(
        beneficiary=Beneficiary(
            name=PLANTED,
            gender="女",
            birth_date=datetime.date(2014, 5, 6),
            opened_on=datetime.date(2023, 1, 10),
        ),
        station=station,
        by=personas.worker,
    )
    other = report_services.report_create(
        report=ActivityReport(
            title="西镇社工站开展敬老活动",
            start_date=datetime.date(2023, 2, 10),
            kind=ActivityKind.objects.first(),
            body="社工站走访辖区独居老人，送去慰问品。",
            person_times=12,
        ),
        unit=net.a1b,
        by=personas.superuser,
    )
    report_services.report_submit(report=other, by=personas.superuser)
    report_services.report_approve(report=other, by=personas.reviewer)
    return publication


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/$"))


def test_report_to_published_issue(new_page, steps, world, personas, tmp_path):
    # --- A worker files a report on a phone -------------------------------------
    worker = new_page(phone=True)
    worker.goto("/accounts/login/")
    assert_accessible(worker, "login form")
    _login(worker, "alice")
    steps.shot(worker, "worker-home")
    worker.goto("/staff/reports/new/")
    assert_accessible(worker, "report form")
    worker.fill("#id_title", "东镇社工站开展关爱困境儿童活动")
    worker.fill("#id_start_date", FEB.isoformat())
    worker.select_option("#id_kind", label="宣传")
    worker.fill("#id_person_times", "21")
    worker.fill(
        "#id_body",
        "为加强对困境儿童的关爱，东镇社工站开展入户走访。\n"
        f"社工来到{PLANTED}家中，了解其学习和生活情况。",
    )
    steps.shot(worker, "report-form-filled")
    worker.get_by_role("button", name="保存草稿").click()
    worker.wait_for_url(re.compile(r"/staff/reports/\d+/$"))
    report = ActivityReport.objects.get(title="东镇社工站开展关爱困境儿童活动")
    assert report.status == Status.DRAFT

    worker.set_input_files(
        "#photo-upload-files",
        [_photo(tmp_path, "a.jpg", "#c04040"), _photo(tmp_path, "b.jpg", "#4060c0")],
    )
    worker.fill("#photo-upload-caption", "社工入户走访")
    assert_accessible(worker, "report page with the photo form")
    with worker.expect_navigation():
        worker.get_by_role("button", name="上传照片").click()
    assert report.photos.count() == 2
    # The thumbnails load: media is served to the report's own worker. They are
    # lazy and do not hold the load event, so each is brought into view and the
    # check waits for the browser to finish them (a broken image never passes).
    thumbs = worker.locator("img[src^='/media/reports/']")
    assert thumbs.count() >= 2
    for i in range(thumbs.count()):
        thumbs.nth(i).scroll_into_view_if_needed()
    worker.wait_for_function(
        "() => [...document.querySelectorAll(\"img[src^='/media/reports/']\")]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10_000,
    )
    steps.shot(worker, "report-with-photos")
    worker.get_by_role("button", name="提交审核").click()
    worker.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    steps.shot(worker, "report-submitted")

    # --- The county reviewer returns it with a comment -----------------------------
    reviewer = new_page()
    _login(reviewer, "carol")
    reviewer.goto("/staff/review/")
    steps.shot(reviewer, "review-queue")
    reviewer.get_by_role("link", name=re.compile("东镇社工站开展关爱")).first.click()
    reviewer.wait_for_url(re.compile(rf"/staff/reports/{report.pk}/$"))
    assert_accessible(reviewer, "review page")
    reviewer.fill("#return-comment", "请补充服务人数，并核对照片说明。")
    reviewer.get_by_role("button", name="退回修改").click()
    reviewer.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    steps.shot(reviewer, "returned")

    # --- The worker fixes it and resubmits -----------------------------------------
    worker.goto(f"/staff/reports/{report.pk}/")
    assert "请补充服务人数" in worker.locator(".returned-note").inner_text()
    steps.shot(worker, "worker-sees-comment")
    worker.get_by_role("link", name="修改").first.click()
    worker.wait_for_url(re.compile(r"/edit/$"))
    assert_accessible(worker, "report edit form")
    worker.fill("#id_persons", "15")
    worker.get_by_role("button", name="保存修改").click()
    worker.wait_for_url(re.compile(rf"/staff/reports/{report.pk}/$"))
    worker.get_by_role("button", name="重新提交审核").click()
    worker.wait_for_load_state()
    report.refresh_from_db()
    assert (report.status, report.persons) == (Status.SUBMITTED, 15)
    steps.shot(worker, "resubmitted")

    # --- The reviewer approves -----------------------------------------------------
    reviewer.goto(f"/staff/reports/{report.pk}/")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    steps.shot(reviewer, "approved")

    # --- The editor assembles, reorders, meets the privacy gate, publishes --------
    editor = new_page()
    _login(editor, "erin")
    editor.goto("/staff/issues/assemble/")
    assert_accessible(editor, "assemble form")
    editor.fill("#id_start", "2023-02-01")
    editor.fill("#id_end", "2023-02-28")
    steps.shot(editor, "assemble")
    editor.get_by_role("button", name="组稿").click()
    editor.wait_for_url(re.compile(r"/staff/issues/\d+/$"))
    issue = Issue.objects.get()
    station_section = issue.sections.get(articles__source_report=report)
    order = lambda: list(  # noqa: E731
        station_section.articles.order_by("position").values_list("title", flat=True)
    )
    before = order()
    assert len(before) == 2
    assert_accessible(editor, "issue page")
    steps.shot(editor, "issue-assembled")
    editor.get_by_role("button", name=f"下移《{before[0]}》").click()
    editor.wait_for_load_state()
    assert order() == [before[1], before[0]]
    steps.shot(editor, "reordered")

    editor.get_by_role("link", name="隐私检查").first.click()
    editor.wait_for_url(re.compile(r"/privacy/$"))
    assert editor.locator("mark").count() >= 1
    assert_accessible(editor, "privacy gate")
    steps.shot(editor, "privacy-gate-hit")
    editor.goto(f"/staff/issues/{issue.pk}/publish/")
    assert "不能发布" in editor.locator(".message-error").inner_text()
    steps.shot(editor, "publish-blocked")

    article = Article.objects.get(source_report=report)
    editor.goto(f"/staff/issues/articles/{article.pk}/")
    assert_accessible(editor, "article form")
    body = editor.input_value("#id_body")
    editor.fill("#id_body", body.replace(PLANTED, "一名困境儿童"))
    editor.get_by_role("button", name="保存").first.click()
    editor.wait_for_url(re.compile(rf"/staff/issues/{issue.pk}/"))
    editor.goto(f"/staff/issues/{issue.pk}/privacy/")
    assert editor.locator(".message-success").count() >= 1
    steps.shot(editor, "privacy-gate-clear")
    editor.get_by_role("link", name="去发布").click()
    editor.wait_for_url(re.compile(r"/publish/$"))
    assert_accessible(editor, "publish form")
    steps.shot(editor, "publish")
    editor.get_by_role("button", name="确认发布").click()
    editor.wait_for_load_state()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    steps.shot(editor, "published")

    # --- A public reader ------------------------------------------------------------
    reader = new_page(phone=True)
    reader.goto("/")
    assert_accessible(reader, "home")
    steps.shot(reader, "public-home")
    reader.get_by_role("link", name="阅读本期").first.click()
    reader.wait_for_url(re.compile(rf"/{issue.year}/{issue.number}/$"))
    assert_accessible(reader, "issue")
    steps.shot(reader, "public-issue")
    reader.get_by_role("link", name=re.compile("关爱困境儿童")).first.click()
    reader.wait_for_url(re.compile(rf"/{article.pk}/$"))
    assert PLANTED not in reader.content()
    assert "一名困境儿童" in reader.content()
    # Its photos are public now, and load.
    photos = reader.locator("main img")
    assert photos.count() >= 2
    for i in range(photos.count()):
        photos.nth(i).scroll_into_view_if_needed()
    reader.wait_for_function(
        "() => [...document.querySelectorAll('main img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10_000,
    )
    assert_accessible(reader, "article")
    steps.shot(reader, "public-article")
    reader.goto("/")
    reader.fill("#home-q", "敬老")
    reader.press("#home-q", "Enter")
    reader.wait_for_url(re.compile(r"/search/\?q="))
    assert "西镇社工站开展敬老活动" in reader.locator("main").inner_text()
    assert_accessible(reader, "search")
    steps.shot(reader, "public-search")
    reader.goto(issue.get_absolute_url())
    reader.get_by_role("link", name=re.compile("打印")).first.click()
    reader.wait_for_url(re.compile(r"/print/$"))
    assert "甲市民政简报" in reader.content()
    assert_accessible(reader, "print view")
    steps.shot(reader, "public-print")


def test_file_search_never_sends_a_whole_number(new_page, world, personas):
    """The file list's search asks for the last digits only; a pasted ID or phone
    number must not travel in the address bar (and so the access log): the
    browser refuses to send seven digits or more, with a message."""
    worker = new_page()
    _login(worker, "alice")
    worker.goto("/staff/beneficiaries/")
    search = worker.locator("#id_q")
    search.fill("445302201405")
    search.press("Enter")
    worker.wait_for_timeout(300)
    assert "445302" not in worker.url
    assert search.evaluate("e => e.validity.patternMismatch")
    # The browser's bubble says its own words, then the field's title.
    assert "后四位" in search.get_attribute("title")
    # A name, or the last digits, is searched as before.
    search.fill("0506")
    with worker.expect_navigation():
        search.press("Enter")
    assert "q=0506" in worker.url
    search = worker.locator("#id_q")
    search.fill("李小花")
    with worker.expect_navigation():
        search.press("Enter")
    assert PLANTED in worker.locator("main").inner_text()
