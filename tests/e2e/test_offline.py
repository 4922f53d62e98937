"""Field work without signal, in a real browser on a phone: a visit and a
report draft with a photo written offline wait on the phone as 待发送 and are
saved exactly once when the connection returns, also when the network drops
in the middle of the send; a session that expired keeps them for the same
user; another user signing in on the phone neither sees nor can read them;
signing out with items waiting asks what to do with them.

The browser goes offline with Playwright's context.set_offline, which also
sets navigator.onLine and fires the online and offline events."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.sessions.models import Session
from PIL import Image

from activities.models import ActivityReport, ReportPhoto
from beneficiaries.models import Beneficiary, Visit
from beneficiaries.services.files import beneficiary_create
from stations.models import Station
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"
NOTES = "离线走访：老人身体尚好，需要送米"
HOME = re.compile(r"^https?://[^/]+/$")  # where signing out lands


@pytest.fixture
def world(personas, net):
    for user in (personas.worker, personas.head):
        user.set_password(PASSWORD)
        user.save()
    station = Station.objects.with_place().get(pk=net.a1.pk)
    child = beneficiary_create(
        beneficiary=Beneficiary(
            name="示例·陈小明",
            gender="男",
            birth_date=datetime.date(2014, 5, 6),
            opened_on=datetime.date(2023, 1, 10),
        ),
        station=station,
        by=personas.worker,
    )
    return child


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/$"))


def _phone(browser, live_server, watch, *, service_workers="allow"):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers=service_workers,
    )
    context.set_default_timeout(15_000)
    return context, watch.attach(context.new_page())


@pytest.fixture
def phones(browser, live_server, watch):
    made = []

    def _new(**kwargs):
        context, page = _phone(browser, live_server, watch, **kwargs)
        made.append(context)
        return context, page

    yield _new
    for context in made:
        context.close()


KEY_ON_PHONE = """async () => {
    const holder = document.querySelector('[data-offline-user]');
    return !!(window.PortalOffline && holder
        && await PortalOffline.loadPublicKey(holder.dataset.offlineUser));
}"""


def _wait_for_key(page):
    for _ in range(100):
        if page.evaluate(KEY_ON_PHONE):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the user's public key never reached the phone")


def _write_visit_offline(context, page, child):
    page.goto(f"/staff/beneficiaries/{child.pk}/")
    # Opened with signal: the public key is on the phone before it goes.
    _wait_for_key(page)
    context.set_offline(True)
    page.get_by_text("添加走访记录").click()
    page.fill("#id_notes", NOTES)
    page.get_by_role("button", name="保存走访记录").click()
    page.get_by_text("已保存在本机，状态：待发送").wait_for()


def _queue_count(page) -> str:
    return page.locator("[data-offline-count]").inner_text()


def _wait_until_sent(page):
    # The holder is hidden in the page as served: wait for the script to have
    # loaded the queue and tried it before reading its emptiness.
    page.locator(".offline-queue[data-offline-idle]").wait_for(state="attached")
    page.locator(".offline-queue").wait_for(state="hidden")


def test_a_visit_written_offline_is_saved_once(phones, steps, world, personas):
    context, page = phones()
    _login(page, "alice")
    _write_visit_offline(context, page, world)
    assert _queue_count(page) == "1"
    page.locator("[data-offline-toggle]").click()
    item = page.locator("[data-offline-list] li")
    assert "走访记录" in item.inner_text() and "待发送" in item.inner_text()
    # The panel shows when and what kind, never whom.
    assert world.name not in page.locator("[data-offline-panel]").inner_text()
    steps.shot(page, "queued-offline")
    assert_accessible(page, "the queue panel on a phone")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, "the queue panel on a desktop")
    page.set_viewport_size(PHONE)
    assert Visit.objects.count() == 0

    context.set_offline(False)
    _wait_until_sent(page)
    steps.shot(page, "sent")
    visit = Visit.objects.get()
    assert (visit.notes, visit.beneficiary_id) == (NOTES, world.pk)
    assert visit.client_key is not None
    page.reload()
    assert Visit.objects.count() == 1


def test_the_network_drops_in_the_middle_of_the_send(phones, steps, world, personas):
    """The first send reaches the server, which saves the visit, and its answer
    is lost on the way back: the phone sends again, and the visit is saved
    once. The service worker is kept out so the page's own send is the one the
    network drops."""
    context, page = phones(service_workers="block")
    _login(page, "alice")
    _write_visit_offline(context, page, world)

    posts = []

    def drop_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server gets it and saves it
            route.abort("connectionreset")  # the phone never hears back
        else:
            route.continue_()

    page.route(re.compile(r"/visits/new/$"), drop_first_answer)
    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]')"
        ".textContent.includes('没有网络')"
    )
    assert Visit.objects.count() == 1, "the first send arrived"
    assert _queue_count(page) == "1", "but the phone could not know it"
    steps.shot(page, "answer-lost")

    page.locator("[data-offline-toggle]").click()
    page.get_by_role("button", name="立即发送").click()
    _wait_until_sent(page)
    assert len(posts) == 2
    assert Visit.objects.count() == 1
    assert Visit.objects.get().notes == NOTES


def _photo(tmp_path):
    path = tmp_path / "activity.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_a_report_draft_with_a_photo_queued_offline_is_filed_once(
    phones, steps, world, personas, tmp_path
):
    context, page = phones()
    _login(page, "alice")
    page.goto("/staff/reports/new/")
    assert "5 MB" in page.locator("[data-offline-limit]").inner_text()
    page.fill("#id_title", "东镇社工站开展离线填报演练")
    page.select_option("#id_kind", index=1)
    page.fill("#id_body", "社工在村里开展活动，村民二十人参加。")
    page.set_input_files("#report-photos-files", str(_photo(tmp_path)))
    context.set_offline(True)
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存在本机，状态：待发送").wait_for()
    assert _queue_count(page) == "1"
    steps.shot(page, "report-queued")
    assert not ActivityReport.objects.filter(title__contains="离线填报").exists()

    context.set_offline(False)
    _wait_until_sent(page)
    report = ActivityReport.objects.get(title__contains="离线填报")
    assert report.client_key is not None
    assert ReportPhoto.objects.filter(report=report).count() == 1
    page.reload()
    assert ActivityReport.objects.filter(title__contains="离线填报").count() == 1


def test_the_visit_page_opens_offline_with_the_people_on_the_phone(
    phones, steps, world, personas
):
    context, page = phones()
    _login(page, "alice")
    page.goto("/staff/beneficiaries/visits/new/")
    page.locator("#id_person option", has_text=world.name).wait_for(state="attached")
    # The service worker keeps the page (it holds no one's data) once it runs.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.locator("#id_person option", has_text=world.name).wait_for(state="attached")
    assert_accessible(page, "the visit page")

    context.set_offline(True)
    page.goto("/staff/beneficiaries/visits/new/")
    page.locator("#id_person option", has_text=world.name).wait_for(state="attached")
    assert "本机保存于" in page.locator("[data-people-status]").inner_text()
    page.select_option("#id_person", label=f"{world.name}（未填村（居））")
    page.fill("#id_notes", NOTES)
    page.get_by_role("button", name="保存走访记录").click()
    page.get_by_text("已保存在本机，状态：待发送").wait_for()
    steps.shot(page, "visit-page-offline")

    context.set_offline(False)
    page.reload()
    _wait_until_sent(page)
    assert Visit.objects.get().notes == NOTES


def test_after_the_session_expired_items_wait_for_the_same_user(
    phones, steps, world, personas
):
    context, page = phones()
    _login(page, "alice")
    _write_visit_offline(context, page, world)
    Session.objects.all().delete()  # the session ended while the phone was away

    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]')"
        ".textContent.includes('登录已失效')"
    )
    steps.shot(page, "session-expired")
    assert Visit.objects.count() == 0
    assert _queue_count(page) == "1"

    # Another user signs in on the same phone: nothing of alice's shows, and
    # what is stored cannot be read.
    _login(page, "hana")
    assert page.locator(".offline-queue").is_hidden()
    stored = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('portal-offline');
            open.onsuccess = () => {
                const get = open.result.transaction('items').objectStore('items').getAll();
                get.onsuccess = () => resolve(get.result.map((item) => ({
                    user: item.user,
                    text: new TextDecoder().decode(item.sealed.data),
                    plain: JSON.stringify(item),
                })));
            };
        })"""
    )
    assert [s["user"] for s in stored] == [str(personas.worker.pk)]
    assert NOTES not in stored[0]["text"] and NOTES not in stored[0]["plain"]
    assert "visits/new" not in stored[0]["plain"]
    assert Visit.objects.count() == 0
    steps.shot(page, "other-user")

    # hana signs out (nothing of hers waits: no question), alice signs in again.
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(HOME)
    assert page.locator("dialog[data-offline-dialog]").count() == 0
    _login(page, "alice")
    _wait_until_sent(page)
    assert Visit.objects.get().notes == NOTES


def test_signing_out_with_items_waiting_asks_first(phones, steps, world, personas):
    # Without the service worker, so that only this page sends (and the route
    # below can keep the server out of reach).
    context, page = phones(service_workers="block")
    _login(page, "alice")
    _write_visit_offline(context, page, world)

    page.get_by_role("button", name="退出").click()
    dialog = page.locator("dialog[data-offline-dialog]")
    dialog.wait_for()
    assert dialog.locator("[data-offline-dialog-count]").inner_text() == "1"
    steps.shot(page, "sign-out-asks")
    assert_accessible(page, "the sign-out question")

    # Still offline: sending cannot work, and the user is told so.
    dialog.get_by_role("button", name="现在发送并退出").click()
    dialog.get_by_text("没有发送成功").wait_for()
    dialog.get_by_role("button", name="取消").click()
    assert dialog.is_hidden()

    # Back online, but the server out of reach for a while: the item waits.
    page.route(re.compile(r"/visits/new/$"), lambda route: route.abort())
    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelector('[data-offline-status]')"
        ".textContent.includes('没有网络')"
    )
    assert Visit.objects.count() == 0
    page.unroute(re.compile(r"/visits/new/$"))

    # Send now and sign out: sent once, then signed out.
    page.get_by_role("button", name="退出").click()
    dialog.get_by_role("button", name="现在发送并退出").click()
    page.wait_for_url(HOME)
    assert page.get_by_role("link", name="登录").is_visible()
    assert Visit.objects.count() == 1

    # Discard and sign out: thrown away, never sent.
    _login(page, "alice")
    page.route(re.compile(r"/visits/new/$"), lambda route: route.abort())
    page.goto(f"/staff/beneficiaries/{world.pk}/")
    page.get_by_text("添加走访记录").click()
    page.fill("#id_notes", "这条会被放弃")
    page.get_by_role("button", name="保存走访记录").click()
    page.get_by_text("已保存在本机，状态：待发送").wait_for()
    page.unroute(re.compile(r"/visits/new/$"))
    page.get_by_role("button", name="退出").click()
    dialog.get_by_role("button", name="放弃并退出").click()
    page.wait_for_url(HOME)
    _login(page, "alice")
    assert page.locator(".offline-queue").is_hidden()
    assert Visit.objects.count() == 1
