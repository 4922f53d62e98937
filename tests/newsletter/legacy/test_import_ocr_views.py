"""The import screen with a scan: each page's picture beside the text read from
it, low-confidence paragraphs marked, confirmed as a draft; the page pictures
are for the editor who uploaded the scan only."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Job
from core.uploads import upload_hold
from newsletter.models import Issue
from newsletter.views.legacy import PURPOSE
from stations import services
from stations.models import Role
from tests import factories
from tests.newsletter.legacy.helpers import SEED_ARTICLES
from tests.newsletter.legacy.scans import page_url

URL = "/staff/issues/import/"
CONFIRM = "/staff/issues/import/confirm/"
NAME = "云浮民政简报2023年第3期"


def upload(client, publication, data, name):
    """The preview of ``data``: a scan goes to a background job (run at once in
    the tests), whose result links to it."""
    response = client.post(
        URL,
        {"publication": publication.pk, "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302
    return client.get(Job.objects.latest("pk").result_url)


def test_preview_shows_the_page_beside_its_text_with_doubtful_lines_marked(
    client, login, publication, yunfu_editor, worn, worn_lines
):
    login(yunfu_editor)
    response = upload(client, publication, worn, f"{NAME}.jpg")
    assert response.status_code == 200
    page = response.content.decode()
    token = response.context["token"]
    assert f'src="{page_url(token, 1)}"' in page
    assert "识别可信度低，请核对" in page
    assert "保存为草稿" in page and "确认导入为草稿" in page
    assert "确认导入并发布" not in page
    # Each paragraph read is shown; the doubtful ones, and only they, marked.
    marked = re.findall(r'<p class="legacy-doubt">(.*?)</p>', page, re.S)
    doubtful = [line for line in worn_lines if line.low_confidence]
    assert len(marked) == len(doubtful)
    assert any("为充分调动" in m for m in marked)
    assert "<p>建立健全社会工作常态化培训学习机制</p>" in page


def test_preview_of_a_scanned_pdf_shows_each_page(
    client, login, publication, yunfu_editor, scanned_pdf, pdf_lines
):
    login(yunfu_editor)
    response = upload(client, publication, scanned_pdf, f"{NAME}.pdf")
    assert response.status_code == 200
    token = response.context["token"]
    page = response.content.decode()
    assert page_url(token, 1) in page and page_url(token, 2) in page
    assert page_url(token, 3) not in page
    pages = response.context["scan_pages"]
    assert [p["number"] for p in pages] == [1, 2]
    assert all(line.page == 2 for line in pages[1]["lines"])
    assert any("罗定市泗纶镇社工站开展" in line.text for line in pages[1]["lines"])
    # The two pages' pictures, small enough for a phone.
    for number in (1, 2):
        picture = client.get(page_url(token, number))
        assert picture.status_code == 200
        assert picture["Content-Type"] == "image/jpeg"
        image = Image.open(io.BytesIO(picture.content))
        assert image.width <= 1000 and image.height > image.width


def test_confirmed_scan_is_a_draft_for_the_editor_to_check(
    client, login, publication, yunfu_editor, scanned_pdf, pdf_lines
):
    login(yunfu_editor)
    token = upload(client, publication, scanned_pdf, f"{NAME}.pdf").context["token"]
    response = client.post(CONFIRM, {"token": token})
    issue = Issue.objects.get()
    assert issue.status == Issue.Status.DRAFT and issue.published_at is None
    assert response.status_code == 302
    assert response["Location"] == issue.get_absolute_url()
    assert issue.articles.count() == len(SEED_ARTICLES)
    followed = client.get(response["Location"]).content.decode()
    assert "已导入为草稿" in followed and "请对照原件逐篇核对" in followed
    # The public does not see it.
    client.logout()
    public = reverse("newsletter:issue", args=[publication.slug, 2023, 3])
    assert client.get(public).status_code == 404


# --- Who sees the page pictures -------------------------------------------------


def _page_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (1654, 2339), 255).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def held(yunfu_editor):
    """A scan the editor uploaded and is previewing (no OCR needed to show
    its pages)."""
    return upload_hold(
        user=yunfu_editor, purpose=PURPOSE, name="scan.png", data=_page_png()
    )


def test_the_editor_who_uploaded_sees_the_page_small_enough_for_a_phone(
    client, login, yunfu_editor, held
):
    login(yunfu_editor)
    response = client.get(page_url(held, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert Image.open(io.BytesIO(response.content)).width == 1000
    # A photo has one page.
    assert client.get(page_url(held, 2)).status_code == 404


def test_another_editor_of_the_same_city_gets_404(client, login, yunfu, held):
    other = factories.UserFactory(username="other_editor")
    services.role_assign(user=other, role=Role.CITY_EDITOR, unit=yunfu.city)
    login(other)
    assert client.get(page_url(held, 1)).status_code == 404


def test_a_worker_gets_404(client, login, yunfu, held):
    worker = factories.UserFactory(username="worker")
    station = yunfu.station("罗定市", "泗纶镇")
    services.role_assign(user=worker, role=Role.SOCIAL_WORKER, unit=station)
    login(worker)
    assert client.get(page_url(held, 1)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, held):
    response = client.get(page_url(held, 1))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unknown_token_gets_404(client, login, yunfu_editor, held):
    login(yunfu_editor)
    assert client.get(page_url("0" * 32, 1)).status_code == 404
