"""What ``generate_scale`` builds: the sizes, the dates it spreads rows over, and
the first free id of every table it writes.

Ids are assigned by the generator, not the database, so that a row can name a
row of another table without reading it back: the j-th beneficiary of the s-th
station is ``first + s * per_station + j`` whichever table refers to it. That is
what lets the big tables be written as one stream each, never held in memory.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from dataclasses import dataclass, fields, replace

from django.db.models import Max

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# Published issues go out on this day of the month after the month they cover:
# late enough for every report of that month to have been approved.
ISSUE_DAY = 15


@dataclass(frozen=True)
class Sizes:
    """The generator's parameters. The defaults are the province's scale: 21
    cities, ~1,600 stations, ~25,000 workers, ~1M reports."""

    cities: int = 21
    counties_per_city: int = 6
    stations_per_county: int = 13
    villages_per_town: int = 8
    workers_per_station: int = 15
    reports_per_station: int = 610
    photos_per_report: int = 2
    beneficiaries_per_station: int = 1220
    attendance_per_report: int = 3
    visits_per_beneficiary: int = 1
    years: int = 10
    articles_per_issue: int = 10

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


# Seconds to build, for tests and CI: Yunfu (its first two counties, all their
# 15 real towns) and one synthetic city.
SMALL = Sizes(
    cities=2,
    counties_per_city=2,
    stations_per_county=2,
    villages_per_town=2,
    workers_per_station=3,
    reports_per_station=12,
    photos_per_report=1,
    beneficiaries_per_station=6,
    attendance_per_report=2,
    visits_per_beneficiary=1,
    years=1,
    articles_per_issue=3,
)
PRESETS = {"full": Sizes(), "small": SMALL}


def sizes_from(preset: str, overrides: dict) -> Sizes:
    """A preset with the options given on the command line applied over it."""
    given = {k: v for k, v in overrides.items() if v is not None}
    for name, value in given.items():
        if value < 0 or (value == 0 and name in ("cities", "years")):
            raise ValueError(f"--{name.replace('_', '-')} must be positive")
    return replace(PRESETS[preset], **given)


@dataclass(frozen=True)
class Calendar:
    """Today, the range report dates are spread over, and the months that have
    a published issue: the ``years * 12`` months before the last whose issue
    date has passed."""

    today: datetime.date
    first_day: datetime.date
    months: tuple[tuple[int, int], ...]

    @classmethod
    def ending(cls, today: datetime.date, years: int) -> Calendar:
        year, month = today.year, today.month
        # The month before this one has its issue out once ISSUE_DAY has passed.
        back = 1 if today.day >= ISSUE_DAY else 2
        index = year * 12 + month - 1 - back
        months = tuple(divmod(i, 12) for i in range(index - years * 12 + 1, index + 1))
        months = tuple((y, m + 1) for y, m in months)
        first_day = datetime.date(*months[0], 1)
        return cls(today=today, first_day=first_day, months=months)

    @property
    def span_days(self) -> int:
        return (self.today - self.first_day).days + 1

    def month_index(self, day: datetime.date) -> int | None:
        """Which issue month ``day`` falls in, or None (after the last)."""
        first_year, first_month = self.months[0]
        index = (day.year - first_year) * 12 + day.month - first_month
        return index if 0 <= index < len(self.months) else None

    @staticmethod
    def issue_date(year: int, month: int) -> datetime.date:
        return datetime.date(year + month // 12, month % 12 + 1, ISSUE_DAY)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time on ``day``, as an aware datetime."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class Ids:
    """The next free id of each table, read once at the start."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model, count: int) -> int:
        """Reserve ``count`` ids of ``model``; returns the first."""
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        first = self._next[model]
        self._next[model] = first + count
        return first


def rng_for(seed: int, stage: str) -> random.Random:
    """A generator of its own for each stage, so a stage's rows depend only on
    the seed and the sizes, not on how much randomness earlier stages drew."""
    return random.Random(f"{seed}:{stage}")
