"""Share previews (og:image and the Twitter card): an article's first photo as
a large card; without a photo the publication's emblem, else the site's
default image, as a small card; each with its size and text. The emblem is
served to the public while its publication is in use, and nothing else in its
folder is."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.templatetags.static import static
from PIL import Image

from newsletter.models import Publication
from newsletter.syndication import DEFAULT_IMAGE
from tests.newsletter.public.conftest import D, article_url, issue_url


def meta(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html)
    )


def png(size=(600, 315)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (183, 28, 28)).save(out, "PNG")
    return out.getvalue()


def with_emblem(publication, size=(600, 315)):
    # Saved as the admin saves it: the public pages are set again.
    publication.emblem.save("emblem.png", ContentFile(png(size)), save=True)
    return publication.emblem.name


def test_an_article_with_a_photo_shares_it_as_a_large_card(
    published, client, three_levels
):
    article = published.articles.get(source_report=three_levels["a1_early"])
    tags = meta(client.get(article_url(article)).content.decode())
    photo = article.photos.order_by("position", "pk").first()
    assert tags["og:image"] == f"http://testserver{photo.web_file.url}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("64", "48")
    assert tags["og:image:alt"] == photo.caption
    assert tags["twitter:card"] == "summary_large_image"
    # The image opens for the people the page is shared with.
    assert client.get(photo.web_file.url).status_code == 200


def test_without_a_photo_the_site_default_image(written, client):
    issue = written(D(2023, 4, 1), ["没有照片的文章"])
    default = f"http://testserver{static(DEFAULT_IMAGE)}"
    for url in ("/", issue_url(issue), article_url(issue.articles.get())):
        tags = meta(client.get(url).content.decode())
        assert tags["og:image"] == default, url
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:alt"] == "民政简报"
        assert tags["twitter:card"] == "summary", url
    # Dated by the issue, as in the feeds, not by when it was published.
    assert tags["article:published_time"] == "2023-04-01"


def test_the_default_image_is_1200_by_630(client):
    with Image.open(finders.find(DEFAULT_IMAGE)) as image:
        assert image.size == (1200, 630) and image.format == "PNG"


def test_share_image_addresses_use_the_configured_address(written, client, settings):
    settings.PUBLIC_BASE_URL = "https://jianbao.example.org"
    issue = written(D(2023, 4, 1), ["没有照片的文章"])
    for url in ("/", issue_url(issue)):
        tags = meta(client.get(url).content.decode())
        assert tags["og:image"].startswith("https://jianbao.example.org/"), url


def test_without_a_photo_the_publication_emblem(written, publication, client):
    issue = written(D(2023, 4, 1), ["没有照片的文章"])
    article = issue.articles.get()
    # Set before the emblem: saving it sets the pages again.
    assert (
        "share-default"
        in meta(client.get(article_url(article)).content.decode())["og:image"]
    )
    name = with_emblem(publication)
    for url in (issue_url(issue), article_url(article)):
        tags = meta(client.get(url).content.decode())
        assert tags["og:image"] == f"http://testserver/media/{name}", url
        assert (tags["og:image:width"], tags["og:image:height"]) == ("600", "315")
        assert tags["og:image:alt"] == "甲市民政简报"
        assert tags["twitter:card"] == "summary"
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_an_emblem_is_public_only_while_its_publication_is_in_use(
    written, publication, client
):
    issue = written(D(2023, 4, 1), ["没有照片的文章"])
    name = with_emblem(publication)
    assert client.get(f"/media/{name}").status_code == 200
    Publication.objects.filter(pk=publication.pk).update(is_active=False)
    assert client.get(f"/media/{name}").status_code == 404
    # Its pages, still public, then share the default image.
    publication.refresh_from_db()
    publication.save()
    tags = meta(client.get(issue_url(issue)).content.decode())
    assert "share-default" in tags["og:image"]


@pytest.mark.parametrize("name", ["stray.png", "sub/emblem.png"])
def test_no_other_file_under_the_emblem_folder_is_served(
    publication, client, settings, name
):
    with_emblem(publication)
    folder = settings.MEDIA_ROOT / "newsletter" / "emblems"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(png())
    assert client.get(f"/media/newsletter/emblems/{name}").status_code == 404
