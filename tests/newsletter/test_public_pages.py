"""The public issue, article and print pages, and the Word download; the staff
preview renders the same template as the public page."""

import pytest

from newsletter import services


@pytest.fixture
def published(draft, personas):
    services.issue_publish(issue=draft, by=personas.editor)
    return draft


def _base(issue):
    return f"/issues/jia/{issue.year}/{issue.number}/"


def test_issue_page_has_masthead_contents_and_every_article(published, client):
    response = client.get(_base(published))
    html = response.content.decode()
    # The blocks of newsletter/issue.html, set once (newsletter/cooking.py), in
    # the site's frame.
    names = [t.name for t in response.templates]
    assert "newsletter/set_page.html" in names
    assert "newsletter/_issue_content.html" in names
    assert (
        "甲市民政简报" in html and "第1期（总第1期）" in html and "甲市民政局编" in html
    )
    assert "本期内容" in html
    for article in published.articles.all():
        assert f'href="{_base(published)}{article.pk}/"' in html
        assert article.title in html
    assert "——甲市民政局举办培训" in html
    assert (
        f'href="{_base(published)}print/"' in html
        and f'href="{_base(published)}word/"' in html
    )


def test_article_page_links_its_station_and_shares_well(
    published, client, net, three_levels
):
    article = published.articles.get(source_report=three_levels["a1_early"])
    html = client.get(f"{_base(published)}{article.pk}/").content.decode()
    assert f'href="/stations/{net.a1.pk}/"' in html and "甲一区东镇社工站" in html
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert 'property="og:description" content="为加强对下一代的关心' in html
    assert 'property="og:image"' in html
    assert html.count("<figure") == 2 and 'width="64" height="48"' in html
    county_article = published.articles.get(source_report=three_levels["county_a1"])
    html = client.get(f"{_base(published)}{county_article.pk}/").content.decode()
    assert f'href="/stations/#county-{net.county_a1.pk}"' in html


def test_preview_is_the_public_template(draft, login, personas):
    response = login(personas.editor).get(f"/staff/issues/{draft.pk}/preview/")
    assert "newsletter/issue.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "这是草稿的预览" in html and 'name="robots" content="noindex"' in html
    article = draft.articles.first()
    assert f'href="/staff/issues/{draft.pk}/preview/{article.pk}/"' in html


def test_print_view_is_an_a4_page(published, client):
    response = client.get(f"{_base(published)}print/")
    html = response.content.decode()
    assert 'class="nl-paper"' in html and "css/newsletter-print.css" in html
    assert "本期内容" in html and "第1期（总第1期）" in html


def test_word_download(published, client):
    response = client.get(f"{_base(published)}word/")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
