"""The footer a Chinese government site carries, set per publication: 主办单位,
ICP 备案号 linked to the national record system, 公安机关备案号 linked to its
record, 政府网站标识码 and 联系方式. Each publication's pages carry its own;
pages of no publication the first active one's; staff pages none. A change in
the admin shows at once on cached and set pages."""

import re

import pytest
from django.test import Client

from newsletter import services
from newsletter.models import IssuePage
from tests.newsletter.public.conftest import D, article_url, issue_url

JIA = {
    "sponsor": "甲市民政局办公室",
    "icp_record": "粤ICP备11111111号",
    "police_record": "粤公网安备44110002000001号",
    "site_code": "4411000001",
    "contact": "电话 0000-1111111",
}
YI = {
    "sponsor": "",  # the bureau stands in
    "icp_record": "粤ICP备22222222号-1",
    "police_record": "粤公网安备 44120002000002 号",
    "site_code": "4412000002",
    "contact": "电话 0000-2222222",
}


def _set(publication, values):
    for field, value in values.items():
        setattr(publication, field, value)
    publication.save()


def footer_of(html: str) -> str:
    match = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert match, "no footer"
    return match.group(1)


def links_of(footer: str) -> dict[str, str]:
    """{link text: href} of the footer's links to the record systems."""
    return {
        text: href
        for href, text in re.findall(
            r'<a href="([^"]+)" rel="noopener"[^>]*>([^<]+)</a>', footer
        )
    }


@pytest.fixture
def two_publications(publication, other_publication, written, personas, net):
    """甲 (city A, first in the home page's order) and 乙 (city B), each with a
    published issue and its footer set."""
    _set(publication, JIA)
    _set(other_publication, YI)
    jia_issue = written(D(2023, 4, 1), ["甲市四月文章"])
    editor = personas.other_editor
    yi_issue = services.issue_create(publication=other_publication, by=editor)
    services.issue_update(
        issue=yi_issue, by=editor, editor_note="", issue_date=D(2023, 5, 1)
    )
    section = yi_issue.sections.get(kind="city")
    services.article_create(
        issue=yi_issue, section=section, by=editor, title="乙市五月文章", body="正文。"
    )
    services.issue_publish(issue=yi_issue, by=editor)
    yi_issue.refresh_from_db()
    return jia_issue, yi_issue


def test_each_publications_pages_carry_its_own_footer(two_publications, client):
    jia_issue, yi_issue = two_publications
    for issue, values, sponsor in (
        (jia_issue, JIA, "甲市民政局办公室"),
        (yi_issue, YI, "乙市民政局"),
    ):
        slug = issue.publication.slug
        pages = [
            issue_url(issue),
            article_url(issue.articles.get()),
            f"/issues/{slug}/",
            f"/issues/{slug}/{issue.year}/",
        ]
        for url in pages:
            footer = footer_of(client.get(url).content.decode())
            assert f"主办单位：{sponsor}" in footer, url
            assert f"联系方式：{values['contact']}" in footer, url
            assert f"政府网站标识码：{values['site_code']}" in footer, url
            other = YI if values is JIA else JIA
            assert other["icp_record"] not in footer, url
            links = links_of(footer)
            assert links[values["icp_record"]] == "https://beian.miit.gov.cn/", url
            digits = re.sub(r"\D", "", values["police_record"])
            assert links[values["police_record"]] == (
                f"https://beian.mps.gov.cn/#/query/webSearch?code={digits}"
            ), url


def test_pages_of_no_publication_carry_the_first_active_ones(
    two_publications, client, net
):
    for url in ("/", "/issues/", "/search/", "/search/?q=文章", "/stations/"):
        footer = footer_of(client.get(url).content.decode())
        assert "主办单位：甲市民政局办公室" in footer, url
        assert JIA["icp_record"] in footer and YI["icp_record"] not in footer, url
    # Set aside, 甲 gives way to 乙 on those pages; its own pages keep its footer.
    jia_issue, _ = two_publications
    jia_issue.publication.is_active = False
    jia_issue.publication.save()
    footer = footer_of(client.get("/").content.decode())
    assert "主办单位：乙市民政局" in footer
    assert JIA["icp_record"] in footer_of(
        client.get(issue_url(jia_issue)).content.decode()
    )


def test_a_publication_without_records_shows_its_sponsor_only(published, client):
    footer = footer_of(client.get(issue_url(published)).content.decode())
    assert f"主办单位：{published.publication.bureau}" in footer
    assert "beian" not in footer and "标识码" not in footer and "联系方式" not in footer


def test_staff_pages_carry_no_publication_footer(two_publications, personas):
    editor = Client()
    editor.force_login(personas.editor)
    footer = footer_of(editor.get("/staff/").content.decode())
    assert "主办单位" not in footer and JIA["icp_record"] not in footer
    # A signed-in reader of a public page gets its footer all the same.
    jia_issue, _ = two_publications
    assert JIA["icp_record"] in footer_of(
        editor.get(issue_url(jia_issue)).content.decode()
    )


def test_a_change_in_the_admin_shows_at_once_on_cached_and_set_pages(
    two_publications, client, admin_client
):
    jia_issue, _ = two_publications
    publication = jia_issue.publication
    urls = [issue_url(jia_issue), article_url(jia_issue.articles.get()), "/"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Public-Cache"] == "hit", url
    assert IssuePage.objects.filter(issue=jia_issue).exists()
    change = f"/admin/newsletter/publication/{publication.pk}/change/"
    page = admin_client.get(change).content.decode()
    assert "页脚" in page and "分享" in page and 'name="icp_record"' in page
    response = admin_client.post(
        change,
        {
            "name": publication.name,
            "slug": publication.slug,
            "city": publication.city_id,
            "bureau": publication.bureau,
            "masthead": publication.masthead,
            "first_running_number": publication.first_running_number,
            "is_active": "on",
            **JIA,
            "contact": "电话 0000-3333333",
            "icp_record": "粤ICP备33333333号",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for url in urls:
        response = client.get(url)
        assert response["X-Public-Cache"] == "miss", url
        footer = footer_of(response.content.decode())
        assert "联系方式：电话 0000-3333333" in footer, url
        assert "粤ICP备33333333号" in footer and JIA["icp_record"] not in footer, url
    # The issue's page was set again, by the same templates and code: the
    # footer is put in per page, not kept in the set page.
    page = IssuePage.objects.get(issue=jia_issue)
    assert "0000-3333333" not in page.content + page.meta
