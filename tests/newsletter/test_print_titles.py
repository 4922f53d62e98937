"""An article's title in the print view (newsletter/templatetags/
newsletter_print.py): a title longer than a line of the paper carries the
paper's lines for the sheet and the plain title for a narrow screen; a short
one is left as it is; both are escaped."""

from __future__ import annotations

import re

from django.template import Context, Template

from newsletter.templatetags.newsletter_print import (
    PAPER_SUBTITLE_WIDTH,
    paper_subtitle,
)
from newsletter.typesetting import PAPER_TITLE_WIDTH, title_lines

LONG = "云安民政织牢织密保护网，为未成年人健康成长保驾护航"


def _render(title: str) -> str:
    return Template("{% load newsletter_print %}{{ title|paper_title }}").render(
        Context({"title": title})
    )


def test_a_long_title_carries_the_papers_lines_and_the_plain_title():
    html = _render(LONG)
    screen = re.search(r'<span class="nl-title-screen">(.*?)</span>', html)
    paper = re.search(r'<span class="nl-title-paper">(.*?)</span>', html)
    assert screen and screen.group(1) == LONG
    lines = paper.group(1).split("<br>")
    assert lines == title_lines(LONG, PAPER_TITLE_WIDTH)
    assert len(lines) == 2 and all(len(line) > 2 for line in lines)
    assert "".join(lines) == LONG


def test_a_title_that_fits_a_line_is_left_alone():
    assert _render("云城区民政局组织开展社工站会议") == "云城区民政局组织开展社工站会议"


def test_the_title_is_escaped_in_both_forms():
    title = "<b>社工站</b>开展“暖心护苗 呵护成长”关爱农村困境儿童和留守儿童活动"
    html = _render(title)
    assert "<b>" not in html
    assert html.count("&lt;b&gt;") == 2
    assert _render("<i>短</i>") == "&lt;i&gt;短&lt;/i&gt;"


def test_a_subtitle_is_broken_after_its_dash_at_its_own_size():
    subtitle = "云浮市民政局顺利举办全市2022年度“双百工程”系列培训"
    html = str(paper_subtitle(subtitle))
    paper = re.search(r'<span class="nl-title-paper">(.*?)</span>', html).group(1)
    lines = paper.split("<br>")
    assert lines == title_lines(f"——{subtitle}", PAPER_SUBTITLE_WIDTH)
    # Not …系列培 / 训: the last line is a phrase, not a character left over.
    assert lines[-1].endswith("系列培训") and len(lines[-1]) > 2
    assert paper_subtitle("") == ""
