"""The gate sees through the ways a name or a number is typed: hypothesis draws
spellings (every separator class, full-width forms, traditional characters,
Chinese numerals, glued letters, country and area prefixes) and the gate must
flag each one. The seed issue, with ordinary names registered, gives no hit
(false hits stay rare)."""

import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.idcard import make_id_number
from newsletter.privacy import Identifiers, Kind, scan_text

NAMES = ["王小红", "陈晓红", "李明", "欧阳建国", "阿依古丽·买买提"]
REGISTERED_ID = make_id_number("445302", datetime.date(2015, 6, 1), 122)
OTHER_ID = make_id_number("440102", datetime.date(1990, 1, 1), 123)
MOBILE = "13812345678"
LANDLINE = "0766-8812345"
ADDRESS = "云城区安塘街道龙华村委会下村12号"

IDS = Identifiers.build(
    [("name", n) for n in NAMES]
    + [
        ("id_number", REGISTERED_ID),
        ("phone", MOBILE),
        ("phone", LANDLINE),
        ("address", ADDRESS),
    ]
)

# What a keyboard, an input method or a paste puts between two characters.
SEPARATORS = [
    " ",
    "  ",
    "\u3000",  # full-width space, as an IME in full-width mode types it
    "\u00a0",  # no-break space, from Word
    "\u2009",  # thin space
    "\u200b",  # zero-width space
    "\ufeff",
    "\u2060",
    "\u00ad",  # soft hyphen
    "-",
    "－",  # full-width hyphen
    "‐",
    "‑",
    "–",
    "—",
    "―",
    "−",
    "〜",  # wave dash, a Pd character
    ".",
    "．",
    "·",
    "・",
    "•",
    "_",
    "\n",
    "\r\n",
    "\t",
]
SEPARATOR = st.sampled_from(SEPARATORS)
GAP = st.one_of(st.just(""), SEPARATOR)
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
NUMERALS = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
FINANCIAL = dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖", strict=True))
TRADITIONAL = {
    "红": "紅",
    "陈": "陳",
    "晓": "曉",
    "欧": "歐",
    "阳": "陽",
    "国": "國",
    "买": "買",
    "丽": "麗",
}
# Text around the value: Chinese, with no digit that could join the number.
AROUND = st.sampled_from(["", "社工走访了", "联系人：", "（", "据", "，电话"])
AFTER = st.sampled_from(["", "一家。", "，已核实。", "）", "的家中", "。"])


@st.composite
def spelled_digits(draw, digits: str):
    """``digits`` with separators between some characters, each character
    perhaps full-width or a Chinese numeral (all of the same kind of numeral,
    as people write them)."""
    style = draw(st.sampled_from(["ascii", "full", "mixed", "numeral", "financial"]))
    out = []
    for i, char in enumerate(digits):
        if style == "full" or (style == "mixed" and draw(st.booleans())):
            char = char.translate(FULL_WIDTH)
        elif style == "numeral":
            char = NUMERALS.get(char, char)
        elif style == "financial":
            char = FINANCIAL.get(char, char)
        if i:
            out.append(draw(GAP))
        out.append(char)
    return "".join(out)


@st.composite
def spelled_name(draw, name: str):
    out = []
    for i, char in enumerate(name.replace("·", "")):
        if char in TRADITIONAL and draw(st.booleans()):
            char = TRADITIONAL[char]
        if i:
            out.append(draw(GAP))
        out.append(char)
    return "".join(out)


def _flagged(text, kinds):
    found = scan_text(text, IDS)
    return [f for f in found if f.kind in kinds]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_every_spelling_of_a_registered_name_is_flagged(data, name):
    spelled = data.draw(spelled_name(name))
    text = data.draw(AROUND) + spelled + data.draw(AFTER)
    hits = _flagged(text, {Kind.NAME})
    assert hits, repr(text)
    assert hits[0].value == name.replace("·", "")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    number=st.sampled_from([REGISTERED_ID, OTHER_ID]),
    glued=st.sampled_from(["", "ID", "证号ID", "No", "x", "A"]),
    lower_x=st.booleans(),
)
def test_every_spelling_of_an_id_number_is_flagged(data, number, glued, lower_x):
    spelled = data.draw(spelled_digits(number))
    if lower_x:
        spelled = spelled.replace("X", "x")
    text = data.draw(AROUND) + glued + spelled + data.draw(AFTER)
    expected = Kind.ID_NUMBER if number == REGISTERED_ID else Kind.ID_SHAPED
    hits = _flagged(text, {expected})
    assert hits and hits[0].value == number, repr(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    prefix=st.sampled_from(["", "86", "+86", "0086", "+86 ", "(+86)", "+８６"]),
)
def test_every_spelling_of_a_registered_mobile_is_flagged(data, prefix):
    spelled = data.draw(spelled_digits(MOBILE))
    text = data.draw(AROUND) + prefix + data.draw(GAP) + spelled + data.draw(AFTER)
    hits = _flagged(text, {Kind.PHONE})
    assert hits and hits[0].value == MOBILE, repr(text)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), area=st.sampled_from(["", "0766", "（0766）", "(0766)"]))
def test_every_spelling_of_a_registered_landline_is_flagged(data, area):
    local = data.draw(spelled_digits("8812345"))
    area_part = data.draw(spelled_digits(area)) if area.isdigit() else area
    text = data.draw(AROUND) + area_part + data.draw(GAP) + local + data.draw(AFTER)
    assert _flagged(text, {Kind.PHONE}), repr(text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_unregistered_mobile_is_flagged_as_mobile_shaped(data):
    spelled = data.draw(spelled_digits("13987654321"))
    text = data.draw(AROUND) + spelled + data.draw(AFTER)
    hits = _flagged(text, {Kind.MOBILE})
    assert hits and hits[0].value == "13987654321", repr(text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), tail=st.booleans())
def test_a_registered_home_address_is_flagged(data, tail):
    address = "龙华村委会下村12号" if tail else ADDRESS
    spelled = "".join(
        char + (data.draw(GAP) if i < len(address) - 1 else "")
        for i, char in enumerate(address)
    )
    text = data.draw(AROUND) + spelled + data.draw(AFTER)
    assert _flagged(text, {Kind.ADDRESS}), repr(text)


def test_a_hit_is_shown_where_it_stands_in_the_original_text():
    text = "社工走访了王\u3000小·紅一家，监护人电话 ０７６６－８８１ ２３４５。"
    found = scan_text(text, IDS)
    assert [(f.kind, text[f.start : f.end]) for f in found] == [
        (Kind.NAME, "王\u3000小·紅"),
        (Kind.PHONE, "０７６６－８８１ ２３４５"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "王二小",  # a numeral inside a name stays a name, not a phone digit
        "2023.03.15—2023.03.20 开展活动",
        "第一二三组",
        "拨打 12345 热线",
        "发放慰问金 13800 元",
        "小明和小红",
    ],
)
def test_ordinary_text_is_not_flagged(text):
    assert scan_text(text, IDS) == []


SEED = Path(__file__).resolve().parents[2] / "newsletter" / "data" / "seed_issue.txt"


def test_the_seed_issue_has_no_hit_with_ordinary_names_registered():
    for line in SEED.read_text(encoding="utf-8").splitlines():
        assert scan_text(line, IDS) == [], line
