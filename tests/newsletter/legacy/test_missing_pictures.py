"""A picture a past issue's file names but does not hold (the seed's
``[image: image2.png]`` in the 富林镇 article): readers see a quiet note where it
stood (public pages, print view, Word file); an editor sees it marked in the
preview and on the article's edit page, and replaces it with an upload or
removes it. Nobody else may."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from core.models import AuditEntry
from newsletter import selectors
from newsletter.models import Article, ArticlePhoto, Issue
from newsletter.public_cache import version as current_version
from newsletter.rendering import article_blocks, html_blocks
from newsletter.services.legacy import issue_import
from newsletter.word_export import build_docx
from stations import services as station_services
from stations.models import Role
from tests import factories
from tests.newsletter.legacy.helpers import replace

NOTE = "〔原文此处有图片，未能导入〕"
QUIET = f'<p class="nl-missing-photo">{NOTE}</p>'
# The last words of the paragraph the seed's picture follows.
BEFORE = "努力让每一个孩子都能健康、快乐成长。"


def _import(publication, data: bytes, by=None):
    return issue_import(
        publication=publication,
        source=data,
        filename="seed.txt",
        by=by,
        year=2023,
        number=3,
    ).issue


@pytest.fixture
def imported(publication, seed_bytes, yunfu_editor):
    issue = _import(publication, seed_bytes, by=yunfu_editor)
    fulin = Article.objects.get(issue=issue, title__startswith="云安区富林镇")
    return issue, fulin, fulin.photos.get()


@pytest.fixture
def others(yunfu):
    """A reviewer of 云安区 (the 富林镇 article's county), a worker of the 富林镇
    station, and the editor of another city."""
    reviewer = factories.UserFactory(username="yunan_reviewer")
    station_services.role_assign(
        user=reviewer, role=Role.COUNTY_REVIEWER, unit=yunfu.county("云安区")
    )
    worker = factories.UserFactory(username="fulin_worker")
    station_services.role_assign(
        user=worker, role=Role.SOCIAL_WORKER, unit=yunfu.station("云安区", "富林镇")
    )
    other_city = factories.CityFactory(name="乙市", code="441200")
    other_editor = factories.UserFactory(username="other_editor")
    station_services.role_assign(
        user=other_editor, role=Role.CITY_EDITOR, unit=other_city
    )
    return {"reviewer": reviewer, "worker": worker, "other_editor": other_editor}


def jpeg_with_gps(size=(200, 150)) -> bytes:
    image = Image.new("RGB", size, (30, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (23.0, 1.0, 2.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload(data: bytes, name="new.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _public_urls(issue, article):
    base = f"/issues/yunfu/{issue.year}/{issue.number}/"
    return [base, f"{base}{article.pk}/", f"{base}print/"]


# --- What readers see -------------------------------------------------------------


def test_readers_see_a_quiet_note_where_the_picture_stood(client, imported):
    issue, fulin, _photo = imported
    for url in _public_urls(issue, fulin):
        html = client.get(url).content.decode()
        assert html.count(QUIET) == 1, url
        # In its place: right after the paragraph it followed in the paper,
        # not run on into the text and not a broken image.
        between = html[html.index(BEFORE) : html.index(QUIET)]
        assert "<p" not in between.removeprefix(BEFORE), url
        assert "image2.png" not in html, url
        assert "nl-missing-photo-edit" not in html and "换上图片" not in html, url


def test_the_note_is_small_grey_text():
    for name, size in (
        ("newsletter.css", "font-size: .85rem"),
        ("newsletter-print.css", "font-size: 10pt"),
    ):
        text = Path(finders.find(f"css/{name}")).read_text()
        rule = re.search(r"p\.nl-missing-photo \{([^}]*)\}", text)
        assert rule and size in rule.group(1), name
        assert "text-indent: 0" in rule.group(1) and "color:" in rule.group(1)


def test_the_word_file_has_the_note_after_the_paragraph(imported):
    issue, _fulin, _photo = imported
    doc = Document(io.BytesIO(build_docx(issue, selectors.issue_contents(issue))))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index(NOTE)
    assert texts[at - 1].endswith(BEFORE)
    run = doc.paragraphs[at].runs[0]
    assert str(run.font.color.rgb) == "808080" and run.font.size.pt == 10.5
    # And no picture was added for it.
    assert not doc.inline_shapes


def test_the_editor_sees_it_marked_in_the_preview(imported, login, yunfu_editor):
    issue, fulin, photo = imported
    client = login(yunfu_editor)
    edit = f"/staff/issues/articles/{fulin.pk}/#missing-photo-{photo.pk}"
    for url in (
        f"/staff/issues/{issue.pk}/preview/",
        f"/staff/issues/{issue.pk}/preview/{fulin.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "原文有 1 处图片未能导入" in html, url
        assert 'class="nl-missing-photo-edit"' in html and edit in html, url
        assert QUIET not in html, url
    # The print view stays as the paper will be.
    html = client.get(f"/staff/issues/{issue.pk}/print/").content.decode()
    assert QUIET in html and "nl-missing-photo-edit" not in html


def test_the_staff_issue_page_counts_and_points_to_it(imported, login, yunfu_editor):
    issue, fulin, _photo = imported
    html = login(yunfu_editor).get(f"/staff/issues/{issue.pk}/").content.decode()
    assert "原文有 1 处图片未能导入" in html
    assert f"/staff/issues/articles/{fulin.pk}/#missing-photos" in html
    assert html.count("1 处图片未能导入</a>") == 1


def test_the_article_editor_offers_replace_and_remove(imported, login, yunfu_editor):
    _issue, fulin, photo = imported
    html = login(yunfu_editor).get(f"/staff/issues/articles/{fulin.pk}/")
    html = html.content.decode()
    assert 'id="missing-photos"' in html
    assert "照片1：原文此处有图片，未能导入" in html
    # The text around it, so the editor knows which picture of the paper.
    assert "快乐成长。”" in html and "image2.png" in html
    assert f'action="/staff/issues/photos/{photo.pk}/replace/"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'action="/staff/issues/photos/{photo.pk}/remove/"' in html


def test_an_article_without_missing_pictures_has_no_such_section(
    imported, login, yunfu_editor
):
    issue, _fulin, _photo = imported
    other = Article.objects.filter(issue=issue).exclude(photos__isnull=False).first()
    html = login(yunfu_editor).get(f"/staff/issues/articles/{other.pk}/")
    assert 'id="missing-photos"' not in html.content.decode()


# --- Replace ------------------------------------------------------------------------


def test_the_editor_replaces_it_and_every_page_shows_the_picture(
    imported, client, login, yunfu_editor
):
    issue, fulin, photo = imported
    body = fulin.body
    # A reader's visit keeps the pages (page cache, set pages).
    for url in _public_urls(issue, fulin):
        assert QUIET in client.get(url).content.decode()
    version, revision = current_version(), issue.revision
    editor = login(yunfu_editor)
    response = editor.post(
        f"/staff/issues/photos/{photo.pk}/replace/",
        {"photo": _upload(jpeg_with_gps()), "caption": "孩子们收到助学款"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/staff/issues/articles/{fulin.pk}/#missing-photos"
    )
    photo.refresh_from_db()
    fulin.refresh_from_db()
    issue.refresh_from_db()
    assert not photo.is_missing and photo.has_picture
    assert (photo.position, photo.caption, photo.width, photo.height) == (
        1,
        "孩子们收到助学款",
        200,
        150,
    )
    assert fulin.body == body  # same number, same place
    for name in ("thumb", "web", "print_image"):
        with getattr(photo, name).open("rb") as handle:
            stored = Image.open(io.BytesIO(handle.read()))
            assert stored.format == "JPEG" and not stored.getexif()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE)
    assert (entry.user, entry.target_id) == (yunfu_editor, str(fulin.pk))
    assert "照片1" in entry.detail
    assert current_version() != version and issue.revision == revision + 1
    client.logout()
    for url in _public_urls(issue, fulin):
        html = client.get(url).content.decode()
        assert NOTE not in html, url
        assert photo.web.url in html or photo.print_image.url in html, url
    doc = Document(io.BytesIO(build_docx(issue, selectors.issue_contents(issue))))
    assert NOTE not in [p.text for p in doc.paragraphs] and len(doc.inline_shapes) == 1


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (b"%PDF-1.4 not a picture", {}, "图片没有换上"),
        (None, {}, "请选择一张图片"),
        (jpeg_with_gps(), {"shows_people": "on"}, "已取得本人或监护人同意"),
    ],
    ids=["not-an-image", "no-file", "people-without-consent"],
)
def test_a_bad_replacement_changes_nothing(
    imported, login, yunfu_editor, data, fields, message
):
    _issue, fulin, photo = imported
    post = dict(fields)
    if data is not None:
        post["photo"] = _upload(data)
    response = login(yunfu_editor).post(
        f"/staff/issues/photos/{photo.pk}/replace/", post, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    photo.refresh_from_db()
    assert photo.is_missing and not photo.has_picture
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


def test_a_caption_with_a_beneficiary_name_is_refused(
    imported, login, yunfu, yunfu_editor, others
):
    from tests.newsletter.privacy_helpers import file_beneficiary

    file_beneficiary(others["worker"], yunfu.station("云安区", "富林镇"), "曾小明")
    _issue, _fulin, photo = imported
    response = login(yunfu_editor).post(
        f"/staff/issues/photos/{photo.pk}/replace/",
        {"photo": _upload(jpeg_with_gps()), "caption": "曾小明领取助学款"},
        follow=True,
    )
    html = response.content.decode()
    assert "图片说明中有个人信息" in html and "曾小明" not in html
    photo.refresh_from_db()
    assert photo.is_missing


# --- Remove ---------------------------------------------------------------------------


def test_the_editor_removes_it_and_the_text_closes_up(
    imported, client, login, yunfu_editor
):
    issue, fulin, photo = imported
    paragraphs = [b for b in article_blocks(fulin) if not b.is_photo]
    for url in _public_urls(issue, fulin):
        client.get(url)
    version = current_version()
    response = login(yunfu_editor).post(f"/staff/issues/photos/{photo.pk}/remove/")
    assert response.status_code == 302
    fulin.refresh_from_db()
    assert not ArticlePhoto.objects.filter(pk=photo.pk).exists()
    assert "[照片" not in fulin.body
    assert [b.text for b in article_blocks(fulin)] == [b.text for b in paragraphs]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE)
    assert (entry.user, entry.target_id) == (yunfu_editor, str(fulin.pk))
    assert current_version() != version
    client.logout()
    for url in _public_urls(issue, fulin):
        html = client.get(url).content.decode()
        assert NOTE not in html, url
        assert BEFORE in html, url


def test_removing_one_moves_the_later_pictures_up(publication, seed_text):
    # Two markers in the 富林镇 article: removing the first makes the second
    # photo 1, its line with it.
    text = replace(
        seed_text,
        "送去温暖。",
        "送去温暖。\n[image: image1.png]",
    )
    issue = _import(publication, text.encode())
    fulin = Article.objects.get(issue=issue, title__startswith="云安区富林镇")
    first, second = fulin.photos.order_by("position")
    assert (first.caption, second.caption) == ("image1.png", "image2.png")
    from newsletter.services import missing_photo_remove

    superuser = factories.UserFactory(username="root", is_superuser=True)
    missing_photo_remove(photo=first, by=superuser)
    fulin.refresh_from_db()
    (left,) = fulin.photos.all()
    assert (left.pk, left.position) == (second.pk, 1)
    assert [inner for _tag, inner in html_blocks(fulin.body)][-1] == "[照片1]"
    blocks = article_blocks(fulin)
    assert blocks[-1].is_photo and blocks[-1].photo == left
    assert blocks[0].text.endswith("送去温暖。") and not blocks[1].is_photo


def test_a_second_click_says_it_is_already_done(imported, login, yunfu_editor):
    _issue, _fulin, photo = imported
    client = login(yunfu_editor)
    client.post(f"/staff/issues/photos/{photo.pk}/remove/")
    response = client.post(f"/staff/issues/photos/{photo.pk}/remove/", follow=True)
    # The photo is gone: the address is no longer one of the editor's photos.
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).count() == 1


def test_a_photo_that_was_never_missing_cannot_be_replaced_or_removed(
    publication, seed_text, login, yunfu_editor
):
    from tests.newsletter.legacy.helpers import docx_from_text, png

    issue = issue_import(
        publication=publication,
        source=docx_from_text(seed_text, picture=png()),
        filename="seed.docx",
        by=yunfu_editor,
        year=2023,
        number=3,
    ).issue
    photo = ArticlePhoto.objects.get(article__issue=issue)
    assert not photo.is_missing
    client = login(yunfu_editor)
    for action in ("remove", "replace"):
        data = {"photo": _upload(jpeg_with_gps())} if action == "replace" else {}
        response = client.post(
            f"/staff/issues/photos/{photo.pk}/{action}/", data, follow=True
        )
        assert "这处图片已经替换或删除" in response.content.decode()
    photo.refresh_from_db()
    assert photo.has_picture and photo.position == 1


# --- Who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "worker", "other_editor"])
def test_others_get_404_and_nothing_changes(imported, login, others, who):
    issue, fulin, photo = imported
    client = login(others[who])
    for action, data in (
        ("replace", {"photo": _upload(jpeg_with_gps())}),
        ("remove", {}),
    ):
        response = client.post(f"/staff/issues/photos/{photo.pk}/{action}/", data)
        assert response.status_code == 404, (who, action)
    photo.refresh_from_db()
    fulin.refresh_from_db()
    assert photo.is_missing and "[照片1]" in fulin.body
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


def test_a_county_reviewer_of_a_held_back_draft_reads_but_cannot_change(
    publication, seed_text, yunfu, yunfu_editor, others, login
):
    from tests.newsletter.privacy_helpers import file_beneficiary

    file_beneficiary(others["worker"], yunfu.station("云安区", "富林镇"), "曾同学")
    issue = _import(publication, seed_text.encode(), by=yunfu_editor)
    assert issue.status == Issue.Status.DRAFT  # held back by the gate
    fulin = Article.objects.get(issue=issue, title__startswith="云安区富林镇")
    photo = fulin.photos.get()
    client = login(others["reviewer"])
    # The reviewer reads the draft's 云安区 article: the preview shows the
    # readers' note, without the editor's tools.
    html = client.get(f"/staff/issues/{issue.pk}/preview/{fulin.pk}/").content.decode()
    assert QUIET in html and "nl-missing-photo-edit" not in html
    html = client.get(f"/staff/issues/articles/{fulin.pk}/").content.decode()
    assert 'id="missing-photos"' not in html
    for action in ("replace", "remove"):
        response = client.post(f"/staff/issues/photos/{photo.pk}/{action}/")
        assert response.status_code == 404
    photo.refresh_from_db()
    assert photo.is_missing


def test_anonymous_is_sent_to_log_in(imported, client):
    _issue, _fulin, photo = imported
    for action in ("replace", "remove"):
        response = client.post(f"/staff/issues/photos/{photo.pk}/{action}/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    photo.refresh_from_db()
    assert photo.is_missing


def test_a_get_is_not_an_action(imported, login, yunfu_editor):
    _issue, _fulin, photo = imported
    client = login(yunfu_editor)
    for action in ("replace", "remove"):
        assert (
            client.get(f"/staff/issues/photos/{photo.pk}/{action}/").status_code == 405
        )
    photo.refresh_from_db()
    assert photo.is_missing


# --- Query counts -----------------------------------------------------------------------


def test_the_edit_page_of_an_article_with_a_missing_picture_takes_no_more_queries(
    imported, login, yunfu_editor, django_assert_num_queries
):
    issue, fulin, _photo = imported
    plain_article = Article.objects.filter(issue=issue, photos__isnull=True).first()
    client = login(yunfu_editor)
    # 7 = the session, the user and the role assignments (the scope) + the
    # article with its issue, publication, section, report and units + its
    # photos + the county and station choices. The missing picture's row and
    # the text around it come from what is already read: no query of its own.
    for article in (plain_article, fulin):
        with django_assert_num_queries(7):
            response = client.get(f"/staff/issues/articles/{article.pk}/")
        assert response.status_code == 200
