"""The period a dashboard covers: whole months, from one month to another.

Parsed from the query string (``from=2023-01&to=2023-06``, what an
``<input type="month">`` sends; ``2023年1月`` and ``2023/1`` are read too). Bad
input never fails the page: the caller gets a message in Chinese saying why and
shows the period the page opens on (``opening_period``).

The selector's unit is the month, and a page opened without a period shows a
year: the latest year in which the unit has an approved report, to the current
month when that year is this year. A year, not the latest month alone: a month
holds a handful of reports and the monthly table and chart already show each
month of it; and this year to date is the period ``refresh_stats`` keeps
counted for every active city, so their pages open on a kept snapshot."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

# A dashboard over more months than this is refused: the timeliness query has
# one condition per month, and nobody reads a chart of more bars.
MAX_MONTHS = 60
EARLIEST_YEAR = 2000

MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?\s*$")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` (first day of the first month) to ``end`` (first
    day of the last month), both included."""

    start: datetime.date
    end: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        """The first day of each month of the period, in order."""
        count = (self.end.year - self.start.year) * 12 + self.end.month
        count -= self.start.month - 1
        return [add_months(self.start, n) for n in range(count)]

    @property
    def first_day(self) -> datetime.date:
        return self.start

    @property
    def last_day(self) -> datetime.date:
        return add_months(self.end, 1) - datetime.timedelta(days=1)

    @property
    def after(self) -> datetime.date:
        """The first day after the period: filters use ``< after``."""
        return add_months(self.end, 1)

    def param(self, which: str) -> str:
        day = self.start if which == "from" else self.end
        return f"{day:%Y-%m}"

    @property
    def label(self) -> str:
        if self.start == self.end:
            return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}
        return _("%(y1)d年%(m1)d月至%(y2)d年%(m2)d月") % {
            "y1": self.start.year,
            "m1": self.start.month,
            "y2": self.end.year,
            "m2": self.end.month,
        }

    @property
    def slug(self) -> str:
        """For file names: 202301-202306."""
        return f"{self.start:%Y%m}-{self.end:%Y%m}"


def default_period(today: datetime.date | None = None) -> Period:
    """The current year to date."""
    today = today or timezone.localdate()
    return Period(datetime.date(today.year, 1, 1), today.replace(day=1))


def opening_period(latest: datetime.date | None, today: datetime.date) -> Period:
    """The period a dashboard opens on when none is asked for: the year of
    ``latest`` (the start date of the unit's latest approved report), whole
    when it is past, to the current month when it is this year (to ``latest``'s
    month if that comes later). Without any report: this year to date."""
    if latest is None:
        return default_period(today)
    start = datetime.date(latest.year, 1, 1)
    if latest.year < today.year:
        return Period(start, datetime.date(latest.year, 12, 1))
    return Period(start, max(today.replace(day=1), latest.replace(day=1)))


def period_chosen(params) -> bool:
    """Whether the query string names a period at all."""
    return bool((params.get("from") or "").strip() or (params.get("to") or "").strip())


def parse_month(value: str) -> datetime.date | None:
    """The first day of the month written in ``value``, or None if it is not a
    month between 2000 and 2100."""
    match = MONTH_RE.match(value or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (EARLIEST_YEAR <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def period_from_params(params, today: datetime.date | None = None):
    """``(period, error)``: the period asked for by ``from`` and ``to``, or the
    default period and a message saying what was wrong. Either may be left out:
    ``from`` alone runs to the current month, ``to`` alone starts in January of
    its year."""
    default = default_period(today)
    raw_from = (params.get("from") or "").strip()
    raw_to = (params.get("to") or "").strip()
    if not raw_from and not raw_to:
        return default, None
    start = parse_month(raw_from) if raw_from else None
    end = parse_month(raw_to) if raw_to else None
    if (raw_from and start is None) or (raw_to and end is None):
        return default, _(
            "统计期间的月份格式不正确，请写成“2023-01”这样的年月。已显示默认期间。"
        )
    if start is None:
        start = datetime.date(end.year, 1, 1)
    if end is None:
        end = max(default.end, start)
    if start > end:
        return default, _("统计期间的开始月份晚于结束月份。已显示默认期间。")
    period = Period(start, end)
    if len(period.months) > MAX_MONTHS:
        return default, _("统计期间最长 %(n)d 个月，请缩短。已显示默认期间。") % {
            "n": MAX_MONTHS
        }
    return period, None
