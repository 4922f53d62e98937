"""A scan uploaded on the single-file import screen is read by OCR in a
background job (newsletter/jobs.py, ``scan_read_job``): the upload answers at
once with the job's page, which shows the pages read and links to the preview
when done; the preview shows each page beside its text and confirms as today.
Any other file is still previewed at once. The tests run jobs in the request
(JOBS_MODE "sync", tests/conftest.py)."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import HeldUpload, Job
from newsletter.jobs import SCAN_READ
from newsletter.legacy import ocr, source
from newsletter.models import Issue
from stations import services
from stations.models import Role
from tests import factories
from tests.newsletter.legacy import scans
from tests.newsletter.legacy.pdf_fixtures import seed_pdf
from tests.newsletter.legacy.scans import page_url

URL = "/staff/issues/import/"
CONFIRM = "/staff/issues/import/confirm/"
NAME = "云浮民政简报2023年第3期"


def upload(client, publication, data, name):
    return client.post(
        URL,
        {"publication": publication.pk, "file": SimpleUploadedFile(name, data)},
    )


def preview_url(token):
    return reverse("newsletter_staff:legacy_import_preview", args=[token])


@pytest.fixture
def scan_job(client, login, publication, yunfu_editor, worn, worn_lines):
    """The worn photo uploaded by the editor, its job done (the lines read once
    per test process, from the cache)."""
    login(yunfu_editor)
    response = upload(client, publication, worn, f"{NAME}.jpg")
    assert response.status_code == 302
    client.logout()
    return Job.objects.get(kind=SCAN_READ)


# --- The job ------------------------------------------------------------------------


def test_a_scan_goes_to_a_job_that_reads_it_page_by_page(
    client, login, publication, yunfu_editor, scanned_pdf
):
    scans.need_ocr()
    login(yunfu_editor)
    response = upload(client, publication, scanned_pdf, f"{NAME}.pdf")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == SCAN_READ and job.started_by == yunfu_editor
    assert job.status == Job.Status.SUCCEEDED
    # Page by page, as the job page shows it while it runs.
    assert "正在识别第 1 / 2 页" in job.log_tail
    assert "正在识别第 2 / 2 页" in job.log_tail
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert job.message.startswith("已识别 2 页，读出 ")
    assert "请点“查看结果”打开预览，对照原页核对后确认导入。" in job.message
    token = HeldUpload.objects.get(user=yunfu_editor).token
    assert job.result_url == preview_url(token)
    # The job's page links to the preview; nothing is imported yet, and the
    # lines read wait in the cache for the preview.
    page = client.get(response["Location"]).content.decode()
    assert f'href="{preview_url(token)}"' in page and "识别扫描件" in page
    assert Issue.objects.count() == 0
    assert cache.get(ocr.cache_key(scanned_pdf))


def test_the_preview_shows_each_page_beside_its_text_and_confirms_a_draft(
    client, login, publication, yunfu_editor, scanned_pdf, pdf_lines, monkeypatch
):
    login(yunfu_editor)
    upload(client, publication, scanned_pdf, f"{NAME}.pdf")
    job = Job.objects.get()

    # The job left the lines in the cache: the preview reads no page again.
    def read_page(*args):
        raise AssertionError("the preview read a page by OCR again")

    monkeypatch.setattr(ocr, "read_page", read_page)
    response = client.get(job.result_url)
    assert response.status_code == 200
    page = response.content.decode()
    token = response.context["token"]
    assert f'src="{page_url(token, 1)}"' in page
    assert f'src="{page_url(token, 2)}"' in page
    assert "确认导入为草稿" in page and "确认导入并发布" not in page
    assert "2023年第3期：3 个栏目" in page
    assert client.get(page_url(token, 2)).status_code == 200
    response = client.post(CONFIRM, {"token": token})
    issue = Issue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert issue.status == Issue.Status.DRAFT and issue.source_name == f"{NAME}.pdf"
    # Confirmed once: the job's link now says the upload is gone.
    followed = client.get(job.result_url, follow=True).content.decode()
    assert "这份上传已经确认导入，或已超过一天被删除。请重新上传文件。" in followed
    assert Issue.objects.count() == 1


def test_the_preview_marks_the_paragraphs_ocr_was_unsure_of(
    client, login, yunfu_editor, scan_job, worn_lines
):
    login(yunfu_editor)
    page = client.get(scan_job.result_url).content.decode()
    assert "识别可信度低，请核对" in page
    marked = re.findall(r'<p class="legacy-doubt">(.*?)</p>', page, re.S)
    assert len(marked) == sum(1 for line in worn_lines if line.low_confidence) > 0
    assert any("为充分调动" in m for m in marked)
    doubtful = sum(1 for line in worn_lines if line.low_confidence)
    assert f"其中 {doubtful} 段识别可信度低" in scan_job.message


def test_the_preview_reads_the_pages_again_when_the_cache_lost_them(
    client, login, yunfu_editor, scan_job, worn_lines
):
    cache.clear()  # a restart of a server whose cache is its own memory
    login(yunfu_editor)
    response = client.get(scan_job.result_url)
    assert response.status_code == 200
    assert [line.text for line in response.context["result"].scan_lines] == [
        line.text for line in worn_lines
    ]
    assert "确认导入为草稿" in response.content.decode()


def test_a_file_already_imported_is_not_read_again(
    client, login, publication, yunfu_editor, worn, worn_lines
):
    login(yunfu_editor)
    upload(client, publication, worn, f"{NAME}.jpg")
    token = client.get(Job.objects.get().result_url).context["token"]
    client.post(CONFIRM, {"token": token})
    # Said at once, as for any file imported before.
    response = upload(client, publication, worn, "again.jpg")
    assert "这个文件已经导入过" in response.content.decode()
    assert Job.objects.count() == 1


def test_a_scan_without_its_number_says_so_and_is_read_once(
    client, login, publication, yunfu_editor, worn, worn_lines, monkeypatch
):
    login(yunfu_editor)
    upload(client, publication, worn, "scan.jpg")
    job = Job.objects.get()
    # Read, but the page names no year and number, nor does the file's name.
    assert job.status == Job.Status.SUCCEEDED
    assert "但还不能导入：" in job.message and "期号" in job.message
    page = client.get(job.result_url).content.decode()
    assert "不能导入，请处理下面的问题后重新上传" in page
    assert "确认导入" not in page and "识别可信度低，请核对" in page

    # Uploaded again with the numbers: the lines read are in the cache.
    def read_page(*args):
        raise AssertionError("the same scan was read by OCR again")

    monkeypatch.setattr(ocr, "read_page", read_page)
    response = client.post(
        URL,
        {
            "publication": publication.pk,
            "file": SimpleUploadedFile("scan.jpg", worn),
            "year": 2022,
            "number": 5,
        },
    )
    again = Job.objects.latest("pk")
    assert response["Location"] == again.get_absolute_url()
    assert again.status == Job.Status.SUCCEEDED
    assert "确认导入为草稿" in client.get(again.result_url).content.decode()


# --- Other files are previewed at once ---------------------------------------------


def test_a_pdf_with_text_is_previewed_at_once(
    client, login, publication, yunfu_editor, seed_text
):
    login(yunfu_editor)
    response = upload(client, publication, seed_pdf(seed_text), f"{NAME}.pdf")
    assert response.status_code == 200
    assert "确认导入并发布" in response.content.decode()
    assert response.context["token"]
    assert Job.objects.count() == 0


def test_a_text_file_is_previewed_at_once(
    client, login, publication, yunfu_editor, seed_bytes
):
    login(yunfu_editor)
    response = upload(client, publication, seed_bytes, f"{NAME}.txt")
    assert response.status_code == 200
    assert "2023年第3期：3 个栏目，10 篇文章" in response.content.decode()
    assert Job.objects.count() == 0


def test_is_scan_tells_what_read_lines_would_read_by_ocr(
    scanned_pdf, worn, seed_text, seed_bytes
):
    assert source.is_scan(scanned_pdf) and source.is_scan(worn)
    assert not source.is_scan(seed_pdf(seed_text))
    assert not source.is_scan(seed_bytes)
    # A PDF that cannot be opened is not sent to OCR: reading it says why.
    assert not source.is_scan(b"%PDF-1.4\n" + b"\x00" * 100)


# --- When the scan cannot be read ----------------------------------------------------


def test_without_tesseract_the_job_fails_with_what_to_install(
    client, login, publication, yunfu_editor, worn, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on the path
    login(yunfu_editor)
    response = upload(client, publication, worn, f"{NAME}.jpg")
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.FAILED
    assert "tesseract-ocr 和 tesseract-ocr-chi-sim" in job.message
    assert not job.result.get("retryable")
    page = client.get(response["Location"]).content.decode()
    assert "请系统管理员安装 tesseract-ocr" in page and "查看结果" not in page
    # Nothing written, nothing kept.
    assert Issue.objects.count() == 0
    assert HeldUpload.objects.count() == 0
    assert cache.get(ocr.cache_key(worn)) is None


def test_a_damaged_picture_fails_the_job_and_changes_nothing(
    client, login, publication, yunfu_editor
):
    scans.need_ocr()
    login(yunfu_editor)
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    upload(client, publication, broken, f"{NAME}.png")
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert re.search(r"[\u4e00-\u9fff]", job.message)
    assert "Traceback" not in job.log_tail
    assert Issue.objects.count() == 0 and HeldUpload.objects.count() == 0


# --- Who sees the job and the preview ----------------------------------------------


def _user(username, role, unit):
    user = factories.UserFactory(username=username)
    services.role_assign(user=user, role=role, unit=unit)
    return user


def test_an_editor_of_another_city_gets_404(client, login, scan_job):
    login(_user("other_city_editor", Role.CITY_EDITOR, factories.CityFactory()))
    assert client.get(scan_job.get_absolute_url()).status_code == 404
    assert client.get(scan_job.result_url).status_code == 404


def test_another_editor_of_the_city_sees_the_job_but_not_the_preview(
    client, login, yunfu, scan_job
):
    # The job is the city's, as an archive import is; the upload is its editor's.
    login(_user("colleague", Role.CITY_EDITOR, yunfu.city))
    assert client.get(scan_job.get_absolute_url()).status_code == 200
    assert client.get(scan_job.result_url).status_code == 404


def test_a_reviewer_gets_404(client, login, yunfu, scan_job):
    login(_user("reviewer", Role.COUNTY_REVIEWER, yunfu.county("罗定市")))
    assert client.get(scan_job.get_absolute_url()).status_code == 404
    assert client.get(scan_job.result_url).status_code == 404


def test_a_worker_gets_404(client, login, yunfu, scan_job):
    station = yunfu.station("罗定市", "泗纶镇")
    login(_user("worker", Role.SOCIAL_WORKER, station))
    assert client.get(scan_job.get_absolute_url()).status_code == 404
    assert client.get(scan_job.result_url).status_code == 404


def test_anonymous_is_sent_to_log_in(client, scan_job):
    for url in (scan_job.get_absolute_url(), scan_job.result_url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- Queries -----------------------------------------------------------------------


def test_preview_queries_do_not_grow_with_the_pages(
    client,
    login,
    publication,
    yunfu_editor,
    worn,
    worn_lines,
    scanned_pdf,
    pdf_lines,
    django_assert_num_queries,
):
    login(yunfu_editor)
    upload(client, publication, worn, f"{NAME}.jpg")
    one_page = Job.objects.latest("pk").result_url
    # QUERIES (the comment below it) counts them.
    with django_assert_num_queries(QUERIES):
        assert client.get(one_page).status_code == 200
    upload(client, publication, scanned_pdf, f"{NAME}.pdf")
    two_pages = Job.objects.latest("pk").result_url
    with django_assert_num_queries(QUERIES):
        assert client.get(two_pages).status_code == 200


# The session, its user and the editor's roles; the held upload and its
# publication; the same file imported before; the city's counties, towns and
# stations (matching); the privacy gate's identifiers; an issue with the year
# and number; the upload form's publications, read twice as the field is
# drawn. The same for one page or two, six paragraphs or forty.
QUERIES = 13
