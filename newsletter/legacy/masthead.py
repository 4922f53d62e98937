"""What the top of a past issue says about it (2023年第3期, 总第45期, its date),
read from its first lines and its file name, and the dates its text mentions."""

from __future__ import annotations

import datetime
import re
from pathlib import PurePath

from django.utils.translation import gettext as _

from .structure import Line, Masthead

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_NUMBER = r"(\d{1,3}|[一二三四五六七八九十]{1,3})"
YEAR_NUMBER_RE = re.compile(rf"((?:19|20)\d{{2}})\s*年\s*(?:第\s*)?{_NUMBER}\s*期")
NUMBER_RE = re.compile(rf"(?<!总)第\s*{_NUMBER}\s*期")
RUNNING_RE = re.compile(r"总\s*第?\s*(\d{1,4})\s*期")
FULL_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISO_DATE_RE = re.compile(r"((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})")
DAY_RE = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
# A line ending a sentence is text, not a masthead.
_SENTENCE_END_RE = re.compile(r"[。！？；!?;]$")


def cn_number(text: str) -> int | None:
    """12 from "12" or "十二"; None for what is not a number (十十)."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    try:
        if not ten:
            return _CN_DIGITS[text] if len(text) == 1 else None
        value = (_CN_DIGITS[tens] if tens else 1) * 10
        return value + (_CN_DIGITS[units] if units else 0)
    except KeyError:
        return None


# What a file's name says when the text does not: 2023年第4期, 简报2023第4期,
# 云浮民政简报（2023年第4期）, and 2023-04 / 2023-4 / 2023_04 / 2023.04 (but not a
# date such as 2023-04-10).
_NAME_YEAR_NUMBER_RES = [
    YEAR_NUMBER_RE,
    re.compile(rf"((?:19|20)\d{{2}})\s*第\s*{_NUMBER}\s*期"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-_.－]\s*(\d{1,2})(?!\d|\s*[-_.－]\s*\d)"),
]


def name_numbers(filename: str) -> tuple[int | None, int | None]:
    """``(year, number)`` the file's name gives (either may be None)."""
    name = PurePath(filename or "").name
    for pattern in _NAME_YEAR_NUMBER_RES:
        match = pattern.search(name)
        if match:
            number = cn_number(match.group(2))
            if number:
                return int(match.group(1)), number
    match = NUMBER_RE.search(name)
    number = cn_number(match.group(1)) if match else None
    return None, number or None


def _text_numbers(lines: list[str]) -> tuple[int | None, int | None]:
    """``(year, number)`` the masthead's lines state (2023年第3期, 第3期)."""
    for text in lines:
        match = YEAR_NUMBER_RE.search(text)
        if match and cn_number(match.group(2)) is not None:
            return int(match.group(1)), cn_number(match.group(2))
    for text in lines:
        match = NUMBER_RE.search(text)
        if match and cn_number(match.group(1)) is not None:
            return None, cn_number(match.group(1))
    return None, None


def read_masthead(head: list[Line], filename: str) -> Masthead:
    """The year, number, running number and date the first lines give. What
    they do not give, the file's name may (2023年第3期.docx, 2023-03.txt); when
    both give a number, the text's is taken (``number_conflict`` says so)."""
    masthead = Masthead(lines=[line.text for line in head if line.text])
    masthead.year, masthead.number = _text_numbers(masthead.lines)
    for text in masthead.lines:
        match = RUNNING_RE.search(text)
        if match and masthead.running_number is None:
            masthead.running_number = int(match.group(1))
        match = FULL_DATE_RE.search(text) or ISO_DATE_RE.search(text)
        if match and masthead.issue_date is None:
            try:
                masthead.issue_date = datetime.date(*map(int, match.groups()))
            except ValueError:
                pass
    name_year, name_number = name_numbers(filename)
    if masthead.number is None:
        masthead.number = name_number
    if masthead.year is None and masthead.number == name_number:
        # The name's year belongs to the number it gives, so it is taken only
        # for that number; an issue of December may be dated in January.
        masthead.year = name_year
    if masthead.year is None and masthead.issue_date is not None:
        masthead.year = masthead.issue_date.year
    if masthead.year is None:
        for text in masthead.lines:
            match = YEAR_RE.search(text)
            if match:
                masthead.year = int(match.group(1))
                break
    return masthead


def number_conflict(masthead: Masthead, filename: str) -> str | None:
    """A warning when the file's name gives another year or number than its
    text, whose numbers are the ones imported; None when they agree."""
    text_year, text_number = _text_numbers(masthead.lines)
    name_year, name_number = name_numbers(filename)
    if text_number is None or name_number is None:
        return None
    text_year = text_year or masthead.year
    if text_number == name_number and (
        name_year is None or text_year is None or name_year == text_year
    ):
        return None

    def said(year, number):
        if year is None:
            return _("第%(number)s期") % {"number": number}
        return _("%(year)s年第%(number)s期") % {"year": year, "number": number}

    return _("文件名写的是%(name)s，正文写的是%(text)s，按正文导入。") % {
        "name": said(name_year, name_number),
        "text": said(text_year, text_number),
    }


# A masthead line that names no number or date: the publication's name, who
# edits it, its circulation.
_MASTHEAD_WORDS_RE = re.compile(
    r"(?:简报|快报|通讯|编|编印|主办|编辑部)$|^(?:主办|主编|编印)|内部资料|注意保存"
)
MASTHEAD_LINE_MAX = 60


def masthead_lines(lines: list[Line]) -> int:
    """How many of the first lines are a masthead (云浮民政简报, 2023年第3期,
    总第45期, 云浮市民政局编  2023年3月10日): they belong to no article."""
    count = 0
    for line in lines:
        text = re.sub(r"\s+", "", line.text)
        if not text:
            count += 1
            continue
        if len(text) > MASTHEAD_LINE_MAX or _SENTENCE_END_RE.search(text):
            break
        if not (
            YEAR_NUMBER_RE.search(text)
            or NUMBER_RE.search(text)
            or RUNNING_RE.search(text)
            or FULL_DATE_RE.search(text)
            or ISO_DATE_RE.search(text)
            or _MASTHEAD_WORDS_RE.search(text)
        ):
            break
        count += 1
    return count


def dates_in(lines: list[Line]) -> list[tuple[int | None, int, int]]:
    found: list[tuple[int | None, int, int]] = []
    for line in lines:
        text = line.text
        for match in FULL_DATE_RE.finditer(text):
            found.append(tuple(int(g) for g in match.groups()))
        for match in DAY_RE.finditer(text):
            found.append((None, int(match.group(1)), int(match.group(2))))
    return found
