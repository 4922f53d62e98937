"""Demo beneficiary files, visits, attendance and cases for the two stations with
demo accounts (安塘街道 and 富林镇), made through the services as their workers
would make them.

Everything is fictional and says so: every name starts with "演示·", and the ID
numbers are made up with a valid check digit (idcard.make_id_number) under the
stations' county codes. Visit dates are counted back from the day the demo is
loaded, so the overdue list always has something in it.

Idempotent: a file is keyed by its ID number; one that exists is left as it is
with its visits and cases, and attendance is recorded only on a report that has
none, so a rerun adds nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from activities.models import ActivityReport, BeneficiaryCategory, Level, Partner
from beneficiaries.models import Attendance, Beneficiary, Case, Visit
from beneficiaries.services import attendance, cases
from beneficiaries.services import files as services
from core.idcard import make_id_number
from stations.models import SocialWorker, Station, Village

D = datetime.date
Living = Beneficiary.Living


@dataclass(frozen=True)
class DemoFile:
    name: str
    gender: str
    birth: D
    sequence: int  # with the birth date and county code, makes the ID number
    categories: tuple[str, ...]
    living: str = ""
    guardian: tuple[str, str] = ("", "")  # name, relation
    village: str = ""  # a village of the seed, when the person lives in one
    address: str = "演示地址（虚构）"
    opened_days_ago: int = 300
    visits_days_ago: tuple[int, ...] = ()  # one home visit per entry
    case: str = ""  # the title of a case opened for the person
    attends: bool = False  # attends the station's demo reports


# (username, county, town, county code) of the stations that keep demo files.
STATIONS = {
    "worker": ("云城区", "安塘街道", "445302"),
    "worker_fulin": ("云安区", "富林镇", "445303"),
}

FILES = {
    "worker": [
        DemoFile(
            "演示·陈小明",
            "男",
            D(2017, 3, 12),
            15,
            ("困境儿童",),
            Living.GRANDPARENTS,
            ("演示·陈奶奶", "祖母"),
            village="都栗村",
            opened_days_ago=400,
            visits_days_ago=(200, 120, 12),
            case="演示·陈小明入园适应个案",
            attends=True,
        ),
        DemoFile(
            "演示·李晓雯",
            "女",
            D(2013, 8, 2),
            24,
            ("留守儿童",),
            Living.GRANDPARENTS,
            ("演示·李爷爷", "祖父"),
            village="都栗村",
            visits_days_ago=(95, 48),
            attends=True,
        ),
        DemoFile(
            "演示·黄嘉乐",
            "男",
            D(2011, 11, 20),
            37,
            ("事实无人抚养儿童", "困境儿童"),
            Living.RELATIVES,
            ("演示·黄姑姑", "姑母"),
            visits_days_ago=(70,),
            case="演示·黄嘉乐学业支持个案",
            attends=True,
        ),
        DemoFile(
            "演示·梁桂芳",
            "女",
            D(1941, 6, 9),
            42,
            ("独居/空巢老人",),
            Living.ALONE,
            visits_days_ago=(33, 5),
        ),
        DemoFile(
            "演示·何伯",
            "男",
            D(1946, 2, 27),
            51,
            ("独居/空巢老人", "特困人员"),
            Living.ALONE,
            opened_days_ago=90,
        ),
        DemoFile(
            "演示·张丽娟",
            "女",
            D(1978, 4, 18),
            62,
            ("重度残疾人",),
            Living.WITH_SPOUSE,
            visits_days_ago=(20,),
        ),
        DemoFile(
            "演示·吴志华",
            "男",
            D(1969, 10, 5),
            73,
            ("低保对象", "防止返贫监测对象"),
            Living.WITH_CHILDREN,
            visits_days_ago=(150,),
            case="演示·吴志华就业帮扶个案",
        ),
        DemoFile(
            "演示·林子涵",
            "女",
            D(2009, 1, 30),
            84,
            ("重点青少年",),
            Living.WITH_PARENTS,
            ("演示·林妈妈", "母亲"),
            visits_days_ago=(9,),
            attends=True,
        ),
    ],
    "worker_fulin": [
        DemoFile(
            "演示·罗婆婆",
            "女",
            D(1938, 12, 1),
            96,
            ("独居/空巢老人",),
            Living.ALONE,
            visits_days_ago=(40,),
        ),
        DemoFile(
            "演示·邓小宇",
            "男",
            D(2015, 7, 7),
            105,
            ("留守儿童",),
            Living.GRANDPARENTS,
            ("演示·邓奶奶", "祖母"),
            visits_days_ago=(15,),
        ),
        DemoFile(
            "演示·冯国栋",
            "男",
            D(1972, 9, 16),
            117,
            ("重度残疾人", "低保对象"),
            Living.WITH_SPOUSE,
            opened_days_ago=200,
        ),
    ],
}

CASE_NOTES = [
    (150, "首次入户评估：与服务对象及家人面谈，了解家庭情况和主要困难。"),
    (90, "联合村委干部再次上门，确定服务计划，家人表示配合。"),
    (20, "跟进：服务对象情况好转，继续每月走访。"),
]


@dataclass
class Outcome:
    files: int = 0
    visits: int = 0
    cases: int = 0
    attendance: int = 0
    existing: int = 0
    notes: list[str] = field(default_factory=list)


def _phone(sequence: int, guardian=False) -> str:
    # 13800/13900 numbers in a block no operator issues to anyone in the demo.
    return f"{139 if guardian else 138}0000{sequence:04d}"


def _open_file(spec: DemoFile, *, user, station, area, today, villages, categories):
    number = make_id_number(area, spec.birth, spec.sequence * 2 + (spec.gender == "男"))
    existing = Beneficiary.objects.filter(id_number=number).first()
    if existing is not None:
        return existing, False
    beneficiary = Beneficiary(
        name=spec.name,
        gender=spec.gender,
        id_number=number,
        phone=_phone(spec.sequence) if spec.birth.year < 2008 else "",
        village=villages.get(spec.village),
        address=spec.address,
        living_situation=spec.living,
        guardian_name=spec.guardian[0],
        guardian_relation=spec.guardian[1],
        guardian_phone=_phone(spec.sequence, guardian=True) if spec.guardian[0] else "",
        opened_on=today - datetime.timedelta(days=spec.opened_days_ago),
    )
    beneficiary = services.beneficiary_create(
        beneficiary=beneficiary,
        station=station,
        by=user,
        categories=[categories[n] for n in spec.categories],
    )
    return beneficiary, True


def _visits(spec, beneficiary, *, user, worker, today, outcome):
    for days in sorted(spec.visits_days_ago, reverse=True):
        services.visit_add(
            beneficiary=beneficiary,
            by=user,
            kind=Visit.Kind.HOME if days % 2 == 0 else Visit.Kind.PHONE,
            date=today - datetime.timedelta(days=days),
            worker=worker,
            notes="（演示）了解近况，生活基本稳定。",
            needs_found="（演示）需要关注学习和情绪。" if days > 60 else "",
        )
        outcome.visits += 1


def _case(spec, beneficiary, *, user, worker, today, partner):
    case = cases.case_open(
        case=Case(
            beneficiary=beneficiary,
            worker=worker,
            title=spec.case,
            opened_on=today - datetime.timedelta(days=160),
            assessment="（演示）家庭监护能力较弱，服务对象缺少陪伴和学习支持。",
            goals="（演示）改善生活和学习状况，链接社会资源。",
            plan="（演示）每月入户走访，联合村委和学校跟进，必要时转介。",
        ),
        by=user,
    )
    for days, text in CASE_NOTES:
        cases.case_note_add(
            case=case,
            by=user,
            text=f"（演示）{text}",
            date=today - datetime.timedelta(days=days),
        )
    if partner is not None:
        cases.referral_add(
            case=case,
            by=user,
            partner=partner,
            purpose="（演示）申请助学或救助政策支持。",
            referred_on=today - datetime.timedelta(days=60),
        )
    return case


def build_beneficiaries(reports=None, stdout=None) -> Outcome:
    """Add the demo files that are not there yet (see the module docstring)."""
    today = datetime.date.today()
    outcome = Outcome()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=list(STATIONS))
    }
    categories = {c.name: c for c in BeneficiaryCategory.objects.all()}
    partner = Partner.objects.filter(name="妇联").first()
    with transaction.atomic():
        for username, (county, town, area) in STATIONS.items():
            user = users.get(username)
            station = (
                Station.objects.with_place()
                .filter(town__county__name=county, town__name=town)
                .first()
            )
            if user is None or station is None:
                continue
            worker = SocialWorker.objects.filter(user=user).first()
            villages = {v.name: v for v in Village.objects.filter(town=station.town)}
            attending = []
            for spec in FILES[username]:
                beneficiary, new = _open_file(
                    spec,
                    user=user,
                    station=station,
                    area=area,
                    today=today,
                    villages=villages,
                    categories=categories,
                )
                if spec.attends and beneficiary.station_id == station.pk:
                    attending.append(beneficiary)
                if not new:
                    outcome.existing += 1
                    continue
                outcome.files += 1
                _visits(
                    spec,
                    beneficiary,
                    user=user,
                    worker=worker,
                    today=today,
                    outcome=outcome,
                )
                if spec.case and worker is not None:
                    _case(
                        spec,
                        beneficiary,
                        user=user,
                        worker=worker,
                        today=today,
                        partner=partner,
                    )
                    outcome.cases += 1
            outcome.attendance += _attend(station, user, attending)
    if stdout is not None:
        stdout.write(
            f"服务对象档案（演示）：新增 {outcome.files} 份，已有 {outcome.existing} 份；"
            f"走访 {outcome.visits} 次，个案 {outcome.cases} 个，"
            f"活动参与登记 {outcome.attendance} 人次。"
        )
    return outcome


def _attend(station, user, attending) -> int:
    """Record the attending files on the station's first two demo reports, once:
    a station that has attendance on any report is left as it is."""
    if not attending or Attendance.objects.filter(report__station=station).exists():
        return 0
    added = 0
    reports = ActivityReport.objects.filter(level=Level.STATION, station=station)
    for report in reports.order_by("start_date", "pk")[:2]:
        added += attendance.attendance_set(
            report=report, beneficiaries=attending, by=user
        )
    return added
