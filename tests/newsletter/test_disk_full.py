"""The media disk full under the newsletter's uploads: a past issue imported
from its file (at once, or in an archive by a background job), a picture put
where an imported issue only named one, and the article editor's photos (which
point at report photos and write no file). Refused with a Chinese message, said
once, no issue or photo row and no file left behind; an archive keeps the
issues imported before the disk filled."""

# Fixtures imported from other test folders are parameters here, by design.
# ruff: noqa: F811

import errno
import io
import os
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Job
from core.models.jobs import JobFileStorage
from newsletter import services
from newsletter.jobs import ARCHIVE_IMPORT
from newsletter.models import ArticlePhoto, Issue, Publication
from newsletter.services.legacy import issue_import
from tests.disk_full import full_after
from tests.jobs.helpers import job_of, stored_job_files
from tests.newsletter.legacy.conftest import (  # noqa: F401 (fixtures)
    seed_bytes,
    seed_text,
    yunfu,
    yunfu_editor,
)
from tests.newsletter.legacy.helpers import docx_from_text, png, replace

pytestmark = pytest.mark.django_db

IMPORT_FULL = (
    "服务器存储空间已满，这一期没有导入，图片也没有保存。请联系管理员清理空间后再试。"
)
PHOTO_FULL = "服务器存储空间已满，照片没有保存。请联系管理员清理空间后再试。"


@pytest.fixture
def yunfu_publication(yunfu):
    return Publication.objects.create(
        name="云浮民政简报", slug="yunfu", city=yunfu.city, bureau="云浮市民政局"
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _two_pictures(seed_text, colour=(40, 120, 200)) -> bytes:
    """The seed as a Word file with a second picture, in another article."""
    text = replace(
        seed_text, "2月23日，镇安镇社工站", "2月23日，[image: image3.png]镇安镇社工站"
    )
    return docx_from_text(text, picture=png(colour))


# --- The article editor -----------------------------------------------------------


def test_an_article_edit_on_a_full_disk_writes_no_file(
    draft, personas, three_levels, settings
):
    article = draft.articles.get(source_report=three_levels["a1_early"])
    first, second = article.photos.order_by("position")
    left = full_after(settings, 0)
    before = left()
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body=article.body,
        photos=[services.PhotoChoice(photo=second, caption="只留第二张")],
    )
    services.article_update(
        article=article,
        by=personas.editor,
        title=article.title,
        body=article.body,
        photos=[
            services.PhotoChoice(photo=second, caption="只留第二张"),
            services.PhotoChoice(photo=first.report_photo, caption="加回"),
        ],
    )
    # Saved whole: the photos point at the report's files, none are written.
    added = article.photos.get(position=2)
    assert (added.report_photo_id, added.caption) == (first.report_photo_id, "加回")
    assert not added.web and added.rendition("web") == first.report_photo.web
    assert left() == before


# --- A past issue imported at once -------------------------------------------------


def test_a_past_issue_whose_second_picture_finds_the_disk_full(
    client, login, yunfu_publication, yunfu_editor, seed_text, settings
):
    # The first picture's three files fit, the second's second rendition does not.
    left = full_after(settings, 4)
    login(yunfu_editor)
    response = client.post(
        "/staff/issues/import/",
        {
            "publication": yunfu_publication.pk,
            "file": SimpleUploadedFile("seed.docx", _two_pictures(seed_text)),
            "year": 2023,
            "number": 3,
        },
    )
    # The preview reads the pictures and writes none.
    assert response.status_code == 200
    assert left() == []
    response = client.post(
        "/staff/issues/import/confirm/", {"token": response.context["token"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/issues/import/"
    assert _messages(response) == [f"没有导入：{IMPORT_FULL}"]
    assert not Issue.objects.exists()
    assert not ArticlePhoto.objects.exists()
    assert left() == []


def test_the_same_file_with_room_imports_both_pictures(
    yunfu_publication, yunfu_editor, seed_text, settings
):
    # The control: the file does hold two pictures, six renditions.
    left = full_after(settings, 6)
    issue_import(
        publication=yunfu_publication,
        source=_two_pictures(seed_text),
        filename="seed.docx",
        by=yunfu_editor,
        year=2023,
        number=3,
    )
    assert ArticlePhoto.objects.filter(is_missing=False).count() == 2
    assert len(left()) == 6


# --- A picture put where an imported issue only named one ---------------------------


def test_a_missing_picture_replaced_on_a_full_disk_stays_missing(
    client, login, yunfu_publication, yunfu_editor, seed_bytes, settings
):
    issue = issue_import(
        publication=yunfu_publication,
        source=seed_bytes,
        filename="seed.txt",
        by=yunfu_editor,
        year=2023,
        number=3,
    ).issue
    photo = ArticlePhoto.objects.get(article__issue=issue, is_missing=True)
    left = full_after(settings, 2)
    login(yunfu_editor)
    response = client.post(
        f"/staff/issues/photos/{photo.pk}/replace/",
        {"photo": SimpleUploadedFile("new.jpg", png(), content_type="image/png")},
    )
    assert response.status_code == 302
    assert _messages(response) == [f"图片没有换上：{PHOTO_FULL}"]
    photo.refresh_from_db()
    assert photo.is_missing and not photo.web
    assert left() == []


# --- An archive, in the background --------------------------------------------------


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_archive_stops_at_the_full_disk_and_keeps_the_issues_before(
    client, login, yunfu_publication, yunfu_editor, seed_text, settings
):
    archive = _zip(
        {
            "2023年第2期.docx": docx_from_text(seed_text, picture=png((200, 40, 40))),
            "2023年第5期.docx": docx_from_text(seed_text, picture=png((40, 200, 40))),
            "2023年第7期.txt": seed_text.encode(),
        }
    )
    # The first issue's picture fits; the second's second rendition does not.
    left = full_after(settings, 4)
    login(yunfu_editor)
    response = client.post(
        "/staff/issues/import/archive/",
        {
            "publication": yunfu_publication.pk,
            "file": SimpleUploadedFile("往期.zip", archive),
        },
    )
    job = job_of(response)
    assert job.kind == ARCHIVE_IMPORT
    files = job.result["files"]
    assert [f["status"] for f in files][1:] == ["failed", "failed"]
    assert files[0]["status"] in ("imported", "draft")
    # Said once, after the counts; the rows point to it.
    assert job.message.endswith(IMPORT_FULL) and job.message.count(IMPORT_FULL) == 1
    assert not any(IMPORT_FULL in f["detail"] for f in files)
    assert all("见上方说明" in f["detail"] for f in files[1:])
    # The issue imported before the disk filled stays, with its picture's files.
    (issue,) = Issue.objects.all()
    (photo,) = ArticlePhoto.objects.filter(article__issue=issue, is_missing=False)
    assert (issue.year, issue.number) == (2023, 2)
    assert sorted(left()) == sorted(
        [photo.thumb.name, photo.web.name, photo.print_image.name]
    )
    assert stored_job_files() == []


def test_an_archive_upload_on_a_full_disk_starts_no_job(
    client, login, yunfu_publication, yunfu_editor, seed_text, monkeypatch
):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(JobFileStorage, "_save", full)
    login(yunfu_editor)
    response = client.post(
        "/staff/issues/import/archive/",
        {
            "publication": yunfu_publication.pk,
            "file": SimpleUploadedFile(
                "往期.zip", _zip({"2023年第2期.txt": seed_text.encode()})
            ),
        },
        HTTP_REFERER="/staff/issues/import/archive/",
        follow=True,
    )
    assert response.status_code == 200
    assert "服务器存储空间已满" in response.content.decode()
    assert not Job.objects.exists()
    assert stored_job_files() == []
