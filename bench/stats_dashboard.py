"""Times the statistics dashboard of one county holding many reports against the
same aggregates written by hand as one raw SQL statement, in the same run, and
prints the ratio.

    .venv/bin/python bench/stats_dashboard.py [--reports 100000] [--runs 5]

The data is made in a throwaway test database (SQLite in memory by default;
PostgreSQL when DATABASE_URL points at a server, as ``test_<name>``), with
bulk_create: one county of 15 stations and 225 villages, ``--reports`` reports
over one year (approved, waiting and drafts; on time and late; each reaching a
village or two), 6,000 beneficiary files with attendance, visits and cases,
workers, trainings and six-standard checks. Both sides then compute, for the
county's reviewer and the year: report sums by month and kind and by station,
villages reached, timeliness by station and month with the late reports,
stations with points, workers and six-standard status, workers by post and
qualification, training totals and by station, and the people figures. The
dashboard side is ``stats.dashboard.build_dashboard`` (its selectors and the
tables and charts it builds from them); the baseline is one UNION ALL
statement whose rows are not even arranged. The ratio, not the milliseconds,
is what to compare between machines.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from stats_baseline import baseline, run_baseline  # noqa: E402
from stats_data import FILES, STATIONS, YEAR, D, build  # noqa: E402

TARGET_RATIO = 1.5


def medians_ms(functions, runs):
    """Median time of each function, the runs interleaved so that load from
    other processes falls on all of them alike."""
    times = [[] for _ in functions]
    for _ in range(runs):
        for fn, bucket in zip(functions, times, strict=True):
            start = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - start) * 1000)
    return [statistics.median(bucket) for bucket in times]


def run(args):
    from stats.dashboard import build_dashboard
    from stats.period import Period
    from stats.scope import resolve_unit, unit_options

    started = time.perf_counter()
    reviewer, county = build(args.reports)
    print(
        f"{connection.vendor}: {args.reports:,} reports, {FILES:,} files in one county "
        f"of {STATIONS} stations, made in {time.perf_counter() - started:.0f} s"
    )
    period = Period(D(YEAR, 1, 1), D(YEAR, 12, 1))
    today = D(YEAR + 1, 1, 20)
    options = unit_options(reviewer)
    unit, _error = resolve_unit(reviewer, "", options)
    assert unit.county == county

    def dashboard():
        # A fresh user object each time: the scope is cached on the user.
        user = get_user_model().objects.get(pk=reviewer.pk)
        return build_dashboard(user, unit, period, today=today)

    statement = baseline(county.pk, period, today)

    def raw():
        return run_baseline(statement)

    # Warm both (statement caches, imports) and check they agree on the totals.
    board = dashboard()
    rows = raw()
    total = next(t for t in board.tables if t.key == "by_month").total
    raw_reports = sum(r[3] for r in rows if r[0] == "month_kind")
    raw_pt = sum(r[4] for r in rows if r[0] == "month_kind")
    assert (total[1], total[2]) == (raw_reports, raw_pt), (total, raw_reports, raw_pt)
    print(f"both count {raw_reports:,} approved reports, {raw_pt:,} person-times")

    orm, base = medians_ms((dashboard, raw), args.runs)
    ratio = orm / base
    print(
        f"{args.runs} runs each, medians: one raw SQL statement {base:.0f} ms, "
        f"dashboard selectors {orm:.0f} ms, ratio {ratio:.2f}"
    )
    verdict = "within target" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"target: ratio <= {TARGET_RATIO}: {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
