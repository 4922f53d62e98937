"""Times the beneficiary spreadsheet import (the real path: CSV read, every row
validated, duplicates checked, written through the service) against a bare
``bulk_create`` of the same rows in the same run, and prints rows per second and
the ratio.

    .venv/bin/python bench/beneficiary_import.py [--rows 20000] [--runs 3]

Runs in a throwaway test database (SQLite in memory by default; set
DATABASE_URL=postgres://... to time PostgreSQL; a test_… database is created and
dropped), with DEBUG off as in production. Each run is rolled back, so every run
imports into the same state. The import pauses Python's cycle collector; a last
line gives, for reference, the ratio against a bulk_create paused the same way.
"""

import argparse
import csv
import datetime
import io
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
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from beneficiaries.services.imports import cyclic_gc_paused  # noqa: E402

TARGET_RATIO = 0.6
HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "联系电话",
    "镇（街道）",
    "村（居）",
    "详细地址",
    "服务对象类别",
    "居住情况",
    "监护人姓名",
    "与监护人关系",
    "监护人电话",
    "建档日期",
]
CATEGORIES = ["困境儿童", "留守儿童", "独居/空巢老人", "低保对象", "重度残疾人"]
LIVING = ["隔代抚养", "独居", "与父母同住", "与子女同住"]


class Rollback(Exception):
    pass


def build_network():
    from stations import services as station_services
    from stations.models import City, County, Role, Station, Town, Village

    city = City.objects.create(name="示例市", code="449900")
    county = County.objects.create(
        city=city, name="示例区", code="449901", kind="区", short_name="示例"
    )
    town = Town.objects.create(county=county, name="示例镇", kind="镇")
    station = Station.objects.create(town=town)
    villages = [Village(town=town, name=f"示例{i}村") for i in range(40)]
    Village.objects.bulk_create(villages)
    user = get_user_model().objects.create_user("bench", password="x")
    station_services.role_assign(user=user, role=Role.SOCIAL_WORKER, unit=station)
    return Station.objects.with_place().get(pk=station.pk), user


def make_rows(n):
    from core.idcard import make_id_number

    rows = []
    for i in range(n):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=(i * 7) % 29000)
        male = i % 2 == 0
        sequence = (i % 500) * 2 + (1 if male else 0)
        # A distinct area code per block of 500 keeps every number unique.
        area = f"44{(i // 500) % 100:02d}{(i // 50000) % 100:02d}"
        rows.append(
            [
                f"演示{i:05d}号",
                "男" if male else "女",
                birth.isoformat(),
                make_id_number(area, birth, sequence),
                f"138{i:08d}",
                "示例镇",
                f"示例{i % 40}村",
                f"示例路{i}号",
                CATEGORIES[i % len(CATEGORIES)],
                LIVING[i % len(LIVING)],
                f"演示监护人{i:05d}" if i % 3 == 0 else "",
                "祖母" if i % 3 == 0 else "",
                f"139{i:08d}" if i % 3 == 0 else "",
                "2023-03-01",
            ]
        )
    return rows


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def run_bulk_create(station, user, rows):
    """The baseline: the same rows as typed objects straight into bulk_create,
    with their category links; no parsing, no validation."""
    from activities.models import BeneficiaryCategory
    from beneficiaries.models import Beneficiary
    from stations.models import Village

    villages = {v.name: v for v in Village.objects.filter(town=station.town)}
    categories = {c.name: c.pk for c in BeneficiaryCategory.objects.all()}
    objs = [
        Beneficiary(
            station=station,
            name=r[0],
            gender=r[1],
            birth_date=datetime.date.fromisoformat(r[2]),
            id_number=r[3],
            phone=r[4],
            village=villages[r[6]],
            address=r[7],
            living_situation=r[9],
            guardian_name=r[10],
            guardian_relation=r[11],
            guardian_phone=r[12],
            opened_on=datetime.date.fromisoformat(r[13]),
            created_by=user,
        )
        for r in rows
    ]
    created = Beneficiary.objects.bulk_create(objs, batch_size=1000)
    through = Beneficiary.categories.through
    through.objects.bulk_create(
        [
            through(beneficiary_id=b.pk, beneficiarycategory_id=categories[r[8]])
            for b, r in zip(created, rows, strict=True)
        ],
        batch_size=2000,
    )
    return len(created)


def run_import(station, user, data, *, dry_run=False):
    from beneficiaries.services.imports import import_files
    from core.sheets import read_dataset

    dataset = read_dataset("files.csv", data)
    report = import_files(dataset, user=user, station=station, dry_run=dry_run)
    if not report.ok:
        problems = report.file_errors or [
            f"line {r.line}: {r.errors}" for r in report.error_rows[:5]
        ]
        raise SystemExit(f"import refused the bench file: {problems}")
    return len(report.rows)


def settle():
    """On PostgreSQL, clear the dead rows the previous run's rollback left: each
    run inserts the same ID numbers, and a unique index full of dead entries for
    them slows whichever run comes next, more with every run."""
    if connection.vendor != "postgresql":
        return
    from beneficiaries.models import Beneficiary

    tables = [Beneficiary._meta.db_table, Beneficiary.categories.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(tables)}")


def timed_rolled_back(fn, *args, **kwargs):
    settle()
    start = time.perf_counter()
    try:
        with transaction.atomic():
            count = fn(*args, **kwargs)
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return elapsed, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    # DEBUG off, as in production and under the test runner: with it on,
    # Django keeps the text of every query, and quoting 20,000 rows of INSERT
    # parameters costs both sides the same seconds, which hides the difference.
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        station, user = build_network()
        rows = make_rows(args.rows)
        data = csv_bytes(rows)
        print(
            f"{connection.vendor}, {args.rows} rows ({len(data) / 1e6:.1f} MB CSV), "
            f"{args.runs} runs each, medians"
        )
        print(f"target: import rate >= {TARGET_RATIO} x bulk_create rate")
        baseline, baseline_no_gc, real, dry = [], [], [], []
        for _ in range(args.runs):
            baseline.append(timed_rolled_back(run_bulk_create, station, user, rows)[0])
            with cyclic_gc_paused():
                baseline_no_gc.append(
                    timed_rolled_back(run_bulk_create, station, user, rows)[0]
                )
            real.append(timed_rolled_back(run_import, station, user, data)[0])
            dry.append(
                timed_rolled_back(run_import, station, user, data, dry_run=True)[0]
            )
        b, g, r, d = (
            statistics.median(x) for x in (baseline, baseline_no_gc, real, dry)
        )
        n = args.rows
        print(f"bulk_create baseline: {b:.2f} s, {n / b:,.0f} rows/s")
        print(f"import (CSV read, validate, write): {r:.2f} s, {n / r:,.0f} rows/s")
        print(f"dry run (the preview, no write): {d:.2f} s, {n / d:,.0f} rows/s")
        ratio = (n / r) / (n / b)
        verdict = "within target" if ratio >= TARGET_RATIO else "UNDER TARGET"
        print(f"ratio import/bulk_create: {ratio:.2f}: {verdict}")
        # The import pauses the cycle collector (cyclic_gc_paused); a bare
        # bulk_create given the same pause is the stricter comparison.
        print(
            f"for reference, bulk_create with the cycle collector paused too: "
            f"{g:.2f} s, {n / g:,.0f} rows/s; ratio {(n / r) / (n / g):.2f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
