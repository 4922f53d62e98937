"""The seed issue read as it is: 10 articles in three sections, titles as in the
body, the 富林镇 picture in place with its sentence whole, the 云安 subheadings."""

import datetime

import pytest

from newsletter.legacy.reader import read_issue
from newsletter.legacy.structure import Block, Pairing
from tests.newsletter.legacy.helpers import SEED_ARTICLES, titles


@pytest.fixture
def issue(seed_bytes):
    return read_issue(seed_bytes, "000_d4f9679c76b9e6b1.txt")


def article(issue, start):
    (found,) = [a for a in issue.articles if a.title.startswith(start)]
    return found


def test_seed_gives_ten_articles_in_the_three_sections(issue):
    assert [(s.title, s.kind, len(s.articles)) for s in issue.sections] == [
        ("市级动态", "city", 1),
        ("县（市、区）动态", "county", 3),
        ("社工站（点）动态", "station", 6),
    ]
    assert len(issue.articles) == 10


def test_each_title_is_the_body_title_with_the_city_subtitle(issue):
    assert titles(issue) == SEED_ARTICLES


def test_table_of_contents_is_read_by_section(issue):
    assert [(s.title, s.kind, len(s.entries)) for s in issue.toc] == [
        ("市级动态", "city", 1),
        ("县（市、区）动态", "county", 3),
        ("社工站（点）动态", "station", 6),
    ]
    assert issue.toc[0].entries[0].title == (
        "建立健全社会工作常态化培训学习机制——云浮市民政局顺利举办全市2022年度“双百工程”系列培训"
    )


def test_contents_pair_exactly_except_two_loose_pairs_that_are_reported(issue):
    loose = [a for a in issue.articles if a.pairing == Pairing.LOOSE]
    assert [a.title[:6] for a in loose] == ["新兴县民政局", "郁南县平台镇"]
    assert all(0.9 < a.similarity < 1 for a in loose)
    assert loose[0].toc_title.endswith("社工站（点）建设督导工作机制")
    assert "青年群体" in loose[1].toc_title and "青少年群体" in loose[1].title
    for a in loose:
        assert any("不完全一致" in w and a.toc_title in w for w in a.warnings)
    exact = [a for a in issue.articles if a.pairing == Pairing.EXACT]
    assert len(exact) == 8 and all(a.similarity == 1.0 for a in exact)
    assert issue.warnings == []


def test_fulin_picture_stays_in_place_and_its_sentence_whole(issue):
    fulin = article(issue, "云安区富林镇")
    kinds = [b.kind for b in fulin.blocks]
    assert kinds == [Block.PARAGRAPH] * 5 + [Block.IMAGE]
    last = fulin.blocks[4].text
    assert last.startswith(
        "开展这一护苗行动不仅用爱浇灌一颗颗小树苗，更是希望在他们心中"
    )
    assert "[image" not in last and last.endswith(
        "努力让每一个孩子都能健康、快乐成长。"
    )
    image = fulin.blocks[5].image
    assert (image.name, image.is_missing, image.number) == ("image2.png", True, 1)
    # The picture stood after "小树苗" in its paragraph.
    assert last[: image.offset].endswith("小树苗")
    assert not any(p.startswith("，") for a in issue.articles for p in a.paragraphs)


def test_yunan_keeps_its_three_numbered_subheadings(issue):
    yunan = article(issue, "云安民政")
    assert yunan.subheadings == [
        "一、广泛宣传强意识",
        "二、入户走访助成长",
        "三、循循善诱暖童心",
    ]
    kinds = [b.kind for b in yunan.blocks]
    assert kinds == [
        Block.PARAGRAPH,
        Block.SUBHEADING,
        Block.PARAGRAPH,
        Block.SUBHEADING,
        Block.PARAGRAPH,
        Block.SUBHEADING,
        Block.PARAGRAPH,
        Block.PARAGRAPH,
    ]


def test_quoted_subheadings_and_short_sentences(issue):
    liuzu = article(issue, "新兴县六祖镇")
    assert liuzu.subheadings == [
        "“义剪”——用剪刀剪去长者们的忧愁",
        "“义影”——用照片记录长者们的岁月痕迹",
    ]
    assert liuzu.paragraphs[0] == "一推一剪皆是爱，点点滴滴暖人心。"
    silun = article(issue, "罗定市泗纶镇")
    assert silun.paragraphs[1:3] == [
        "“这东西不是跳跳糖和邮票么？怎么是毒品啊！”",
        "“是呀，这两种都属于新型毒品，普通人较难辨识......”",
    ]


def test_body_paragraphs_are_whole_and_counted(issue):
    counts = [
        (len(a.paragraphs), len(a.subheadings), len(a.images)) for a in issue.articles
    ]
    assert counts == [
        (5, 0, 0),
        (5, 0, 0),
        (5, 3, 0),
        (4, 0, 0),
        (4, 0, 0),
        (5, 0, 1),
        (7, 2, 0),
        (5, 0, 0),
        (3, 0, 0),
        (9, 6, 0),
    ]
    city = issue.articles[0]
    # The indented paragraph is read without its indent.
    assert city.paragraphs[1].startswith("本次系列培训在云浮市委党校举办")
    pingtai = article(issue, "郁南县平台镇")
    assert pingtai.subheadings[:3] == [
        "一、项目开展（实施）情况",
        "二、项目成效",
        "1.开展法律法规宣传",
    ]
    # A long numbered line is a paragraph, not a subheading.
    assert pingtai.paragraphs[-3].startswith("1.活动类：")


def test_no_masthead_and_the_latest_date_mentioned(issue):
    assert issue.masthead.year is None and issue.masthead.number is None
    assert issue.latest_date(2023) == datetime.date(2023, 3, 2)
