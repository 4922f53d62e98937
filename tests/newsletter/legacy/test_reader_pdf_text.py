"""A past issue saved as text from its PDF reads as the same issue as its text
copy: the wrapped lines are joined into their paragraphs again, the page
numbers and the running head are dropped, the dotted contents are read, and the
distribution block at the end is left out of the last article."""

import re

import pytest

from newsletter.legacy.furniture import is_page_number
from newsletter.legacy.reader import read_issue
from newsletter.legacy.reflow import looks_paged, reflow
from tests.newsletter.legacy.helpers import (
    SEED_ARTICLES,
    docx_from_text,
    titles,
    without_toc,
)
from tests.newsletter.legacy.paged import CLOSING, PAGE_NUMBER_FORMS, paged_text


@pytest.fixture
def plain(seed_bytes):
    return read_issue(seed_bytes, "seed.txt")


def squash(text):
    # A space at the place a line was wrapped does not survive the PDF.
    return re.sub(r"\s+", "", text)


def shape(issue):
    """What a reader of the issue sees: sections, titles, subtitles, and each
    article's paragraphs and subheadings."""
    return [
        (
            section.title,
            section.kind,
            [
                (
                    a.title,
                    a.subtitle,
                    [squash(p) for p in a.paragraphs],
                    a.subheadings,
                    len(a.images),
                )
                for a in section.articles
            ],
        )
        for section in issue.sections
    ]


def assert_reads_like_the_seed(issue, plain):
    assert titles(issue) == SEED_ARTICLES
    assert shape(issue) == shape(plain)
    assert [(s.title, [e.title for e in s.entries]) for s in issue.toc] == [
        (s.title, [e.title for e in s.entries]) for s in plain.toc
    ]
    for article in issue.articles:
        for text in article.paragraphs + article.subheadings + [article.title]:
            assert "云浮民政简报" not in text
            assert "报送" not in text and "印发" not in text
            assert not is_page_number(text)
            assert not re.search(r"[－—–-]\s*\d{1,2}\s*[－—–-]|第\s*\d+\s*页", text)


@pytest.mark.parametrize("page_number", PAGE_NUMBER_FORMS)
def test_pdftotext_output_reads_as_the_seed_whatever_the_page_number(
    seed_text, plain, page_number
):
    text = paged_text(seed_text, page_number=page_number)
    assert text.count("\f") >= 5
    issue = read_issue(text.encode(), "seed.txt")
    assert_reads_like_the_seed(issue, plain)
    assert issue.warnings == plain.warnings


@pytest.mark.parametrize("page_number", ["— {n} —", "第 {n} 页 共 {total} 页", "{n}"])
def test_a_copy_out_of_a_pdf_viewer_without_form_feeds_reads_as_the_seed(
    seed_text, plain, page_number
):
    text = paged_text(seed_text, page_number=page_number, form_feed=False)
    assert "\f" not in text
    assert_reads_like_the_seed(read_issue(text.encode(), "seed.txt"), plain)


@pytest.mark.parametrize(
    "layout",
    [
        {"width": 30},
        {"width": 44, "page_lines": 33},
        # Titles set large, so they wrap after 20 characters: a line may even
        # start with the closing quote of the line before.
        {"title_width": 20},
        {"head": "云浮民政简报　　2023年第3期"},
    ],
)
def test_other_page_widths_and_title_sizes_read_as_the_seed(seed_text, plain, layout):
    text = paged_text(seed_text, page_number="－ {n} －", **layout)
    assert_reads_like_the_seed(read_issue(text.encode(), "seed.txt"), plain)


def test_the_picture_marker_stays_after_its_sentence_in_a_wrapped_paragraph(
    seed_text, plain
):
    issue = read_issue(paged_text(seed_text).encode(), "seed.txt")
    (fulin,) = [a for a in issue.articles if a.title.startswith("云安区富林镇")]
    (image,) = fulin.images
    assert (image.name, image.is_missing) == ("image2.png", True)
    last = fulin.paragraphs[-1]
    assert last[: image.offset].endswith("小树苗")
    assert last.startswith("开展这一护苗行动") and last.endswith("快乐成长。")


def test_a_text_copy_of_a_word_file_is_left_as_it_is(seed_text):
    for text in (seed_text, without_toc(seed_text), seed_text.replace("\n\n", "\n")):
        assert not looks_paged(text)
        assert reflow(text) == text


def test_the_wrapped_text_is_put_back_one_paragraph_a_line():
    full = "社工入户走访困境儿童家庭，了解其学习和生活情况，链接资源帮助"
    text = "\n".join(
        [
            "本期内容",
            "●社工站（点）动态",
            "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动……………2",
            "郁南县平台镇社工站对“青春同行，向阳而生”关爱重点青少年群体",
            "服务项目进行中期阶段性总结……………………3",
            "●社工站（点）动态",
            "郁南县河口镇社工站开展入户走访工作",
            "——社工与村“两委”干部",
            "　　" + full[:-2],
            full,
            full,
            "其解决困难。",
            "　　下一步，社工站将持续跟进。",
            "一、广泛宣传强意识",
            "　　" + full[:-2],
            full[:-1] + "。",
            "二、入户走访助成长",
            "　　社工站到各村入户走访。",
            "",
            "－ 1 －",
        ]
    )
    assert looks_paged(text)
    assert reflow(text).splitlines() == [
        "本期内容",
        "●社工站（点）动态",
        "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动……2",
        "郁南县平台镇社工站对“青春同行，向阳而生”关爱重点青少年群体"
        "服务项目进行中期阶段性总结……3",
        "●社工站（点）动态",
        "郁南县河口镇社工站开展入户走访工作",
        "——社工与村“两委”干部",
        full[:-2] + full + full + "其解决困难。",
        "下一步，社工站将持续跟进。",
        "一、广泛宣传强意识",
        full[:-2] + full[:-1] + "。",
        "二、入户走访助成长",
        "社工站到各村入户走访。",
    ]


def test_the_distribution_block_is_not_part_of_the_last_article(seed_text, plain):
    text = seed_text.rstrip() + "\n\n" + "\n".join(["————————————", *CLOSING]) + "\n"
    issue = read_issue(text.encode(), "seed.txt")
    assert shape(issue) == shape(plain)


def test_a_paged_text_with_its_distribution_block_in_the_middle_of_a_page(
    seed_text, plain
):
    closing = ["编辑：市民政局办公室　　校对：张敏", "联系电话：0766-8888888", *CLOSING]
    text = paged_text(seed_text, closing=closing)
    assert_reads_like_the_seed(read_issue(text.encode(), "seed.txt"), plain)


def test_a_word_file_leaves_its_distribution_block_out_of_the_last_article(
    seed_text,
):
    closing = "\n".join(["编辑：市民政局办公室", *CLOSING])
    plain_docx = read_issue(docx_from_text(seed_text), "seed.docx")
    issue = read_issue(docx_from_text(seed_text + "\n" + closing), "seed.docx")
    assert shape(issue) == shape(plain_docx)
    assert not any("抄送" in p for a in issue.articles for p in a.paragraphs)


def test_a_last_paragraph_that_mentions_a_telephone_stays_in_its_article(
    seed_text, plain
):
    hotline = "联系电话：0766-8888888，社工站每周一至周五为居民提供咨询。"
    text = seed_text.rstrip() + "\n" + hotline + "\n" + "这是文章的最后一段。" * 8
    issue = read_issue(text.encode(), "seed.txt")
    assert issue.articles[-1].paragraphs[-2:] == [hotline, "这是文章的最后一段。" * 8]


MASTHEAD = [
    "云浮民政简报",
    "2023年第4期（总第45期）",
    "云浮市民政局编印　　　　　　　　　　　　　　　　　　　　　　　　2023年3月10日",
]


def test_the_masthead_stays_out_of_the_first_article_without_contents(seed_text):
    # The first article comes before any section heading, so the lines above
    # the first heading are not all masthead.
    body = without_toc(seed_text)
    first = (
        "编者按\n本期介绍全市社工站（点）一季度的工作，"
        "请各地结合实际交流学习，互相借鉴好的做法和经验。\n"
    )
    text = "\n".join(MASTHEAD) + "\n" + first + body
    plain = read_issue((first + body).encode(), "seed.txt")
    for data, name in (
        (text.encode(), "seed.txt"),
        (docx_from_text(text), "seed.docx"),
    ):
        issue = read_issue(data, name)
        assert titles(issue) == titles(plain)
        assert [a.paragraphs for a in issue.articles] == [
            a.paragraphs for a in plain.articles
        ]
        masthead = issue.masthead
        assert (masthead.year, masthead.number, masthead.running_number) == (
            2023,
            4,
            45,
        )
        assert not any(
            "云浮民政简报" in text or "编印" in text
            for a in issue.articles
            for text in [a.title, *a.paragraphs]
        )


def test_the_rest_of_a_sentence_beside_a_picture_goes_on_below_it():
    # pdftotext of a paragraph with an inline picture: the line beside the
    # picture is short, though its sentence goes on.
    full = "社工入户走访困境儿童家庭，了解其学习和生活情况，链接资源帮助其"
    text = "\n".join(
        [
            "●社工站（点）动态",
            "富林镇社工站开展关爱困境儿童活动",
            *[full] * 6,
            "解决困难。",
            "",
            "开展这一护苗行动不仅用爱浇灌一颗颗小树苗",
            "，更是希望在他们心中播",
            "下爱的种子，" + full[6:],
            "让他们学会爱自己。",
            "",
            "— 1 —",
        ]
    )
    assert reflow(text).splitlines() == [
        "●社工站（点）动态",
        "富林镇社工站开展关爱困境儿童活动",
        full * 6 + "解决困难。",
        "",
        "开展这一护苗行动不仅用爱浇灌一颗颗小树苗，更是希望在他们心中播"
        "下爱的种子，" + full[6:] + "让他们学会爱自己。",
    ]
