"""Page numbers, running heads and footers of an issue laid out on pages are
recognised so that the readers can drop them from the articles."""

import pytest

from newsletter.legacy.furniture import drop_furniture, furniture_lines, is_page_number


@pytest.mark.parametrize(
    "text",
    [
        "－ 2 －",
        "— 2 —",
        "- 2 -",
        "–2–",
        "——12——",
        "第2页",
        "第 2 页",
        "第 2 页 共 8 页",
        "第2页/共8页",
        "共8页 第2页",
        "2/8",
        "２ / ８",
        "2",
        "  14  ",
        "Page 3 of 8",
    ],
)
def test_page_numbers_in_every_usual_form_are_recognised(text):
    assert is_page_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2023",
        "3/1",
        "第3期",
        "2023年第4期",
        "一、广泛宣传强意识",
        "——云浮市民政局顺利举办全市",
        "共开展5期活动。",
        "●市级动态",
    ],
)
def test_text_that_is_not_a_page_number_is_kept(text):
    assert not is_page_number(text)


# Body lines that differ from page to page in their words, as real text does.
BODY = [
    "社工入户走访困境儿童，了解其学习和生活情况。",
    "镇社工站联同妇联开展未成年人保护法宣传。",
    "活动现场，志愿者为长者义剪，气氛温馨。",
    "区民政局召开社工站副站长会议，总结上年工作。",
    "社工为服务对象链接资源，协助申请临时救助。",
    "培训邀请高校教师授课，学员积极参与讨论。",
    "社工站开展禁毒宣传，发放宣传单张三百余份。",
    "督导小组深入各镇察看社工站（点）建设情况。",
    "社工组织亲子活动，增进家庭成员之间的沟通。",
    "下一步，社工站将持续跟进个案，巩固服务成效。",
]


def _page(number, body, head="云浮民政简报", foot="－ {n} －"):
    lines = [head] if head else []
    lines += ["", *body, ""]
    if foot:
        lines.append(foot.format(n=number))
    return lines


def test_running_head_and_page_number_are_furniture_and_the_text_is_not():
    pages = [_page(n, [BODY[n], BODY[n + 1][:10]]) for n in range(1, 6)]
    kept = drop_furniture(pages)
    for number, page in enumerate(kept, start=1):
        assert [line for line in page if line.strip()] == [
            BODY[number],
            BODY[number + 1][:10],
        ]


def test_a_head_that_carries_the_changing_page_number_is_furniture():
    pages = [
        [f"云浮民政简报 2023年第4期 第{n}页", BODY[n], BODY[n + 4]] for n in range(1, 4)
    ]
    assert furniture_lines(pages) == {(0, 0), (1, 0), (2, 0)}


def test_a_head_over_two_lines_and_a_footer_are_all_dropped():
    pages = [
        ["云浮民政简报", "2023年第4期", BODY[n], "云浮市民政局编", f"{n}/4"]
        for n in range(1, 5)
    ]
    assert drop_furniture(pages) == [[BODY[n]] for n in range(1, 5)]


def test_odd_and_even_pages_may_carry_different_heads():
    pages = []
    for n in range(1, 9):
        head = "云浮民政简报" if n % 2 else "2023年第4期"
        pages.append([head, BODY[n]])
    kept = drop_furniture(pages)
    assert kept == [[BODY[n]] for n in range(1, 9)]


def test_a_body_line_repeated_on_two_of_many_pages_is_kept():
    # The same section heading opens two pages of ten, without a running head
    # above it: it is text that happens to be there, not a head.
    pages = [[BODY[n]] for n in range(10)]
    pages[3].insert(0, "●社工站（点）动态")
    pages[7].insert(0, "●社工站（点）动态")
    assert furniture_lines(pages) == set()


def test_a_repeated_line_in_the_middle_of_pages_is_kept():
    pages = [
        ["云浮民政简报", BODY[n], "活动现场", BODY[n + 5], str(n)] for n in range(1, 5)
    ]
    kept = drop_furniture(pages)
    assert kept == [[BODY[n], "活动现场", BODY[n + 5]] for n in range(1, 5)]


def test_no_pages_means_no_furniture():
    assert furniture_lines([]) == set()
    assert drop_furniture([[]]) == [[]]
