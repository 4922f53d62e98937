"""The demo network: Yunfu's divisions, the seed's villages, one station per town,
service points, social workers, the demo users and their roles, six-standard
checks, a supervision visit and commendations, all taken from the seed issue
where it says something. Idempotent: a rerun changes nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import tablib
from django.contrib.auth import get_user_model
from django.db import transaction

from . import services
from .models import (
    City,
    Commendation,
    County,
    FollowUpItem,
    Role,
    ServicePoint,
    SocialWorker,
    Standard,
    StandardsCheck,
    StandardsCheckItem,
    Station,
    SupervisionVisit,
    Town,
    Village,
)
from .resources import VillageResource

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "yunfu-demo-2023"

# (username, real name, gender, role, scope kind, scope name, station town or None)
DEMO_USERS = [
    ("editor", "周文静", "女", Role.CITY_EDITOR, "city", "云浮市"),
    ("reviewer", "陈志建", "男", Role.COUNTY_REVIEWER, "county", "云城区"),
    ("reviewer_yunan", "黎国强", "男", Role.COUNTY_REVIEWER, "county", "郁南县"),
    ("supervisor", "何丽君", "女", Role.SUPERVISOR, "county", "云城区"),
    ("head", "李慧敏", "女", Role.STATION_HEAD, "station", ("云城区", "安塘街道")),
    ("worker", "黄晓婷", "女", Role.SOCIAL_WORKER, "station", ("云城区", "安塘街道")),
    (
        "worker_fulin",
        "梁志强",
        "男",
        Role.SOCIAL_WORKER,
        "station",
        ("云安区", "富林镇"),
    ),
]

# Service points named or implied by the seed: (county, town, village, point name).
DEMO_POINTS = [
    ("云城区", "安塘街道", "都栗村", "都栗服务点"),
    ("新兴县", "六祖镇", "夏卢村", "夏卢服务点"),
    ("罗定市", "泗纶镇", "高和村", "高和服务点"),
    ("郁南县", "平台镇", "古勉村", "古勉服务点"),
    ("郁南县", "平台镇", "万洞村", "万洞服务点"),
    ("郁南县", "平台镇", "平台村", "平台服务点"),
]

SURNAMES = "陈李黄梁何张吴林罗刘邓冯"
GIVEN = [
    "晓琳",
    "嘉欣",
    "伟明",
    "丽华",
    "志豪",
    "美玲",
    "俊杰",
    "婉婷",
    "家豪",
    "秀英",
    "文浩",
    "倩仪",
]


def _workers_for(index: int, town_name: str):
    """Four deterministic workers a station: one administrative post, three
    service posts, a mix of qualifications."""
    quals = [
        SocialWorker.Qualification.ASSISTANT,
        SocialWorker.Qualification.NONE,
        SocialWorker.Qualification.SOCIAL_WORKER,
        SocialWorker.Qualification.NONE,
    ]
    for n in range(4):
        surname = SURNAMES[(index + n) % len(SURNAMES)]
        given = GIVEN[(index * 3 + n) % len(GIVEN)]
        yield {
            "real_name": f"{surname}{given}",
            "gender": "女" if (index + n) % 3 else "男",
            "post_type": SocialWorker.PostType.ADMINISTRATIVE
            if n == 0
            else SocialWorker.PostType.SERVICE,
            "qualification": quals[n],
            "hire_date": datetime.date(2021, 1 + (index + n) % 12, 1 + n),
        }


def load_divisions():
    rows = services.divisions_read_csv((DATA_DIR / "yunfu_divisions.csv").read_bytes())
    result = services.divisions_load(rows=rows)
    if not result.ok:
        raise RuntimeError(result.errors)
    return result


def load_villages():
    dataset = tablib.Dataset().load(
        (DATA_DIR / "yunfu_villages_in_seed.csv").read_text(encoding="utf-8"),
        format="csv",
    )
    result = VillageResource().import_data(dataset, dry_run=False, raise_errors=True)
    return result


def _town(county: str, town: str) -> Town:
    return Town.objects.get(county__name=county, name=town)


def build_network(stdout=None) -> dict:
    def say(message):
        if stdout is not None:
            stdout.write(message)

    with transaction.atomic():
        say(load_divisions().summary())
        load_villages()
        city = City.objects.get(code="445300")

        # One station per town.
        towns = list(Town.objects.filter(county__city=city).select_related("county"))
        existing = set(
            Station.objects.filter(town__in=towns).values_list("town_id", flat=True)
        )
        Station.objects.bulk_create(
            [
                Station(
                    town=town,
                    name=f"{town.name}社工站",
                    address=f"{town.county.name}{town.name}社会工作服务站",
                    opened_on=datetime.date(2021, 6, 1),
                )
                for town in towns
                if town.pk not in existing
            ]
        )
        stations = {
            (s.town.county.name, s.town.name): s
            for s in Station.objects.filter(town__county__city=city).select_related(
                "town__county"
            )
        }
        Station.objects.filter(pk=stations[("云城区", "安塘街道")].pk).update(
            publish_head_name=True, phone="0766-8888001"
        )

        for county, town, village, name in DEMO_POINTS:
            station = stations[(county, town)]
            ServicePoint.objects.get_or_create(
                station=station,
                name=name,
                defaults={
                    "village": Village.objects.get(town=station.town, name=village)
                },
            )

        # Social workers: four per station.
        have = set(SocialWorker.objects.values_list("station_id", "real_name"))
        new_workers = []
        for index, station in enumerate(
            sorted(
                stations.values(),
                key=lambda s: (s.town.county.display_order, s.town.display_order),
            )
        ):
            for data in _workers_for(index, station.town.name):
                if (station.pk, data["real_name"]) not in have:
                    new_workers.append(SocialWorker(station=station, **data))
                    have.add((station.pk, data["real_name"]))
        SocialWorker.objects.bulk_create(new_workers)

        _demo_users(city, stations)
        _standards_and_supervision(city, stations)
    return stations


def _demo_users(city, stations):
    User = get_user_model()
    admin, _created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "first_name": "管理员"},
    )
    admin.is_staff = admin.is_superuser = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    for username, real_name, gender, role, kind, unit_name in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.first_name = real_name
        # An address, so the demo's notifications are e-mailed too (the
        # embedded mode's console backend prints them).
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.save()
        if kind == "city":
            unit = city
        elif kind == "county":
            unit = County.objects.get(city=city, name=unit_name)
        else:
            unit = stations[unit_name]
            SocialWorker.objects.update_or_create(
                station=unit,
                real_name=real_name,
                defaults={
                    "user": user,
                    "gender": gender,
                    "post_type": SocialWorker.PostType.SERVICE,
                    "qualification": SocialWorker.Qualification.ASSISTANT,
                    "hire_date": datetime.date(2021, 7, 1),
                },
            )
        services.role_assign(user=user, role=role, unit=unit)


def _standards_and_supervision(city, stations):
    # The seed: every 云城区 station meets the six standards. Elsewhere, a few
    # stations are still short of one or two.
    shortfalls = {
        ("新兴县", "六祖镇"): {Standard.EQUIPMENT},
        ("郁南县", "河口镇"): {Standard.PROCESS, Standard.RULES},
    }
    checked_on = datetime.date(2023, 2, 20)
    for key, station in stations.items():
        if key[0] != "云城区" and key not in shortfalls:
            continue
        check, created = StandardsCheck.objects.get_or_create(
            station=station,
            checked_on=checked_on,
            defaults={"note": "2023年第一季度检查"},
        )
        if created:
            StandardsCheckItem.objects.bulk_create(
                [
                    StandardsCheckItem(
                        check_record=check,
                        standard=value,
                        met=value not in shortfalls.get(key, set()),
                        note=""
                        if value not in shortfalls.get(key, set())
                        else "尚需完善",
                    )
                    for value, _label in Standard.choices
                ]
            )

    # 新兴县: the supervision visit of 3 March 2023 to 六祖镇 (seed, county news).
    visit, created = SupervisionVisit.objects.get_or_create(
        station=stations[("新兴县", "六祖镇")],
        visited_on=datetime.date(2023, 3, 2),
        defaults={
            "other_participants": "新兴县民政局副局长邓冠恒、业务股室",
            "findings": "站点设备设施尚未完善；社工个案服务记录不够规范。",
            "requirements": "加快推动站点建设，完善设备设施，做好运行保障；加强社工业务能力建设。",
        },
    )
    if created:
        FollowUpItem.objects.bulk_create(
            [
                FollowUpItem(
                    visit=visit,
                    description="配齐站点办公设备",
                    due_on=datetime.date(2023, 4, 30),
                ),
                FollowUpItem(
                    visit=visit,
                    description="规范个案服务记录",
                    due_on=datetime.date(2023, 3, 31),
                    status=FollowUpItem.Status.DONE,
                    done_on=datetime.date(2023, 3, 28),
                ),
            ]
        )
        supervisor = get_user_model().objects.filter(username="supervisor").first()
        if supervisor:
            visit.supervisors.add(supervisor)

    # 云城区: nine 2022 优秀社工 (seed, county news).
    workers = SocialWorker.objects.filter(
        station__town__county__name="云城区"
    ).order_by("pk")[:9]
    for worker in workers:
        Commendation.objects.get_or_create(
            worker=worker,
            year=2022,
            title="优秀社工",
            defaults={"awarded_by": "云城区民政局"},
        )
