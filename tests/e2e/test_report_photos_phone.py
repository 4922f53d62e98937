"""On a 390 px phone, a worker files a report with a photo in one form: the
form opens on today's date and the worker's own town, the photo is chosen
beside the text, one tap saves both, and the report page shows the photo."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from activities.models import ActivityReport, Status
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "yunfu-demo-2023"


def _photo(tmp_path):
    path = tmp_path / "IMG_0001.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "#3a7d44").save(out, "JPEG")
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
    assert width <= 390, f"{page.url} is {width} px wide"


def test_worker_files_a_report_with_a_photo_on_a_phone(
    new_page, steps, personas, net, tmp_path
):
    personas.worker.set_password(PASSWORD)
    personas.worker.save()
    page = new_page(phone=True)
    _login(page, "alice")
    page.goto("/staff/reports/new/")
    _fits(page)
    assert_accessible(page, "new report form on a phone")
    # What is known is already there: today, and the station's own town.
    assert page.input_value("#id_start_date") == timezone.localdate().isoformat()
    assert page.input_value("#id_town") == str(net.a1.town_id)
    # On a phone the camera opens from the form itself.
    assert page.is_visible("#report-photos-camera")
    steps.shot(page, "form-opened")

    # A photo of people without consent is refused, and nothing is saved.
    page.fill("#id_title", "东镇社工站开展儿童安全宣传")
    page.select_option("#id_kind", label="宣传")
    page.fill("#id_body", "社工走进东村，为孩子们讲解防溺水知识。")
    page.set_input_files("#report-photos-files", _photo(tmp_path))
    page.check("input[name=shows_people]")
    page.locator(".report-form > .actions").get_by_role(
        "button", name="保存草稿"
    ).click()
    page.wait_for_selector(".message-error")
    assert "请确认已取得本人或监护人同意" in page.inner_text("#report-photos")
    assert not ActivityReport.objects.exists()
    _fits(page)
    assert_accessible(page, "new report form with a refused photo")
    steps.shot(page, "photo-refused")

    # The text came back; the photo is chosen again, with consent this time.
    assert page.input_value("#id_title") == "东镇社工站开展儿童安全宣传"
    page.set_input_files("#report-photos-files", _photo(tmp_path))
    page.fill("#report-photos-caption", "社工讲解防溺水知识")
    page.check("input[name=consent]")
    steps.shot(page, "form-filled")
    page.locator(".report-form > .actions").get_by_role(
        "button", name="保存草稿"
    ).click()
    page.wait_for_url(re.compile(r"/staff/reports/\d+/$"))

    report = ActivityReport.objects.get()
    assert report.status == Status.DRAFT and report.town == net.a1.town
    photo = report.photos.get()
    assert (photo.caption, photo.shows_people, photo.consent) == (
        "社工讲解防溺水知识",
        True,
        True,
    )
    assert "附 1 张照片" in page.inner_text("main")
    thumb = page.locator("#photos img[alt='社工讲解防溺水知识']")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function(
        '() => [...document.querySelectorAll("#photos img")]'
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10_000,
    )
    _fits(page)
    assert_accessible(page, "the report page with its photo")
    steps.shot(page, "report-with-photo")
