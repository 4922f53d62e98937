"""Figures for writing, the text side: which numbers with units are found in
Chinese text, and how a number is compared with a record (no database)."""

from decimal import Decimal

import pytest

from activities.writing.text import (
    HOUSEHOLDS,
    PERCENT,
    PERSON_TIMES,
    PERSONS,
    VILLAGES,
    Record,
    check_mentions,
    find_mentions,
)

SEED_TRAINING = (
    "本次系列培训在云浮市委党校举办，累计共开展5期。据统计，此次参加培训的“双百”"
    "社工共465人，累计培训时长为390小时，参与培训人次达3260人次。"
)
SEED_PROJECT = (
    "平台镇14条行政村中目前完成了古勉村、万洞村、平台村、中村、次步村、石台村、"
    "在田村和水台村共8条行政村的覆盖，覆盖率达60%。目前开展活动5场，项目活动人次达"
    "1057人次，入户宣传政策952人次，走访重点青少年18人，慰问困境儿童3户，开展困境"
    "青少年个案2个。"
)


def _found(text):
    return [(m.text, m.kind, m.value) for m in find_mentions(text)]


def test_finds_the_seed_training_figures_with_their_units():
    assert _found(SEED_TRAINING) == [
        ("5期", "sessions", Decimal(5)),
        ("465人", PERSONS, Decimal(465)),
        ("390小时", "hours", Decimal(390)),
        ("3260人次", PERSON_TIMES, Decimal(3260)),
    ]


def test_finds_the_seed_project_figures_villages_percent_and_cases():
    found = _found(SEED_PROJECT)
    assert ("14条行政村", VILLAGES, Decimal(14)) in found
    assert ("8条行政村", VILLAGES, Decimal(8)) in found
    assert ("60%", PERCENT, Decimal(60)) in found
    assert ("5场", "activities", Decimal(5)) in found
    assert ("1057人次", PERSON_TIMES, Decimal(1057)) in found
    assert ("3户", HOUSEHOLDS, Decimal(3)) in found
    assert ("个案2个", "cases", Decimal(2)) in found
    # 人次 is never read as 人: each number is found once, with its own unit.
    assert [t for t, *_ in found].count("952人次") == 1
    assert len(found) == 9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Read after NFKC normalisation: full-width brackets come back narrow.
        ("走访了辖内12个村（居）委，共262人。", [("12个村(居)委", 12), ("262人", 262)]),
        ("服务3,260人次", [("3,260人次", 3260)]),
        ("全镇十四个村", [("十四个村", 14)]),
        ("覆盖率达５７％", [("57%", 57)]),  # full-width digits and sign
        ("共走访约152户", [("152户", 152)]),
        ("服务3000余人次", [("3000余人次", 3000)]),
        ("时长2.5小时", [("2.5小时", Decimal("2.5"))]),
    ],
)
def test_reads_separators_chinese_numerals_full_width_and_qualifiers(text, expected):
    assert [(m.text, m.value) for m in find_mentions(text)] == [
        (t, Decimal(v)) for t, v in expected
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2023年2月25日上午",  # dates are not counts
        "第5期培训",  # an ordinal
        "一名社工为三人小组讲解",  # Chinese numerals before 人/名 are words
        "2022年度优秀社工",
    ],
)
def test_ignores_dates_ordinals_and_numeral_words(text):
    assert find_mentions(text) == []


def _status(text, records):
    mentions = find_mentions(text)
    check_mentions(mentions, records)
    return [(m.text, m.status, m.record and m.record.label) for m in mentions]


COVERAGE = Record(
    PERCENT,
    Decimal(57),
    "村（居）覆盖率",
    "本报告",
    display="8/14 = 57%",
    keywords=("覆盖",),
    primary=True,
    exact=Decimal(800) / Decimal(14),
)


def test_a_claimed_60_percent_contradicts_8_of_14():
    mentions = find_mentions("覆盖率达60%。")
    check_mentions(mentions, [COVERAGE])
    assert mentions[0].status == "contradiction"
    assert mentions[0].message == "正文写 60%，记录为 8/14 = 57%"


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("57%", "supported"),  # rounded
        ("57.1%", "supported"),  # to one decimal
        ("57.2%", "contradiction"),
        ("58%", "contradiction"),
    ],
)
def test_a_percentage_may_be_rounded_or_cut_at_its_precision(written, status):
    assert _status(f"覆盖率为{written}", [COVERAGE])[0][1] == status


def test_a_cut_percentage_is_accepted():
    two_thirds = Record(
        PERCENT, Decimal(67), "覆盖率", "x", exact=Decimal(200) / 3, keywords=("覆盖",)
    )
    assert _status("覆盖率66%", [two_thirds])[0][1] == "supported"
    assert _status("覆盖率67%", [two_thirds])[0][1] == "supported"


PT = Record(PERSON_TIMES, Decimal(3260), "参训人次", "培训", primary=True)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("参与培训人次达3260人次", "supported"),
        ("服务3000余人次", "supported"),  # 3000 to 3999
        ("服务3200多人次", "supported"),  # 3200 to 3299
        ("服务3300多人次", "unverified"),  # 3300 to 3399, and tied to nothing
        ("约3300人次", "supported"),  # within a tenth
        ("约2500人次", "unverified"),  # 约 alone does not tie it to the total
        ("共2500人次", "contradiction"),  # 共 ties it to the total
        ("超过3000人次", "supported"),
        ("近3300人次", "supported"),
    ],
)
def test_qualifiers_widen_what_agrees(text, status):
    assert _status(text, [PT])[0][1] == status


PERSONS_262 = Record(PERSONS, Decimal(262), "人数", "本报告", primary=True)
HOUSEHOLDS_152 = Record(
    HOUSEHOLDS, Decimal(152), "户数", "本报告", keywords=("走访", "入户"), primary=True
)


def test_partial_counts_are_not_flagged():
    text = "走访重点青少年18人，慰问困境儿童3户，共走访约152户，共262人。"
    assert _status(text, [PERSONS_262, HOUSEHOLDS_152]) == [
        ("18人", "unverified", None),
        ("3户", "unverified", None),
        ("152户", "supported", "户数"),
        ("262人", "supported", "人数"),
    ]


def test_a_total_that_disagrees_is_flagged():
    text = "走访重点青少年18人，共走访150户，共260人。"
    assert _status(text, [PERSONS_262, HOUSEHOLDS_152]) == [
        ("18人", "unverified", None),
        ("150户", "contradiction", "户数"),
        ("260人", "contradiction", "人数"),
    ]


def test_a_lone_whole_figure_meets_its_lone_record_without_binding_words():
    villages = Record(VILLAGES, Decimal(8), "覆盖的村（居）", "本报告", primary=True)
    assert _status("社工走访了12个村。", [villages])[0][1] == "contradiction"
    # Persons come in parts: a lone one is not compared without a binding word.
    assert _status("为21名困境儿童发放助学款", [PERSONS_262])[0][1] == "unverified"


def test_numbers_without_records_stay_unverified():
    assert {s for _t, s, _r in _status(SEED_TRAINING, [])} == {"unverified"}
