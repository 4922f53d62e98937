"""Who may open which newsletter page. Editors of the city (and superusers) use
every staff page; a county reviewer reads a draft that holds an article about the
county, never changes it; everyone else gets a 404 (anonymous visitors are sent
to log in). Public pages show published issues only."""

import pytest

from newsletter import services
from newsletter.models import Issue
from tests.newsletter.conftest import D


@pytest.fixture
def a1_only(approve, assemble):
    """A draft whose articles are all about county A1."""
    approve("a1", "开展入户走访", D(2023, 2, 10), photos=1)
    approve("county_a1", "组织培训", D(2023, 2, 12))
    return assemble()


def _get_urls(issue):
    article = issue.articles.first()
    section = issue.sections.first()
    return (
        [
            f"/staff/issues/{issue.pk}/",
            f"/staff/issues/{issue.pk}/preview/",
            f"/staff/issues/{issue.pk}/preview/{article.pk}/",
            f"/staff/issues/{issue.pk}/privacy/",
            f"/staff/issues/{issue.pk}/print/",
            f"/staff/issues/{issue.pk}/word/",
            f"/staff/issues/articles/{article.pk}/",
        ],
        article,
        section,
    )


def _write_posts(issue, article, section):
    return [
        ("/staff/issues/new/", {"publication": issue.publication_id}),
        (
            "/staff/issues/assemble/",
            {
                "publication": issue.publication_id,
                "start": "2023-02-01",
                "end": "2023-02-28",
            },
        ),
        (f"/staff/issues/{issue.pk}/meta/", {"editor_note": "x"}),
        (f"/staff/issues/{issue.pk}/add/", {}),
        (
            f"/staff/issues/{issue.pk}/articles/new/",
            {"title": "x", "section": section.pk},
        ),
        (f"/staff/issues/{issue.pk}/sections/new/", {"title": "新栏目"}),
        (f"/staff/issues/{issue.pk}/privacy/override/", {"article": article.pk}),
        (f"/staff/issues/{issue.pk}/publish/", {}),
        (f"/staff/issues/sections/{section.pk}/rename/", {"title": "改"}),
        (f"/staff/issues/sections/{section.pk}/move/", {"position": "2"}),
        (f"/staff/issues/sections/{section.pk}/delete/", {}),
        (f"/staff/issues/articles/{article.pk}/", {"title": "改"}),
        (f"/staff/issues/articles/{article.pk}/move/", {"position": "2"}),
        (f"/staff/issues/articles/{article.pk}/delete/", {}),
    ]


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_editor_opens_every_staff_page(a1_only, login, personas, who):
    client = login(getattr(personas, who))
    urls, _article, _section = _get_urls(a1_only)
    urls += [
        "/staff/issues/",
        "/staff/issues/assemble/",
        f"/staff/issues/{a1_only.pk}/add/",
    ]
    urls += [
        f"/staff/issues/{a1_only.pk}/articles/new/",
        f"/staff/issues/{a1_only.pk}/publish/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_county_reviewer_reads_drafts_about_the_county(a1_only, login, personas):
    client = login(personas.reviewer)
    urls, article, section = _get_urls(a1_only)
    for url in urls:
        assert client.get(url).status_code == 200, url
    html = client.get(f"/staff/issues/{a1_only.pk}/").content.decode()
    assert "/move/" not in html and "/delete/" not in html and "发布…" not in html
    assert "您可以查看这一期，但不能修改。" in html
    assert "<form" not in client.get(
        f"/staff/issues/articles/{article.pk}/"
    ).content.decode().split("<main")[1].split("</main>")[0].replace(
        'class="inline-form"', ""
    )
    listing = client.get("/staff/issues/").content.decode()
    assert f"/staff/issues/{a1_only.pk}/" in listing
    for url, data in _write_posts(a1_only, article, section):
        assert client.post(url, data).status_code == 404, url
    assert client.get("/staff/issues/assemble/").status_code == 404
    a1_only.refresh_from_db()
    assert a1_only.status == Issue.Status.DRAFT
    assert Issue.objects.count() == 1


def test_reviewer_of_another_county_gets_404(a1_only, login, personas):
    client = login(personas.other_reviewer)
    urls, article, section = _get_urls(a1_only)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        f"/staff/issues/{a1_only.pk}/"
        not in client.get("/staff/issues/").content.decode()
    )


def test_reviewer_does_not_see_published_issues_on_staff_pages(
    a1_only, login, personas
):
    services.issue_publish(issue=a1_only, by=personas.editor)
    assert (
        login(personas.reviewer).get(f"/staff/issues/{a1_only.pk}/").status_code == 404
    )


def test_editor_of_another_city_sees_only_own_issues(a1_only, login, personas):
    client = login(personas.other_editor)
    urls, article, section = _get_urls(a1_only)
    listing = client.get("/staff/issues/").content.decode()
    assert f"/staff/issues/{a1_only.pk}/" not in listing
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = _write_posts(a1_only, article, section)
    # City A's publication is not among theirs: the forms refuse it.
    for url, data in posts[:2]:
        assert client.post(url, data).status_code in (200, 302), url
    for url, data in posts[2:]:
        assert client.post(url, data).status_code == 404, url
    assert Issue.objects.count() == 1
    # Their own city has no publication: the assemble page says so.
    assert "还没有简报" in client.get("/staff/issues/assemble/").content.decode()


@pytest.mark.parametrize(
    "who", ["worker", "head", "other_worker", "supervisor", "nobody"]
)
def test_everyone_else_gets_404(a1_only, login, personas, who):
    client = login(getattr(personas, who))
    urls, article, section = _get_urls(a1_only)
    urls += ["/staff/issues/", "/staff/issues/assemble/"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url, data in _write_posts(a1_only, article, section):
        assert client.post(url, data).status_code == 404, url
    assert Issue.objects.get().articles.count() == 2


def test_anonymous_is_sent_to_log_in(a1_only, client):
    urls, _article, _section = _get_urls(a1_only)
    for url in urls + ["/staff/issues/"]:
        response = client.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_public_pages_show_published_issues_only(a1_only, client, personas):
    article = a1_only.articles.first()
    year = D.today().year
    base = f"/issues/jia/{year}/1/"
    for url in (base, f"{base}print/", f"{base}word/", f"{base}{article.pk}/"):
        assert client.get(url).status_code == 404, url
    services.issue_publish(issue=a1_only, by=personas.editor)
    for url in (base, f"{base}print/", f"{base}word/", f"{base}{article.pk}/"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/issues/jia/{year}/2/").status_code == 404
    assert client.get(f"/issues/yi/{year}/1/").status_code == 404
    # An article of another issue is not found under this one.
    assert client.get(f"{base}{article.pk + 1000}/").status_code == 404
