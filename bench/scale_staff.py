"""Times the staff pages at province scale, each against a raw SQL baseline
measured in the same run, on a database ``generate_scale`` filled.

    .venv/bin/python bench/scale_staff.py \\
        --database-url postgres://postgres@127.0.0.1:5432/portal_scale [--runs 5]

It never creates or drops the database, and changes nothing in it: everything
runs inside one transaction that is rolled back at the end (the superuser it
needs, the sessions of the test client, the issue the assembly makes).

- report list and review queue: GET /staff/reports/ and /staff/review/ through
  the test client as the reviewer of the county with the most reports; the
  baseline is the page's rows (same filter, order and limit, with the unit's
  names joined) and their count, hand-written;
- issue assembly: ``issue_assemble`` for the city month with the most reports
  to assemble, as that city's editor, in a savepoint rolled back; the baseline
  inserts the same issue, its sections and one article per report with
  ``INSERT … SELECT``;
- statistics dashboard: GET /staff/stats/ (this year to date) for the
  county's reviewer, and for a superuser on the city with the most reports and
  on the province. All three are kept as snapshots (stats/snapshots.py): the
  page is timed as readers get it, from the snapshot (a county's checked
  against its reports on every read), and the count itself
  (``snapshots.count``: ``build_dashboard``, what ``refresh_stats``,
  "重新统计" and a changed report run) is timed on its own line. The baseline
  is the dashboard's aggregates as one ``UNION ALL`` statement
  (``stats_baseline.py``, for the city and the province too).

Each line prints the median ms of ``--runs`` (page and baseline interleaved),
the ratio, and the target: under 500 ms at full scale, under 200 ms for the
county's dashboard (what its reviewer opens most). ``--only`` runs some of the
lines (``lists``, ``assembly``, ``county``, ``wide``), to time one change
without waiting for the province's count.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

TARGET_MS = 500
COUNTY_DASHBOARD_MS = 200
PARTS = ("lists", "assembly", "county", "wide")
PAGE_SIZE = 30  # activities/views/reports.py


def medians_ms(functions, runs: int) -> list[float]:
    """Median time of each function, the runs interleaved so that load from
    other processes falls on all of them alike."""
    times = [[] for _ in functions]
    for _ in range(runs):
        for fn, bucket in zip(functions, times, strict=True):
            started = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - started) * 1000)
    return [statistics.median(bucket) for bucket in times]


def one(sql: str, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def rows(sql: str, params=()) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rolled_back(fn):
    """``fn`` in a savepoint that is rolled back: each run starts from the same
    state."""
    from django.db import transaction

    def call():
        with transaction.atomic():
            fn()
            transaction.set_rollback(True)

    return call


def get_ok(client, path: str, params=None):
    def call():
        response = client.get(path, params or {})
        assert response.status_code == 200, (path, response.status_code)

    return call


# The rows a report list shows: the report, its unit's names, kind and author.
LIST_SQL = """
SELECT a.id, a.title, a.start_date, a.end_date, a.status, a.level, a.submitted_at,
       ci.name, co.name, st.name, tw.name, k.name, u.username
FROM activities_activityreport a
JOIN stations_city ci ON ci.id = a.city_id
LEFT JOIN stations_county co ON co.id = a.county_id
LEFT JOIN stations_station st ON st.id = a.station_id
LEFT JOIN stations_town tw ON tw.id = st.town_id
JOIN activities_activitykind k ON k.id = a.kind_id
LEFT JOIN auth_user u ON u.id = a.author_id
WHERE {where} ORDER BY {order} LIMIT %s
"""


def list_baseline(where: str, order: str, params):
    def call():
        rows(LIST_SQL.format(where=where, order=order), [*params, PAGE_SIZE])
        one(f"SELECT count(*) FROM activities_activityreport a WHERE {where}", params)

    return call


def pick_county() -> tuple[int, int]:
    """The county with the most reports, and its reviewer."""
    county_id, _n = one(
        "SELECT county_id, count(*) FROM activities_activityreport "
        "WHERE county_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    )
    (user_id,) = one(
        "SELECT user_id FROM stations_roleassignment WHERE role = 'county_reviewer' "
        "AND county_id = %s ORDER BY id LIMIT 1",
        [county_id],
    )
    return county_id, user_id


def pick_assembly():
    """The city and month with the most approved reports no issue carries yet,
    the city's publication and its editor."""
    city_id, month, count = one(
        "SELECT city_id, date_trunc('month', start_date)::date, count(*) "
        "FROM activities_activityreport WHERE status = 'approved' "
        "AND published_at IS NULL GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1"
    )
    (publication_id,) = one(
        "SELECT id FROM newsletter_publication WHERE city_id = %s AND is_active "
        "ORDER BY id LIMIT 1",
        [city_id],
    )
    (editor_id,) = one(
        "SELECT user_id FROM stations_roleassignment WHERE role = 'city_editor' "
        "AND city_id = %s ORDER BY id LIMIT 1",
        [city_id],
    )
    end = (month + datetime.timedelta(days=31)).replace(day=1)
    end -= datetime.timedelta(days=1)
    return city_id, publication_id, editor_id, month, end, count


ASSEMBLY_SQL = """
INSERT INTO newsletter_article (issue_id, section_id, position, title, subtitle,
    body, source_report_id, county_id, station_id, source_title, source_subtitle,
    source_body, created_at, updated_at, search_text, search_grams)
SELECT %(issue)s, %(section)s, row_number() OVER (ORDER BY a.county_id, a.start_date,
    a.id), a.title, a.subtitle, a.body, a.id, a.county_id, a.station_id, a.title,
    a.subtitle, a.body, now(), now(), a.body, ''::tsvector
FROM activities_activityreport a
WHERE a.city_id = %(city)s AND a.status = 'approved' AND a.published_at IS NULL
  AND a.start_date BETWEEN %(start)s AND %(end)s
  AND NOT EXISTS (SELECT 1 FROM newsletter_article x JOIN newsletter_issue i
      ON i.id = x.issue_id WHERE x.source_report_id = a.id
      AND i.status = 'published')
"""


def assembly_baseline(publication_id, city_id, start, end):
    """The issue, its three sections and one article per report, in raw SQL."""

    def call():
        (issue,) = one(
            "INSERT INTO newsletter_issue (publication_id, year, status, created_at,"
            " updated_at, period_start, period_end, source, source_name,"
            " source_checksum, editor_note, revision) VALUES (%s, %s, 'draft', now(),"
            " now(), %s, %s, 'assembled', '', '', '', 0) RETURNING id",
            [publication_id, end.year, start, end],
        )
        section = None
        for position, title in enumerate(
            ("市级动态", "县（市、区）动态", "社工站（点）动态")
        ):
            (section,) = one(
                "INSERT INTO newsletter_section (issue_id, title, position, kind) "
                "VALUES (%s, %s, %s, '') RETURNING id",
                [issue, title, position + 1],
            )
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                ASSEMBLY_SQL,
                {
                    "issue": issue,
                    "section": section,
                    "city": city_id,
                    "start": start,
                    "end": end,
                },
            )

    return rolled_back(call)


def measure(label, page, base, runs, note="", target=TARGET_MS):
    """Prints one line against ``target`` ms (None: no target); a statement
    over the time limit (a plan gone wrong at scale) prints as such instead of
    stopping the run."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic():
            page(), base()  # warm: statement caches, imports, templates
            page_ms, base_ms = medians_ms((page, base), runs)
    except DatabaseError as exc:
        first = str(exc).splitlines()[0]
        print(f"{label:<34}  failed ({first}): MISSED{note}", flush=True)
        return label, None, None
    verdict = "met" if target is not None and page_ms < target else "MISSED"
    goal = f"< {target} ms: {verdict}" if target is not None else "no target"
    print(
        f"{label:<34}{page_ms:>9.0f}{base_ms:>10.0f}{page_ms / base_ms:>8.1f}"
        f"   {goal}{note}",
        flush=True,
    )
    return label, page_ms, base_ms


def run(runs: int, parts=PARTS) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone
    from stats_baseline import baseline, run_baseline

    from newsletter.models import Publication
    from newsletter.services.assembly import issue_assemble
    from stats.period import default_period
    from stats.scope import unit_options
    from stats.snapshots import count as count_snapshot

    user_model = get_user_model()
    (reports,) = one("SELECT count(*) FROM activities_activityreport")
    county_id, reviewer_id = pick_county()
    (county_reports,) = one(
        "SELECT count(*) FROM activities_activityreport WHERE county_id = %s",
        [county_id],
    )
    (biggest_city,) = one(
        "SELECT city_id FROM activities_activityreport GROUP BY 1 "
        "ORDER BY count(*) DESC LIMIT 1"
    )
    print(
        f"{reports:,} reports; county {county_id} ({county_reports:,} reports), "
        f"median of {runs}, ms"
    )
    print(f"{'':<34}{'page':>9}{'baseline':>10}{'ratio':>8}   target", flush=True)

    reviewer = Client()
    reviewer.force_login(user_model.objects.get(pk=reviewer_id))
    if "lists" in parts:
        in_county = "a.county_id = %s"
        measure(
            "report list (county reviewer)",
            get_ok(reviewer, "/staff/reports/"),
            list_baseline(in_county, "a.start_date DESC, a.id DESC", [county_id]),
            runs,
        )
        measure(
            "review queue (county reviewer)",
            get_ok(reviewer, "/staff/review/"),
            list_baseline(
                f"{in_county} AND a.level = 'station' AND a.status = 'submitted'",
                "a.submitted_at, a.id",
                [county_id],
            ),
            runs,
        )

    if "assembly" in parts:
        city_id, publication_id, editor_id, start, end, count = pick_assembly()
        publication = Publication.objects.get(pk=publication_id)
        editor = user_model.objects.get(pk=editor_id)
        measure(
            f"assembly ({count} reports, {start:%Y-%m})",
            rolled_back(
                lambda: issue_assemble(
                    publication=publication, start=start, end=end, by=editor
                )
            ),
            assembly_baseline(publication_id, city_id, start, end),
            runs,
        )

    today = timezone.localdate()
    period = default_period(today)
    if "county" in parts:
        county_sql = baseline(county_id, period, today)
        reviewer_user = user_model.objects.get(pk=reviewer_id)
        key = f"county:{county_id}"
        unit = next(u for u in unit_options(reviewer_user) if u.key == key)
        measure(
            "dashboard, county (snapshot)",
            get_ok(reviewer, "/staff/stats/", {"unit": key}),
            lambda: run_baseline(county_sql),
            runs,
            target=COUNTY_DASHBOARD_MS,
        )
        measure(
            "dashboard, county: counting",
            lambda: count_snapshot(reviewer_user, unit, period, today=today),
            lambda: run_baseline(county_sql),
            runs,
            note=" (a report changed, 重新统计, first of the day)",
            target=None,
        )
    if "wide" not in parts:
        return
    superuser = user_model.objects.create_superuser("bench-scale-superuser")
    admin = Client()
    admin.force_login(superuser)
    wide = [
        (
            f"city:{biggest_city}",
            "city",
            baseline(None, period, today, city_id=biggest_city),
        ),
        ("province", "province", baseline(None, period, today, province=True)),
    ]
    for key, name, sql in wide:
        unit = next(u for u in unit_options(superuser) if u.key == key)
        measure(
            f"dashboard, {name} (snapshot)",
            get_ok(admin, "/staff/stats/", {"unit": key}),
            lambda sql=sql: run_baseline(sql),
            runs,
        )
        measure(
            f"dashboard, {name}: counting",
            lambda unit=unit: count_snapshot(superuser, unit, period, today=today),
            lambda sql=sql: run_baseline(sql),
            max(1, runs // 2),
            note=" (refresh_stats, 重新统计; readers get the snapshot)",
            target=None,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="the generated database (default: DATABASE_URL)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        help="the lines to run (default: all)",
    )
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds allowed one statement"
    )
    args = parser.parse_args()
    if not (args.database_url or "").startswith("postgres"):
        sys.exit("Give --database-url of the PostgreSQL database generate_scale made.")
    os.environ["DATABASE_URL"] = args.database_url

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host and its response context
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [f"{args.timeout}s"])
        try:
            run(args.runs, args.only)
        finally:
            transaction.set_rollback(True)
    connection.close()


if __name__ == "__main__":
    main()
