"""Snapshots of the wide dashboards: the province's and each city's.

Counting a city live takes seconds at province scale, the province longer (a
year of a million reports, two million files: bench/scale_staff.py), however the
queries are written: the figures are distinct counts over the whole unit
(people served, villages reached, files overdue today), which no index answers.
So a wide unit's dashboard is computed once and kept, as reporting systems keep
their statistics, and the page says when it was counted:

- a snapshot younger than ``STATS_SNAPSHOT_MAX_AGE`` seconds is served as it is;
- an older one is counted again by the request that finds it, while the
  requests that come meanwhile are served the old one (one counts at a time,
  under a lock in the cache); none at all is counted at once;
- "重新统计" on the page (POST) counts it again now;
- ``manage.py refresh_stats``, run by cron more often than the maximum age, keeps
  the period the page opens on (stats.period.opening_period) of the province
  and every city counted before anyone asks, so readers never wait.

A county's or a station's dashboard is counted live on every request: it is fast
enough (under 500 ms at full scale) and its reviewers expect an approval to
show at once.

Who may read a snapshot: a wide unit is offered only to those who read all of it
(a superuser; a city's editors read the whole city, DESIGN.md §4), so its
figures are the same for each of them and one snapshot serves them all. The key
holds the unit, period, language and today's date (timeliness and overdue files
depend on it). Snapshots live in the default cache: Redis in production, so
every web process and ``refresh_stats`` share them; without Redis, each process's
memory (embedded mode, where counting live is fast anyway).
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation

from stats.dashboard import Dashboard, build_dashboard
from stats.period import Period
from stats.scope import StatsUnit

logger = logging.getLogger(__name__)

# Raised when what a snapshot holds changes shape: older ones are then ignored.
FORMAT = 2
# A snapshot is kept this long after it was counted (served only while fresh,
# or while being counted again).
KEEP_SECONDS = 24 * 3600
# One request counts a unit again at a time; a count that dies leaves its lock
# for this long at most.
LOCK_SECONDS = 300
# PostgreSQL's memory for each sort and hash of a count (work_mem, 4 MB by
# default). The province's "served" sets (the year's attendance and visits,
# hundreds of thousands of ids) must fit in a hash, or PostgreSQL scans them
# again for every file: with 4 MB the province's category figures did not end
# within two minutes; with 256 MB they took 11 s (bench/scale_staff.py). Only
# for a count, one at a time per unit, inside its own transaction.
COUNT_WORK_MEM = "256MB"


@dataclass
class Snapshot:
    board: Dashboard
    counted_at: datetime.datetime
    seconds: float  # how long counting took
    live: bool = False  # counted by this very request

    @property
    def age(self) -> datetime.timedelta:
        return timezone.now() - self.counted_at


def max_age() -> int:
    return settings.STATS_SNAPSHOT_MAX_AGE


def _key(unit: StatsUnit, period: Period, today: datetime.date) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (
        f"stats-snapshot:{FORMAT}:{language}:{unit.key}:{period.slug}:"
        f"{today.isoformat()}"
    )


def _read(key: str) -> Snapshot | None:
    try:
        snapshot = cache.get(key)
    except Exception:  # a snapshot of older code that no longer unpickles
        logger.warning("stats snapshot %s unreadable; counting again", key)
        return None
    return snapshot if isinstance(snapshot, Snapshot) else None


def count(user, unit: StatsUnit, period: Period, *, today: datetime.date) -> Snapshot:
    """Count the unit now and keep the result."""
    key = _key(unit, period, today)
    started = time.perf_counter()
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic():  # SET LOCAL ends with it
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL work_mem = '{COUNT_WORK_MEM}'")
                board = build_dashboard(user, unit, period, today=today)
        else:
            board = build_dashboard(user, unit, period, today=today)
    finally:
        # Counted or failed, the next request may count it.
        cache.delete(f"{key}:lock")
    snapshot = Snapshot(
        board=board,
        counted_at=timezone.now(),
        seconds=round(time.perf_counter() - started, 1),
    )
    cache.set(key, snapshot, KEEP_SECONDS)
    snapshot.live = True
    return snapshot


def counting(unit: StatsUnit, period: Period, *, today: datetime.date) -> bool:
    """Whether a request is counting this unit and period again right now."""
    return cache.get(f"{_key(unit, period, today)}:lock") is not None


def dashboard_snapshot(
    user,
    unit: StatsUnit,
    period: Period,
    *,
    today: datetime.date | None = None,
    refresh: bool = False,
) -> Snapshot:
    """The dashboard of ``unit`` for ``period``: kept when the unit is wide and
    its snapshot fresh, counted now otherwise (see the module's docstring).
    ``refresh`` counts it again unless another request is doing so."""
    today = today or timezone.localdate()
    if not unit.wide:
        started = time.perf_counter()
        board = build_dashboard(user, unit, period, today=today)
        return Snapshot(
            board, timezone.now(), round(time.perf_counter() - started, 1), True
        )
    key = _key(unit, period, today)
    snapshot = _read(key)
    fresh = snapshot is not None and snapshot.age.total_seconds() < max_age()
    if snapshot is not None and fresh and not refresh:
        return snapshot
    if not cache.add(f"{key}:lock", 1, LOCK_SECONDS) and snapshot is not None:
        # Another request is counting it: the one kept will do meanwhile.
        return snapshot
    return count(user, unit, period, today=today)


def whole_reader():
    """Who counts outside a request (``refresh_stats``): one who reads every unit,
    as each reader of a wide unit reads all of it. Never saved."""
    from django.contrib.auth import get_user_model

    from stations.permissions import Scope

    user = get_user_model()(username="refresh_stats", is_superuser=True)
    user._portal_scope = Scope(is_superuser=True)
    return user
