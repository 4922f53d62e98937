"""Nothing unpublished is reachable: drafts, returned
reports, beneficiary files and staff names give the public a 404 or nothing,
through the pages, the search, the feeds and the sitemap alike."""

import pytest

from tests.newsletter.privacy_helpers import file_beneficiary
from tests.newsletter.public.conftest import D, issue_url

PUBLIC_LISTS = ["/", "/issues/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"]


@pytest.fixture
def hidden(published, written, make_report, personas, net):
    """A draft issue, a returned report and a beneficiary file, all in city A."""
    draft = written(
        D(2023, 5, 1),
        ["草稿中的秘密文章"],
        unit=net.a1,
        body="草稿正文。",
        publish=False,
    )
    returned = make_report(
        personas.worker,
        net.a1,
        status="returned",
        reviewer=personas.reviewer,
        title="被退回的报告标题",
        body="被退回报告的正文。",
    )
    beneficiary = file_beneficiary(personas.worker, net.a1, "欧阳小明")
    return {"draft": draft, "returned": returned, "beneficiary": beneficiary}


def test_a_draft_has_no_public_address(hidden, published, client):
    draft = hidden["draft"]
    article = draft.articles.get()
    # A draft has no number yet: the next number of its year names nothing.
    for url in (
        "/issues/jia/2023/2/",
        "/issues/jia/2023/2/print/",
        "/issues/jia/2023/2/word/",
        f"/issues/jia/2023/2/{article.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    # Its article is not reachable through a published issue's address either.
    assert client.get(f"{issue_url(published)}{article.pk}/").status_code == 404


def test_a_draft_preview_needs_a_login(hidden, client):
    draft = hidden["draft"]
    for url in (
        f"/staff/issues/{draft.pk}/preview/",
        f"/staff/issues/{draft.pk}/print/",
        f"/staff/issues/{draft.pk}/word/",
    ):
        response = client.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_drafts_and_returned_reports_are_in_no_list_search_feed_or_sitemap(
    hidden, client
):
    for url in PUBLIC_LISTS:
        content = client.get(url).content.decode()
        assert "草稿中的秘密文章" not in content, url
        assert "被退回的报告" not in content, url
    for query in ("秘密", "草稿正文", "被退回", "退回报告的正文"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "找到 0 篇文章" in html, query


def test_county_and_station_news_show_published_articles_only(hidden, client, net):
    for url in (f"/news/county/{net.county_a1.code}/", f"/news/station/{net.a1.pk}/"):
        html = client.get(url).content.decode()
        assert "草稿中的秘密文章" not in html and "被退回的报告" not in html
        assert "开展禁毒宣传" in html


def test_beneficiary_data_is_on_no_public_page(hidden, client):
    name = hidden["beneficiary"].name
    assert "找到 0 篇文章" in client.get("/search/", {"q": name}).content.decode()
    assert "找到 0 篇文章" in client.get("/search/", {"q": "欧阳"}).content.decode()
    for url in PUBLIC_LISTS:
        assert name not in client.get(url).content.decode()
    for url in (
        f"/staff/beneficiaries/{hidden['beneficiary'].pk}/",
        "/staff/beneficiaries/",
    ):
        response = client.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_staff_names_are_on_no_public_page(published, client, net, personas):
    urls = [
        *PUBLIC_LISTS,
        issue_url(published),
        *(f"{issue_url(published)}{a.pk}/" for a in published.articles.all()),
        f"/news/county/{net.county_a1.code}/",
        f"/news/station/{net.a1.pk}/",
        "/search/?q=开展",
    ]
    names = [
        net.worker_a1.real_name,
        net.worker_a2.real_name,
        *(u.username for u in vars(personas).values()),
    ]
    for url in urls:
        content = client.get(url).content.decode()
        for name in names:
            assert name not in content, (url, name)
