"""The data of the statistics dashboard benchmark (bench/stats_dashboard.py):
one county made with bulk_create. Imported after django.setup()."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

D = datetime.date
YEAR = 2023
STATIONS = 15
VILLAGES_PER_TOWN = 15
FILES = 6000


def build(reports: int, seed: int = 8):
    """The county and its data, through bulk_create (roles through the
    service, so the scope module sees a real reviewer)."""
    from activities.models import (
        ActivityKind,
        ActivityReport,
        BeneficiaryCategory,
        Training,
        TrainingAttendance,
        TrainingSession,
    )
    from beneficiaries.models import Attendance, Beneficiary, Case, Visit
    from stations import services
    from stations.models import (
        City,
        County,
        Role,
        ServicePoint,
        SocialWorker,
        StandardsCheck,
        StandardsCheckItem,
        Station,
        Town,
        Village,
    )
    from stations.models.quality import Standard

    rng = random.Random(seed)
    city = City.objects.create(name="云浮市", code="445300")
    county = County.objects.create(
        city=city, name="罗定市", code="445381", kind="县级市", short_name="罗定"
    )
    other = County.objects.create(
        city=city, name="新兴县", code="445321", kind="县", short_name="新兴"
    )
    towns = Town.objects.bulk_create(
        [
            Town(county=county, name=f"第{n}镇", kind="镇", display_order=n)
            for n in range(STATIONS)
        ]
        + [Town(county=other, name="外县镇", kind="镇")]
    )
    stations = Station.objects.bulk_create(
        [
            Station(town=t, name=f"{t.name}社工站", opened_on=D(2021, 6, 1))
            for t in towns
        ]
    )
    villages = Village.objects.bulk_create(
        [
            Village(town=t, name=f"{t.name}{n}村")
            for t in towns[:STATIONS]
            for n in range(VILLAGES_PER_TOWN)
        ]
    )
    by_town = {}
    for v in villages:
        by_town.setdefault(v.town_id, []).append(v)
    ServicePoint.objects.bulk_create(
        [
            ServicePoint(station=s, village=by_town[s.town_id][n], name=f"点{n}")
            for s in stations[:STATIONS]
            for n in range(3)
        ]
    )
    workers = SocialWorker.objects.bulk_create(
        [
            SocialWorker(
                station=s,
                real_name=f"社工{s.pk}-{n}",
                gender="女",
                post_type=rng.choice(["事务性", "服务性"]),
                qualification=rng.choice(["无", "助理社会工作师", "社会工作师"]),
            )
            for s in stations
            for n in range(8)
        ]
    )
    checks = StandardsCheck.objects.bulk_create(
        [StandardsCheck(station=s, checked_on=D(YEAR, 3, 1)) for s in stations]
    )
    StandardsCheckItem.objects.bulk_create(
        [
            StandardsCheckItem(check_record=c, standard=v, met=rng.random() < 0.9)
            for c in checks
            for v in Standard.values
        ]
    )
    User = get_user_model()
    author = User.objects.create(username="bench-author")
    reviewer = User.objects.create(username="bench-reviewer")
    services.role_assign(user=reviewer, role=Role.COUNTY_REVIEWER, unit=county)

    kinds = list(ActivityKind.objects.all())
    own = stations[:STATIONS]
    rows, reached = [], []
    for n in range(reports):
        station = rng.choice(own)
        start = D(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        status = rng.choices(["approved", "submitted", "draft"], [90, 5, 5])[0]
        # Submitted in the month or up to ten days after its due date.
        month_end = D(start.year + start.month // 12, start.month % 12 + 1, 1)
        submitted = None
        if status != "draft":
            day = month_end + datetime.timedelta(days=rng.randrange(-5, 15))
            submitted = timezone.make_aware(
                datetime.datetime(day.year, day.month, day.day, 10)
            )
        village = rng.choice(by_town[station.town_id]) if rng.random() < 0.5 else None
        rows.append(
            ActivityReport(
                level="station",
                city=city,
                county=county,
                station=station,
                title=f"活动{n}",
                start_date=start,
                village=village,
                town_id=station.town_id,
                kind=rng.choice(kinds),
                person_times=rng.randrange(5, 300),
                households=rng.randrange(1, 60) if rng.random() < 0.7 else None,
                persons=rng.randrange(1, 200) if rng.random() < 0.8 else None,
                volunteers=rng.randrange(0, 10) if rng.random() < 0.3 else None,
                service_hours=Decimal(rng.randrange(1, 40)) / 2,
                body="",
                status=status,
                author=author,
                submitted_at=submitted,
            )
        )
    ActivityReport.objects.bulk_create(rows, batch_size=5000)
    through = ActivityReport.villages_reached.through
    for report in rows:
        for village in rng.sample(by_town[report.station.town_id], rng.randrange(0, 3)):
            reached.append(through(activityreport_id=report.pk, village_id=village.pk))
    through.objects.bulk_create(reached, batch_size=10000)

    categories = list(BeneficiaryCategory.objects.all())
    files = Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                station=(s := rng.choice(own)),
                name=f"示例{n}",
                gender="男",
                opened_on=D(YEAR - 1, 6, 1),
                village=rng.choice(by_town[s.town_id]),
            )
            for n in range(FILES)
        ],
        batch_size=5000,
    )
    Beneficiary.categories.through.objects.bulk_create(
        [
            Beneficiary.categories.through(
                beneficiary_id=f.pk, beneficiarycategory_id=c.pk
            )
            for f in files
            for c in rng.sample(categories, rng.randrange(1, 3))
        ],
        batch_size=10000,
    )
    approved_by_station = {}
    for report in rows:
        if report.status == "approved":
            approved_by_station.setdefault(report.station_id, []).append(report)
    attendance = set()
    for f in files:
        for report in rng.sample(approved_by_station[f.station_id], 3):
            attendance.add((report.pk, f.pk))
    Attendance.objects.bulk_create(
        [Attendance(report_id=r, beneficiary_id=b) for r, b in attendance],
        batch_size=10000,
    )
    Visit.objects.bulk_create(
        [
            Visit(
                beneficiary=f,
                date=D(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
                kind=rng.choice(["home", "phone", "office"]),
            )
            for f in files
            for _ in range(rng.randrange(0, 4))
        ],
        batch_size=10000,
    )
    worker_of = {}
    for w in workers:
        worker_of.setdefault(w.station_id, w)
    Case.objects.bulk_create(
        [
            Case(
                beneficiary=f,
                title="个案",
                worker=worker_of[f.station_id],
                status=(status := rng.choice(["open", "in_progress", "closed"])),
                opened_on=D(YEAR, rng.randrange(1, 13), 1),
                closed_on=D(YEAR, 12, 20) if status == "closed" else None,
                closing_summary="结案" if status == "closed" else "",
            )
            for f in files[::10]
        ]
    )
    training = Training.objects.create(title="系列培训", city=city)
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                training=training, date=D(YEAR, m, 10), topic=f"第{m}课", hours=3
            )
            for m in range(1, 13)
        ]
    )
    TrainingAttendance.objects.bulk_create(
        [
            TrainingAttendance(session=s, worker=w)
            for s in sessions
            for w in workers
            if rng.random() < 0.7
        ]
    )
    return reviewer, county
