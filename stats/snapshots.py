"""Snapshots of the dashboards of the province, each city and each county.

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

A county is kept too, by the same rules and one more: its reviewers expect an
approval to show at once, so its snapshot holds the fingerprint of the county's
reports of the period (how many, and when the latest of them changed:
``stats.reports.reports_fingerprint``, one indexed query on each read), and a
snapshot whose reports have changed since (a report filed, submitted,
approved, returned, edited or deleted) is counted again at once. The rest of its
figures (attendance, files, visits, cases, trainings, workers, stations) lag by
up to the maximum age, or until someone presses "重新统计". Counting a county
live takes 350–650 ms at full scale, nearly all of it in the people figures,
which look up each of its 25,000 files' visits and categories one by one (about
2 µs a look-up, four to seven of them a file; bench/README.md); read from the
snapshot, the page takes under 100 ms. ``refresh_stats`` does not count
counties: the first reader of the day counts it.

A station's dashboard, and a county read by someone who does not read all of it
(a supervisor reads its station reports only), are counted live on every
request: a station is small, and figures that depend on the reader are not
shared.

Who may read a snapshot: a wide unit is offered only to those who read all of it
(a superuser; a city's editors read the whole city, DESIGN.md §4), so its
figures are the same for each of them and one snapshot serves them all; a
county's is shared by those who read all of it (``reads_all``). The key
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

from stations.permissions import get_scope
from stats.dashboard import Dashboard, build_dashboard
from stats.period import Period
from stats.reports import reports_fingerprint
from stats.scope import StatsUnit

logger = logging.getLogger(__name__)

# Raised when what a snapshot holds changes shape: older ones are then ignored.
FORMAT = 3
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
    # A county's: its reports of the period when counted (reports_fingerprint).
    reports: tuple | None = None
    kept: bool = True  # False: counted for this reader alone, not kept

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


def reads_all(user, unit: StatsUnit) -> bool:
    """Whether ``user`` reads every report and station of ``unit``, so that its
    figures are the same for them as for everyone else who does and one
    snapshot serves them all. A wide unit is offered to no one else; a county
    is read whole by its reviewers, its city's editors and superusers, not by
    its supervisors (station reports only)."""
    if unit.wide:
        return True
    if unit.kind != "county":
        return False
    scope = get_scope(user)
    return (
        scope.is_superuser
        or unit.county.pk in scope.reviewer_counties
        or unit.county.city_id in scope.editor_cities
    )


def _fingerprint(user, unit: StatsUnit, period: Period):
    # Only a county's snapshot is counted again when its reports change: a
    # wide unit's reports change every minute somewhere.
    if unit.kind != "county":
        return None
    return reports_fingerprint(user, unit, period)


def count(
    user,
    unit: StatsUnit,
    period: Period,
    *,
    today: datetime.date,
    reports: tuple | None = None,
) -> Snapshot:
    """Count the unit now and keep the result. ``reports``: the county's
    fingerprint read just before (read here when not given); taken before
    counting, so that a report changed meanwhile makes the snapshot old."""
    key = _key(unit, period, today)
    started = time.perf_counter()
    try:
        if reports is None:
            reports = _fingerprint(user, unit, period)
        if unit.wide and connection.vendor == "postgresql":
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
        reports=reports,
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
    """The dashboard of ``unit`` for ``period``: kept when ``user`` reads all of
    the unit (``reads_all``) and its snapshot is fresh, counted now otherwise
    (see the module's docstring). ``refresh`` counts it again unless another
    request is doing so. A dashboard counted for this user alone has
    ``kept`` false."""
    today = today or timezone.localdate()
    if not reads_all(user, unit):
        started = time.perf_counter()
        board = build_dashboard(user, unit, period, today=today)
        return Snapshot(
            board=board,
            counted_at=timezone.now(),
            seconds=round(time.perf_counter() - started, 1),
            live=True,
            kept=False,
        )
    key = _key(unit, period, today)
    snapshot = _read(key)
    reports = _fingerprint(user, unit, period)
    fresh = (
        snapshot is not None
        and snapshot.age.total_seconds() < max_age()
        and snapshot.reports == reports
    )
    if snapshot is not None and fresh and not refresh:
        return snapshot
    if not cache.add(f"{key}:lock", 1, LOCK_SECONDS) and snapshot is not None:
        # Another request is counting it: the one kept will do meanwhile.
        return snapshot
    return count(user, unit, period, today=today, reports=reports)


def whole_reader():
    """Who counts outside a request (``refresh_stats``): one who reads every unit,
    as each reader of a wide unit reads all of it. Never saved."""
    from django.contrib.auth import get_user_model

    from stations.permissions import Scope

    user = get_user_model()(username="refresh_stats", is_superuser=True)
    user._portal_scope = Scope(is_superuser=True)
    return user
