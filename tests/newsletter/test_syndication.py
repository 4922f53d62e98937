"""Summaries and dates of public content outside its pages
(newsletter/syndication.py): a summary ends at a sentence or with "…", never
inside a Latin word or a number; an issue is dated by its printed date."""

import datetime
import re
import zoneinfo

import pytest

from newsletter.syndication import (
    ELLIPSIS,
    issue_moment,
    last_change,
    summarize,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HAN = "为进一步做好困难群众基本生活保障工作"  # 18 characters, no sentence end


def test_a_text_that_fits_is_kept_whole_on_one_line():
    assert summarize("第一段。\n第二段  还有", 120) == "第一段。 第二段 还有"
    assert summarize("", 120) == "" and summarize(None, 120) == ""


def test_a_long_text_ends_at_its_last_sentence_within_the_limit():
    first = HAN * 3 + "。"  # 55 characters
    second = HAN * 2 + "！"  # 37: 92 in all
    text = first + second + HAN * 5 + "。"
    assert summarize(text, 120) == first + second


def test_a_closing_quote_stays_with_its_sentence():
    text = "社工说：“" + HAN * 3 + "。”" + HAN * 6
    assert summarize(text, 120) == "社工说：“" + HAN * 3 + "。”"


def test_a_short_opening_sentence_alone_is_not_the_summary():
    text = "近日。" + HAN * 10
    result = summarize(text, 120)
    assert result.endswith(ELLIPSIS) and len(result) == 120


def test_chinese_is_cut_between_characters_with_an_ellipsis():
    text = HAN * 10
    result = summarize(text, 120)
    assert result == text[:119] + ELLIPSIS


@pytest.mark.parametrize(
    "word", ["Guangdong", "2026", "3.5", "1,200", "2026-12-07", "50%", "WiFi"]
)
def test_a_latin_word_or_number_is_never_cut(word):
    # The word starts a few characters before the cut and runs past it.
    text = HAN * 6 + "，" + HAN[:8] + word + HAN * 3
    start = text.index(word)
    assert start < 119 < start + len(word)
    result = summarize(text, 120)
    assert result.endswith(ELLIPSIS) and len(result) <= 120
    body = result[: -len(ELLIPSIS)]
    assert body == text[:start] and word not in result


def test_no_comma_or_opening_bracket_before_the_ellipsis():
    text = HAN * 6 + "，（" + HAN * 6
    # The cut falls just after "，（": both go, the ellipsis follows the text.
    assert summarize(text, len(HAN) * 6 + 3) == HAN * 6 + ELLIPSIS


def test_every_summary_of_a_long_mixed_text_ends_well():
    """Whatever the limit, the summary ends at a sentence or with "…", and the
    text before "…" never ends inside a Latin run of the original."""
    text = (
        "2026年12月7日，云城区安塘街道社工站联合Guangdong Social Work "
        "Association开展“护苗2026”行动，服务儿童1,200人次。活动中，社工"
        "为3.5岁至12岁的孩子讲解安全知识！家长们纷纷表示WiFi环境下的"
        "网络安全同样重要？" + HAN * 4
    )
    for limit in range(20, len(text)):
        result = summarize(text, limit)
        assert len(result) <= limit and text.startswith(result.rstrip(ELLIPSIS))
        assert re.search(r"[。！？]”?$", result) or result.endswith(ELLIPSIS), limit
        if result.endswith(ELLIPSIS):
            end = len(result) - len(ELLIPSIS)
            before, after = text[end - 1], text[end]
            assert not ((before + after).isascii() and (before + after).isalnum()), (
                limit,
                result,
            )


def test_an_issue_is_dated_by_its_printed_date_in_the_morning_in_shanghai():
    moment = issue_moment(datetime.date(2021, 3, 1))
    assert moment.astimezone(SHANGHAI).date() == datetime.date(2021, 3, 1)
    assert moment.astimezone(SHANGHAI).hour == 9
    # The same day in UTC too.
    assert moment.astimezone(datetime.UTC).date() == datetime.date(2021, 3, 1)


def test_a_later_correction_is_the_last_change():
    day = datetime.date(2021, 3, 1)
    assert last_change(day, None) == issue_moment(day)
    later = datetime.datetime(2026, 12, 7, 10, 30, tzinfo=datetime.UTC)
    assert last_change(day, later) == later
