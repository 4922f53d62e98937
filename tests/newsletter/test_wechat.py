"""The WeChat (公众号) export of a published issue and article: the zip's
contents (styles inline only, every picture a file of the zip, the public
renditions only), the preview's own Content-Security-Policy, the links from
the staff pages, and who may have it."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from newsletter import privacy, services
from newsletter.models import ArticlePhoto
from newsletter.views.wechat import PREVIEW_POLICY
from newsletter.wechat import inline_styles


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def open_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def read_web(photo: ArticlePhoto) -> bytes:
    file = photo.web_file
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()


def photo_article(issue):
    return issue.articles.filter(photos__isnull=False).distinct().get()


@pytest.fixture
def published(draft, personas):
    services.issue_publish(issue=draft, by=personas.editor)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def published_without_consent(draft, personas):
    """The issue published with its first photo showing people without
    consent (the gate's hit overridden, as an editor may): the public pages
    leave that photo out, and so must the export."""
    article = photo_article(draft)
    first = article.photos.order_by("position").first()
    first.shows_people, first.consent = True, False
    first.save()
    [hit] = privacy.issue_privacy_check(draft)
    services.privacy_override(
        article=article, hit=hit, reason="已核实，仅用于测试", by=personas.editor
    )
    services.issue_publish(issue=draft, by=personas.editor)
    draft.refresh_from_db()
    return draft, article


def assert_clean(html: str, names: set[str]) -> list[dict]:
    """No class, id, style sheet or script; every image a file of the zip.
    Returns the images' attributes."""
    doc = parse(html)
    for tag, attrs in doc.tags:
        assert tag not in {"script", "style", "link"}, tag
        assert "class" not in attrs and "id" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "<style" not in html and "<script" not in html and "class=" not in html
    images = [attrs for tag, attrs in doc.tags if tag == "img"]
    for attrs in images:
        assert attrs["src"] in names, attrs["src"]
        assert "width:100%" in attrs["style"]
    return images


def test_issue_zip_holds_the_styled_issue_and_its_pictures(published, login, personas):
    client = login(personas.editor)
    archive = open_zip(
        client.get(reverse("newsletter_staff:wechat_issue_zip", args=[published.pk]))
    )
    names = set(archive.namelist())
    assert names == {"issue.html", "说明.txt", "images/01.jpg", "images/02.jpg"}
    html = archive.read("issue.html").decode("utf-8")
    images = assert_clean(html, names)
    assert [attrs["src"] for attrs in images] == ["images/01.jpg", "images/02.jpg"]
    # The pictures are the web renditions of the article's photos, in order.
    photos = list(photo_article(published).photos.order_by("position"))
    assert [archive.read(f"images/0{n}.jpg") for n in (1, 2)] == [
        read_web(p) for p in photos
    ]
    # The masthead line, the contents and every article in order, by section.
    assert published.publication.name in html
    assert published.number_label in html
    assert "本 期 内 容" in html
    assert "——甲市民政局举办培训" in html  # a subtitle under its title
    text = "".join(parse(html).text)
    sections = list(published.sections.order_by("position", "pk"))
    last = -1
    for section in sections:
        # The heading's second appearance: the first is in the contents.
        heading = f"●{section.title}"
        at = text.index(heading, text.index(heading) + 1)
        assert at > last
        last = at
        for article in section.articles.order_by("position", "pk"):
            at = text.index(article.title, last)
            assert at > last
            last = at
    # Captions under their photos, centred and smaller.
    for photo in photos:
        assert re.search(
            r'<img [^>]*src="images/0\d\.jpg"[^>]*><p style="[^"]*text-align:center;'
            r'font-size:14px[^"]*">' + re.escape(photo.caption),
            html,
        )
    readme = archive.read("说明.txt").decode("utf-8-sig")
    assert "issue.html" in readme and "公众号" in readme and "images" in readme


def test_article_zip_has_indented_justified_paragraphs(published, login, personas):
    article = photo_article(published)
    client = login(personas.editor)
    archive = open_zip(
        client.get(reverse("newsletter_staff:wechat_article_zip", args=[article.pk]))
    )
    assert set(archive.namelist()) == {
        "article.html",
        "说明.txt",
        "images/01.jpg",
        "images/02.jpg",
    }
    html = archive.read("article.html").decode("utf-8")
    assert_clean(html, set(archive.namelist()))
    doc = parse(html)
    [title] = [attrs for tag, attrs in doc.tags if tag == "h1"]
    assert "text-align:center" in title["style"]
    assert "font-weight:bold" in title["style"]
    paragraphs = [
        attrs["style"]
        for tag, attrs in doc.tags
        if tag == "p" and "text-indent:2em" in attrs.get("style", "")
    ]
    assert paragraphs
    for style in paragraphs:
        assert "text-align:justify" in style
        assert "line-height:1.75" in style and "font-size:16px" in style
    assert article.title in "".join(doc.text)


def test_photo_without_consent_is_left_out(published_without_consent, login, personas):
    issue, article = published_without_consent
    hidden, shown = list(article.photos.order_by("position"))
    client = login(personas.editor)
    for url, html_name in (
        (
            reverse("newsletter_staff:wechat_article_zip", args=[article.pk]),
            "article.html",
        ),
        (reverse("newsletter_staff:wechat_issue_zip", args=[issue.pk]), "issue.html"),
    ):
        archive = open_zip(client.get(url))
        assert set(archive.namelist()) == {html_name, "说明.txt", "images/01.jpg"}
        assert archive.read("images/01.jpg") == read_web(shown)
        html = archive.read(html_name).decode("utf-8")
        assert_clean(html, set(archive.namelist()))
        assert hidden.caption not in html and shown.caption in html
    # Nor does the page to copy from carry it.
    page = client.get(reverse("newsletter_staff:wechat_article", args=[article.pk]))
    assert hidden.web_file.url not in page.content.decode()
    assert shown.web_file.url in page.content.decode()


def test_preview_is_served_with_its_own_policy(published, login, personas):
    client = login(personas.editor)
    response = client.get(
        reverse("newsletter_staff:wechat_issue_html", args=[published.pk])
    )
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == PREVIEW_POLICY
    assert "script-src" not in PREVIEW_POLICY and "default-src 'none'" in PREVIEW_POLICY
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    html = response.content.decode()
    assert "<script" not in html and "class=" not in html
    # The preview shows the pictures from the site itself.
    photo = photo_article(published).photos.order_by("position").first()
    assert f'src="{photo.web_file.url}"' in html


def test_page_keeps_the_site_policy_and_offers_copy_and_zip(
    published, login, personas, settings
):
    client = login(personas.editor)
    response = client.get(reverse("newsletter_staff:wechat_issue", args=[published.pk]))
    assert response.status_code == 200
    # The site's policy, with style attributes allowed for the copied HTML
    # only: no inline script, no style element.
    policy = response["Content-Security-Policy"]
    assert (
        policy == f"{settings.CONTENT_SECURITY_POLICY}; style-src-attr 'unsafe-inline'"
    )
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    body = response.content.decode()
    assert "复制到公众号" in body and "js/wechat_copy.js" in body
    assert "正文和 2 张图片" in body
    assert reverse("newsletter_staff:wechat_issue_zip", args=[published.pk]) in body
    assert 'sandbox="allow-same-origin"' in body
    assert 'id="wechat-html" type="application/json"' in body
    # Pasted elsewhere, a picture's address must be a whole one.
    assert "http://testserver/media/" in body


def test_links_on_the_staff_pages_only_when_published(draft, login, personas):
    client = login(personas.editor)
    article = photo_article(draft)
    issue_url = reverse("newsletter_staff:wechat_issue", args=[draft.pk])
    article_url = reverse("newsletter_staff:wechat_article", args=[article.pk])
    issue_page = reverse("newsletter_staff:issue", args=[draft.pk])
    article_page = reverse("newsletter_staff:article_edit", args=[article.pk])
    assert issue_url not in client.get(issue_page).content.decode()
    assert article_url not in client.get(article_page).content.decode()
    assert client.get(issue_url).status_code == 404
    assert client.get(article_url).status_code == 404
    services.issue_publish(issue=draft, by=personas.editor)
    assert issue_url in client.get(issue_page).content.decode()
    assert article_url in client.get(article_page).content.decode()


def _urls(issue, article):
    return [
        reverse(f"newsletter_staff:wechat_issue{suffix}", args=[issue.pk])
        for suffix in ("", "_html", "_zip")
    ] + [
        reverse(f"newsletter_staff:wechat_article{suffix}", args=[article.pk])
        for suffix in ("", "_html", "_zip")
    ]


@pytest.mark.parametrize(
    "who, status",
    [
        ("editor", 200),
        ("superuser", 200),
        ("other_editor", 404),
        ("reviewer", 404),
        ("supervisor", 404),
        ("head", 404),
        ("worker", 404),
        ("nobody", 404),
    ],
)
def test_only_the_publications_editors_get_it(published, personas, client, who, status):
    client.force_login(getattr(personas, who))
    for url in _urls(published, photo_article(published)):
        assert client.get(url).status_code == status, url


def test_anonymous_is_sent_to_sign_in(published, client):
    for url in _urls(published, photo_article(published)):
        response = client.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_inliner_keeps_styles_and_drops_everything_else():
    out = inline_styles(
        '<p class="paragraph" id="x" onclick="alert(1)">一<strong>二</strong>'
        '<a href="http://x">三</a><script>alert(2)</script><style>p{}</style></p>'
        '<img class="image" src="images/01.jpg" alt="图" srcset="a 1w">'
    )
    assert out == (
        '<p style="margin:0 0 12px;text-indent:2em;text-align:justify;font-size:16px;'
        'line-height:1.75;color:#222222">一<strong style="font-weight:bold">二</strong>'
        '三</p><img src="images/01.jpg" alt="图" style="display:block;width:100%;'
        'height:auto;margin:0 auto">'
    )
