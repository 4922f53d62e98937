"""The search page's and the home page's markup: the results heading is a plain
heading in the page's order, the count is announced by a live region of its
own, the search button is the one that keeps 搜索 on one line, and the home
page does not show the site's name again above the box."""

import re
from html.parser import HTMLParser

from tests.newsletter.public.conftest import D


class Tags(HTMLParser):
    """Headings (level, attributes, text) and live regions (attributes, text)."""

    def __init__(self):
        super().__init__()
        self.headings, self.live = [], []
        self._open = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append([int(tag[1]), attrs, ""])
            self._open.append((tag, self.headings[-1]))
        elif attrs.get("role") == "status":
            self.live.append([tag, attrs, ""])
            self._open.append((tag, self.live[-1]))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        for _tag, item in self._open:
            item[2] += data


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def main_of(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_the_results_heading_is_plain_and_the_count_is_a_live_region(written, client):
    written(D(2023, 4, 1), ["关爱儿童成长", "儿童节活动"])
    html = main_of(client.get("/search/", {"q": "儿童"}).content.decode())
    tags = parse(html)
    assert [(level, text.strip()) for level, _, text in tags.headings[:2]] == [
        (1, "搜索简报文章"),
        (2, "搜索结果"),
    ]
    assert all("role" not in attrs for _, attrs, _ in tags.headings)
    levels = [level for level, _, _ in tags.headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    (region,) = tags.live
    tag, attrs, text = region
    assert tag == "p" and attrs.get("aria-live") == "polite"
    assert text.strip() == "找到 2 篇文章"
    # The region comes after the heading it belongs to, inside its section.
    assert html.index('id="results-title"') < html.index('role="status"')


def test_no_result_is_announced_too(written, client):
    written(D(2023, 4, 1), ["关爱儿童成长"])
    tags = parse(main_of(client.get("/search/", {"q": "禁毒"}).content.decode()))
    assert [text.strip() for _, _, text in tags.live] == ["找到 0 篇文章"]


def test_without_a_query_there_is_no_results_heading_or_region(client, net):
    tags = parse(main_of(client.get("/search/").content.decode()))
    assert [level for level, _, _ in tags.headings] == [1]
    assert tags.live == []


def test_the_home_page_does_not_repeat_the_sites_name(published, client):
    html = main_of(client.get("/").content.decode())
    tags = parse(html)
    first = tags.headings[0]
    # One h1, for screen readers and the outline only.
    assert first[0] == 1 and "visually-hidden" in first[1].get("class", "")
    assert [level for level, _, _ in tags.headings].count(1) == 1
    assert "nl-home-title" not in html
    box = html[html.index('class="nl-search-box"') :]
    assert 'class="button nl-search-button"' in box[: box.index("</form>")]
