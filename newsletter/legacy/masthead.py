"""What the top of a past issue says about it (2023年第3期, 总第45期, its date),
read from its first lines and its file name, and the dates its text mentions."""

from __future__ import annotations

import datetime
import re

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


def read_masthead(head: list[Line], filename: str) -> Masthead:
    """The year, number, running number and date the first lines give; the
    file's name (2023年第3期.docx) may give the year and number too."""
    masthead = Masthead(lines=[line.text for line in head if line.text])
    sources = [(text, False) for text in masthead.lines] + [(filename or "", True)]
    for text, is_name in sources:
        match = YEAR_NUMBER_RE.search(text)
        if match and masthead.number is None:
            masthead.number = cn_number(match.group(2))
            if masthead.number is not None:
                masthead.year = int(match.group(1))
        match = NUMBER_RE.search(text)
        if match and masthead.number is None:
            masthead.number = cn_number(match.group(1))
        match = RUNNING_RE.search(text)
        if match and masthead.running_number is None and not is_name:
            masthead.running_number = int(match.group(1))
        match = FULL_DATE_RE.search(text) or ISO_DATE_RE.search(text)
        if match and masthead.issue_date is None and not is_name:
            try:
                masthead.issue_date = datetime.date(*map(int, match.groups()))
            except ValueError:
                pass
    if masthead.year is None and masthead.issue_date is not None:
        masthead.year = masthead.issue_date.year
    if masthead.year is None:
        for text in masthead.lines:
            match = YEAR_RE.search(text)
            if match:
                masthead.year = int(match.group(1))
                break
    return masthead


def dates_in(lines: list[Line]) -> list[tuple[int | None, int, int]]:
    found: list[tuple[int | None, int, int]] = []
    for line in lines:
        text = line.text
        for match in FULL_DATE_RE.finditer(text):
            found.append(tuple(int(g) for g in match.groups()))
        for match in DAY_RE.finditer(text):
            found.append((None, int(match.group(1)), int(match.group(2))))
    return found
