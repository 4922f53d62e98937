"""The search: one-, two- and three-character Chinese queries, several words,
the county and year filters, highlighting, bad input, and nothing unpublished.
It runs on SQLite and on PostgreSQL (the character-pairs index there)."""

import re

import pytest

from newsletter import services
from newsletter.models import Article
from tests.newsletter.public.conftest import D


@pytest.fixture
def corpus(written, net):
    """Three published issues and a draft, each article about a county:
    2023-04 甲一区, 2024-05 甲二县, 2024-06 甲一区; the draft 2024-07."""
    return {
        "a": written(
            D(2023, 4, 1),
            ["关爱儿童成长"],
            unit=net.county_a1,
            body="社工走访困境儿童家庭。",
        ),
        "b": written(
            D(2024, 5, 1),
            ["禁毒宣传进校园"],
            unit=net.county_a2,
            body="开展禁毒知识讲座，儿童踊跃参加，APP 上报名。",
        ),
        "c": written(
            D(2024, 6, 1),
            ["六月活动"],
            unit=net.county_a1,
            body="走进儿童乐园，守护一颗童心。",
        ),
        "draft": written(
            D(2024, 7, 1),
            ["草稿里的儿童活动"],
            unit=net.county_a1,
            body="草稿正文：儿童禁毒。",
            publish=False,
        ),
    }


def found(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(
        r'<h3 class="nl-card-title"><a href="[^"]+">(.*?)</a>', html
    ), html


def plain_titles(titles):
    return [re.sub(r"</?mark>", "", t) for t in titles]


def test_one_character_finds_title_and_body_newest_first(corpus, client):
    titles, html = found(client, q="童")
    assert plain_titles(titles) == ["六月活动", "禁毒宣传进校园", "关爱儿童成长"]
    assert "找到 3 篇文章" in html


def test_two_characters_find_the_word(corpus, client):
    titles, _ = found(client, q="儿童")
    assert plain_titles(titles) == ["六月活动", "禁毒宣传进校园", "关爱儿童成长"]
    titles, _ = found(client, q="禁毒")
    assert plain_titles(titles) == ["禁毒宣传进校园"]


def test_three_characters_must_stand_together(corpus, client):
    titles, _ = found(client, q="儿童成")
    assert plain_titles(titles) == ["关爱儿童成长"]
    # 六月活动 has both pairs of 儿童心 (儿童, 童心), but not the three together.
    titles, html = found(client, q="儿童心")
    assert titles == [] and "找到 0 篇文章" in html
    titles, _ = found(client, q="进校园")
    assert plain_titles(titles) == ["禁毒宣传进校园"]


def test_several_words_must_all_be_there(corpus, client):
    titles, _ = found(client, q="儿童  禁毒")
    assert plain_titles(titles) == ["禁毒宣传进校园"]
    titles, _ = found(client, q="儿童　童心")  # an ideographic space
    assert plain_titles(titles) == ["六月活动"]


def test_latin_letters_ignore_case(corpus, client):
    titles, _ = found(client, q="app")
    assert plain_titles(titles) == ["禁毒宣传进校园"]


def test_county_and_year_filters(corpus, client, net):
    titles, _ = found(client, q="儿童", county=net.county_a1.code)
    assert plain_titles(titles) == ["六月活动", "关爱儿童成长"]
    titles, _ = found(client, q="儿童", year="2024")
    assert plain_titles(titles) == ["六月活动", "禁毒宣传进校园"]
    titles, _ = found(client, q="儿童", year="2024", county=net.county_a2.code)
    assert plain_titles(titles) == ["禁毒宣传进校园"]


def test_the_hit_is_highlighted_in_title_and_excerpt(corpus, client):
    titles, html = found(client, q="儿童")
    assert titles[-1] == "关爱<mark>儿童</mark>成长"
    assert "社工走访困境<mark>儿童</mark>家庭。" in html


def test_markup_in_an_article_is_shown_escaped(written, client):
    written(
        D(2023, 4, 1),
        ['<img src=x onerror="alert(1)">儿童节'],
        body="<p>正文&lt;b&gt;儿童&lt;/b&gt;</p>",
    )
    titles, html = found(client, q="儿童")
    assert titles == [
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<mark>儿童</mark>节"
    ]
    assert "<img src=x" not in html
    assert "正文&lt;b&gt;<mark>儿童</mark>&lt;/b&gt;" in html


def test_nothing_unpublished_is_found(corpus, client):
    titles, _ = found(client, q="草稿")
    assert titles == []
    titles, _ = found(client, q="儿童")
    assert "草稿里的儿童活动" not in plain_titles(titles)


def test_a_correction_changes_what_is_found(corpus, client, personas):
    article = corpus["a"].articles.get()
    services.article_update(
        article=article,
        by=personas.editor,
        title="关爱少年成长",
        body="社工走访困境家庭。",
        correction_reason="更正错别字",
    )
    assert "关爱" in plain_titles(found(client, q="少年")[0])[0]
    assert "关爱少年成长" not in plain_titles(found(client, q="儿童")[0])
    # The search columns follow every save, whatever fields it names.
    article.refresh_from_db()
    assert "少" in article.search_grams and "童" not in article.search_grams


def test_results_are_paginated_and_the_query_kept(written, client):
    written(D(2023, 4, 1), [f"儿童活动{n}" for n in range(21)])
    _, html = found(client, q="儿童")
    assert html.count('class="nl-card"') == 20 and "找到 21 篇文章" in html
    assert 'href="?q=%E5%84%BF%E7%AB%A5&amp;page=2"' in html
    titles, _ = found(client, q="儿童", page="2")
    assert len(titles) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "儿" * 51}, "搜索词太长：最多 50 个字。"),
        ({"q": "，。！"}, "只有标点符号无法查找"),
        ({"q": "儿童", "county": "999999"}, "没有这个县（市、区）的文章"),
        ({"q": "儿童", "year": "abc"}, "这一年没有简报"),
        ({"q": "儿童", "year": "1999"}, "这一年没有简报"),
    ],
)
def test_bad_input_gets_a_message_not_an_error(corpus, client, params, message):
    titles, html = found(client, **params)
    assert titles == [] and message in html


def test_an_empty_search_shows_the_form(corpus, client):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200 and 'name="q"' in html and "找到" not in html
    assert f'<option value="{corpus["a"].articles.get().county.code}">' in html
    assert '<option value="2024">' in html and '<option value="2023">' in html


def test_search_columns_of_an_article(written):
    issue = written(
        D(2023, 4, 1), ["标题Ab"], body="第一段，儿童。\n[照片1]\n二、小标题"
    )
    article = Article.objects.get(issue=issue)
    assert article.search_text == "第一段，儿童。\n二、小标题"
    grams = article.search_grams.replace("'", "").split()
    for gram in ("标", "标题", "ab", "儿童", "童", "小标"):
        assert gram in grams
    assert "，" not in grams and "段，" not in grams and "照片" not in grams
