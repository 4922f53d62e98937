"""Uploads: SVG is never a photo; media files are served
with their own content type, nosniff and a policy that runs nothing; and a
report photo is reachable by URL only for those who may see it until a
published issue carries it (portal/media.py)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from activities.models import ReportPhoto
from activities.services import report_photo_add
from newsletter import services as newsletter_services
from newsletter.rendering import body_clean
from tests.activities.photo_helpers import jpeg, media_files

SVG_FILES = {
    "plain.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "prolog.svg": b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    "disguised.jpg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "bom.png": b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "doctype.webp": b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>',
}


@pytest.mark.parametrize("name", sorted(SVG_FILES))
def test_svg_is_refused_as_a_photo(personas, draft, name, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        report_photo_add(
            report=draft,
            by=personas.worker,
            file=ContentFile(SVG_FILES[name], name=name),
        )
    assert refused.value.messages  # a message in Chinese for the worker
    assert not ReportPhoto.objects.exists()
    assert media_files(settings) == []


def test_svg_upload_through_the_page_stores_nothing(login, personas, draft, settings):
    client = login(personas.worker)
    response = client.post(
        reverse("activities_staff:photo_upload", args=[draft.pk]),
        {"photos": ContentFile(SVG_FILES["plain.svg"], name="x.svg")},
        follow=True,
    )
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert not ReportPhoto.objects.exists()
    assert media_files(settings) == []


def test_editor_html_goes_through_the_allowlist():
    dirty = (
        '<p onclick="x()">段落<script>alert(1)</script></p>'
        '<h3 style="color:red">标题</h3><a href="javascript:alert(1)">链接</a>'
        '<img src=x onerror=alert(1)><strong>粗</strong><iframe src="//x"></iframe>'
    )
    clean = body_clean(dirty)
    for bad in (
        "<script",
        "onclick",
        "style=",
        "javascript:",
        "<img",
        "<iframe",
        "<a ",
    ):
        assert bad not in clean
    assert "<strong>粗</strong>" in clean
    assert "段落" in clean and "标题" in clean


# --- Serving media -------------------------------------------------------------------


@pytest.fixture
def photo(personas, draft):
    return report_photo_add(
        report=draft,
        by=personas.worker,
        file=ContentFile(jpeg(), name="p.jpg"),
        caption="活动照片",
    )


def _url(field):
    return field.url


def _get(client, url):
    response = client.get(url)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return response, body


def test_media_urls_go_through_the_checking_view(photo):
    assert _url(photo.web).startswith("/media/reports/web/")
    from django.urls import resolve

    assert resolve(_url(photo.web)).func.__name__ == "serve_media"


def test_unpublished_report_photo_is_not_public(client, photo):
    for field in (photo.thumb, photo.web, photo.print_image):
        response = client.get(_url(field))
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker", 200),
        ("head", 200),
        ("reviewer", 200),
        ("supervisor", 200),
        ("editor", 200),
        ("other_worker", 404),
        ("other_reviewer", 404),
        ("other_editor", 404),
        ("nobody", 404),
        ("superuser", 200),
    ],
)
def test_unpublished_report_photo_by_role(login, personas, photo, persona, status):
    client = login(getattr(personas, persona))
    response, body = _get(client, _url(photo.web))
    assert response.status_code == status
    if status == 200:
        assert body[:3] == b"\xff\xd8\xff"


def test_served_photo_headers(login, personas, photo):
    response, body = _get(login(personas.worker), _url(photo.web))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")


def test_published_photo_is_public(client, approve, assemble, personas):
    report = approve("a1", "开展入户走访", photos=1)
    issue = assemble()
    newsletter_services.issue_publish(issue=issue, by=personas.editor)
    photo = report.photos.get()
    response, body = _get(client, _url(photo.web))
    assert response.status_code == 200
    assert body[:3] == b"\xff\xd8\xff"
    assert response["Cache-Control"].startswith("public")
    # The public article page shows exactly that file.
    article = issue.articles.get(source_report=report)
    page = client.get(article.get_absolute_url()).content.decode()
    assert _url(photo.web) in page or any(
        _url(p.web_file) in page for p in article.photos.all()
    )


def test_approved_but_unpublished_photo_stays_private(client, approve, assemble):
    report = approve("a1", "开展入户走访", photos=1)
    assemble()  # in a draft issue only
    photo = report.photos.get()
    assert client.get(_url(photo.web)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../portal/settings.py",
        "/media/%2e%2e/portal/settings.py",
        "/media/reports/web/../../../db.sqlite3",
        "/media/imports/tmp/x.bin",
        "/media/jobs/1/result.xlsx",
        "/media/reports/web/ab/doesnotexist.jpg",
        "/media/",
        "/media/.htaccess",
    ],
)
def test_anything_else_under_media_is_a_404(login, personas, path):
    for client in (Client(), login(personas.superuser)):
        assert client.get(path).status_code == 404


def test_stored_file_of_an_unknown_kind_is_an_attachment(settings, login, personas):
    from portal.media import CONTENT_TYPES

    assert set(CONTENT_TYPES.values()) == {"image/jpeg", "image/png", "image/webp"}


def test_accel_redirect_mode(settings, login, personas, photo):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = login(personas.worker).get(_url(photo.web))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + photo.web.name
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    # Outside scope, no header that would let nginx send the file.
    response = login(personas.other_worker).get(_url(photo.web))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
