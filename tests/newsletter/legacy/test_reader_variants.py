"""Variants of the seed written here: the same issue as a Word file, titles broken
differently, each section heading style, no table of contents, contents
without body headings, other encodings, a masthead, page numbers."""

import datetime

import pytest

from newsletter.legacy.reader import read_issue
from newsletter.legacy.structure import Block, Pairing
from tests.newsletter.legacy.helpers import (
    SEED_ARTICLES,
    body_start,
    docx_from_text,
    png,
    replace,
    titles,
    without_toc,
)

SECTIONS = ["市级动态", "县（市、区）动态", "社工站（点）动态"]


def read(text: str, encoding="utf-8", filename="issue.txt"):
    return read_issue(text.encode(encoding), filename)


def expected_titles(sections=None):
    """SEED_ARTICLES with the section titles the variant uses."""
    rename = dict(zip(SECTIONS, sections or SECTIONS, strict=True))
    return [(rename[s], t, sub) for s, t, sub in SEED_ARTICLES]


@pytest.mark.parametrize("centre_titles", [True, False], ids=["centred", "plain"])
def test_the_seed_as_a_word_file_with_a_real_picture(seed_text, centre_titles):
    picture = png()
    issue = read_issue(
        docx_from_text(seed_text, centre_titles=centre_titles, picture=picture)
    )
    assert issue.format == "docx"
    assert titles(issue) == expected_titles()
    fulin = issue.articles[5]
    assert [b.kind for b in fulin.blocks][-2:] == [Block.PARAGRAPH, Block.IMAGE]
    paragraph, image = fulin.blocks[-2].text, fulin.blocks[-1].image
    assert "一颗颗小树苗，更是希望在他们心中播下爱的种子" in paragraph
    assert image.data == picture and not image.is_missing
    assert paragraph[: image.offset].endswith("小树苗")
    assert issue.articles[2].subheadings == [
        "一、广泛宣传强意识",
        "二、入户走访助成长",
        "三、循循善诱暖童心",
    ]
    assert [a.pairing for a in issue.articles].count(Pairing.LOOSE) == 2


def test_a_word_file_without_contents_relies_on_centred_titles(seed_text):
    issue = read_issue(docx_from_text(without_toc(seed_text)))
    assert titles(issue) == expected_titles()
    assert issue.toc == [] and all(a.pairing == Pairing.NONE for a in issue.articles)


def test_titles_broken_differently(seed_text):
    text = seed_text
    # The city title over two lines without a blank, its subtitle on one line.
    text = replace(
        text,
        "建立健全社会工作常态化培训学习机制\n\n——云浮市民政局顺利举办全市\n\n2022年度",
        "建立健全社会工作\n常态化培训学习机制\n——云浮市民政局顺利举办全市2022年度",
    )
    # Whole on one line.
    text = replace(
        text,
        "云安民政织牢织密保护网，为未成年人\n\n健康成长保驾护航",
        "云安民政织牢织密保护网，为未成年人健康成长保驾护航",
    )
    # Three lines with blank lines between.
    text = replace(
        text,
        "罗定市泗纶镇社工站开展\n\n“珍爱生命",
        "罗定市泗纶镇\n\n社工站开展\n\n“珍爱生命",
    )
    # Broken at another place, without a blank line.
    text = replace(
        text,
        "郁南县河口镇社工站开展防止返贫三类和\n\n重残对象入户走访工作",
        "郁南县河口镇社工站开展\n防止返贫三类和重残对象入户走访工作",
    )
    for issue in (read(text), read(without_toc(text))):
        assert titles(issue) == expected_titles()


@pytest.mark.parametrize(
    "style",
    ["●{}", "【{}】", "numbered", "■ {}", "{}"],
    ids=["bullet", "brackets", "numbered", "square", "plain"],
)
def test_each_section_heading_style(seed_text, style):
    def restyled(text):
        for n, name in enumerate(SECTIONS):
            new = (
                f"{'一二三'[n]}、{name}" if style == "numbered" else style.format(name)
            )
            text = text.replace(f"●{name}", new)
        return text

    for issue in (read(restyled(seed_text)), read(restyled(without_toc(seed_text)))):
        assert titles(issue) == expected_titles()
        assert [s.kind for s in issue.sections] == ["city", "county", "station"]


def test_county_short_headings_in_brackets(seed_text):
    text = seed_text.replace("●县（市、区）动态", "【县区动态】").replace(
        "●社工站（点）动态", "【镇街动态】"
    )
    issue = read(text)
    assert titles(issue) == expected_titles(["市级动态", "县区动态", "镇街动态"])
    assert [s.kind for s in issue.sections] == ["city", "county", "station"]


def test_no_table_of_contents_sections_come_from_the_body(seed_text):
    issue = read(without_toc(seed_text))
    assert issue.toc == []
    assert titles(issue) == expected_titles()
    assert all(a.pairing == Pairing.NONE and a.toc_title == "" for a in issue.articles)
    assert not any(w for a in issue.articles for w in a.warnings)


def test_contents_without_headings_in_the_body(seed_text):
    start = body_start(seed_text)
    body = "\n".join(
        line for line in seed_text[start:].splitlines() if not line.startswith("●")
    )
    issue = read(seed_text[:start] + body)
    assert titles(issue) == expected_titles()


@pytest.mark.parametrize("heading", ["本期要目", "目  录", "本期内容："])
def test_other_contents_headings(seed_text, heading):
    issue = read(replace(seed_text, " 本 期 内 容", heading))
    assert len(issue.toc) == 3 and titles(issue) == expected_titles()


def test_contents_lines_broken_in_two_and_with_page_numbers(seed_text):
    toc, body = seed_text[: body_start(seed_text)], seed_text[body_start(seed_text) :]
    toc = replace(
        toc,
        "郁南县河口镇社工站开展防止返贫三类和重残对象入户走访工作",
        "郁南县河口镇社工站开展防止返贫三类和\n重残对象入户走访工作",
    )
    toc = replace(
        toc,
        "云城区民政局组织开展2023年“双百工程”社工站副站长会议",
        "1.云城区民政局组织开展2023年“双百工程”社工站副站长会议……………3",
    )
    issue = read(toc + body)
    assert titles(issue) == expected_titles()
    assert issue.warnings == []
    assert sum(len(s.entries) for s in issue.toc) == 10
    assert [a.pairing for a in issue.articles].count(Pairing.EXACT) == 8


def test_an_article_missing_from_the_contents_and_a_contents_line_without_article(
    seed_text,
):
    text = replace(
        seed_text,
        "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动\n",
        "罗定市泗纶镇社工站召开年度工作总结会\n",
        1,
    )
    issue = read(text)
    assert titles(issue) == expected_titles()
    silun = issue.articles[7]
    assert silun.pairing == Pairing.NONE and "这篇文章不在目录中。" in silun.warnings
    assert issue.warnings == [
        "目录中的“罗定市泗纶镇社工站召开年度工作总结会”在正文中没有找到对应的文章。"
    ]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings(seed_text, encoding):
    issue = read(seed_text.replace("\n", "\r\n"), encoding=encoding)
    assert titles(issue) == expected_titles()


def test_masthead_gives_year_number_running_number_and_date(seed_text):
    head = (
        "云浮民政简报\n\n2023年第3期（总第45期）\n\n"
        "云浮市民政局编印            2023年3月10日\n━━━━━━━━━━━━━━━━\n"
    )
    issue = read(head + seed_text)
    masthead = issue.masthead
    assert (masthead.year, masthead.number, masthead.running_number) == (2023, 3, 45)
    assert masthead.issue_date == datetime.date(2023, 3, 10)
    assert titles(issue) == expected_titles()


def test_year_and_number_from_the_file_name(seed_text):
    issue = read(seed_text, filename="云浮民政简报2022年第十二期.txt")
    assert (issue.masthead.year, issue.masthead.number) == (2022, 12)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十五", 35),
        ("十十", None),
    ],
)
def test_issue_numbers_in_chinese(text, expected):
    from newsletter.legacy.masthead import cn_number

    assert cn_number(text) == expected
