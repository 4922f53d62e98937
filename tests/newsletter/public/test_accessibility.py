"""Accessibility and phones on the public pages: the language, the viewport, a
skip link to the main content, one h1 and no skipped heading level, a text
alternative on every image, a label on every field, and the styles for narrow
screens and for print."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.newsletter.public.conftest import D, issue_url

CSS = Path(__file__).resolve().parents[3] / "static" / "css"


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.images, self.fields, self.labels = [], [], [], set()
        self.ids, self.skip_link = set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(attrs)
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            self.fields.append(attrs)
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif tag == "a" and attrs.get("class") == "skip-link":
            self.skip_link = attrs.get("href") == "#main"


@pytest.fixture
def pages(published, written, net):
    written(D(2023, 4, 1), ["东镇四月文章"], unit=net.a1)
    article = published.articles.filter(photos__isnull=False).distinct().get()
    return [
        "/",
        "/issues/",
        "/issues/jia/",
        "/issues/jia/2023/",
        issue_url(published),
        f"{issue_url(published)}{article.pk}/",
        f"{issue_url(published)}print/",
        f"/news/county/{net.county_a1.code}/",
        f"/news/station/{net.a1.pk}/",
        "/search/?q=开展",
    ]


def test_public_pages_are_structured_for_every_reader(pages, client):
    for url in pages:
        html = client.get(url).content.decode()
        assert '<html lang="zh-CN">' in html, url
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
        outline = Outline()
        outline.feed(html)
        assert outline.skip_link and "main" in outline.ids, url
        assert outline.headings.count(1) == 1, (url, outline.headings)
        assert outline.headings[0] == 1, url
        for before, after in zip(outline.headings, outline.headings[1:], strict=False):
            assert after <= before + 1, (url, outline.headings)
        for image in outline.images:
            assert "alt" in image, (url, image)
        for field in outline.fields:
            assert field.get("id") in outline.labels, (url, field)


def test_article_images_describe_themselves(pages, client):
    html = client.get(pages[5]).content.decode()
    outline = Outline()
    outline.feed(html)
    assert outline.images and all(image["alt"] for image in outline.images)


def test_styles_for_phones_print_and_chinese_type():
    site = (CSS / "site.css").read_text(encoding="utf-8")
    newsletter = (CSS / "newsletter.css").read_text(encoding="utf-8")
    assert '"PingFang SC"' in site and '"Noto Sans CJK SC"' in site
    assert "@media (max-width: 30rem)" in newsletter  # 360 px phones
    assert "@media print" in newsletter and "@media print" in site
    assert "overflow-wrap: anywhere" in newsletter  # long Latin words in lists
