"""The public search looks for news, not for people: a query shaped like a
mobile phone, an ID number or a landline with its area code is refused (and not
echoed back into the page), in any spelling; short numbers still search."""

import re
from urllib.parse import quote

import pytest

from newsletter import privacy, services
from tests.newsletter.privacy_helpers import ID_NUMBER, registered
from tests.newsletter.public.conftest import D


@pytest.fixture
def overridden(written, personas, net):
    """A published article that carries an ID number and a mobile an editor
    let through with a reason (the case the public search must not serve)."""
    registered(personas, net)
    issue = written(
        D(2023, 4, 1),
        ["服务热线公布"],
        body=f"身份证 {ID_NUMBER} 电话 13812345678，拨打 12345 热线。",
        publish=False,
    )
    article = issue.articles.get()
    for hit in privacy.issue_privacy_check(issue):
        services.privacy_override(
            article=article, hit=hit, reason="本人书面同意公开", by=personas.editor
        )
    services.issue_publish(issue=issue, by=personas.editor)
    return article


def _results(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    return html, re.findall(r'class="nl-card-title"', html)


@pytest.mark.parametrize(
    "query",
    [
        ID_NUMBER,
        f"{ID_NUMBER[:6]}　{ID_NUMBER[6:14]}－{ID_NUMBER[14:]}",
        ID_NUMBER.lower()[:-1] + "x" if ID_NUMBER.endswith("X") else ID_NUMBER,
        "13812345678",
        "138 1234 5678",
        "+86 138-1234-5678",
        "008613812345678",
        "一三八一二三四五六七八",
        "0766-8812345",
        "（0766）8812345",
        "热线 13812345678",
    ],
)
def test_a_personal_number_is_refused_and_not_echoed(overridden, client, query):
    html, cards = _results(client, query)
    assert cards == []
    error = re.search(r'<span class="errorlist" role="alert">([^<]*)</span>', html)
    assert "不能用手机号、身份证号或带区号的电话号码查找" in error.group(1)
    # Not in the search box, the title or the language links.
    page = html.split("<main", 1)[-1]
    digits = re.sub(r"\D", "", query)
    if digits:
        assert digits[-8:] not in re.sub(r"\D", "", page)
    else:
        assert query not in page and quote(query) not in page


@pytest.mark.parametrize("query", ["12345", "12345 热线", "服务热线"])
def test_short_numbers_and_words_still_search(overridden, client, query):
    html, cards = _results(client, query)
    assert len(cards) == 1 and 'class="errorlist"' not in html


def test_the_search_box_tells_the_browser_to_keep_long_numbers_back(client, db):
    html = client.get("/search/").content.decode()
    pattern = re.search(r'pattern="([^"]+)"', html).group(1)
    import html as html_module

    compiled = re.compile(html_module.unescape(pattern))
    assert compiled.fullmatch("12345 热线")
    assert compiled.fullmatch("2023年 禁毒")
    for refused in ("13812345678", "138 1234 5678", "4453-0220-1506"):
        assert not compiled.fullmatch(refused), refused
