"""Beneficiary files, their categories and their visit logs.

ID numbers are valid GB 11643 numbers under the county's division code, and
unique by construction rather than by checking: the i-th file of a county gets
birth day ``(i * STEP) mod DAYS`` of the birth range and a sequence number that
differs for every i sharing that day. Sequences start at 500, above the demo's
hand-written ones, so loading the demo next to generated data cannot clash.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from activities.models import BeneficiaryCategory
from beneficiaries.models import Beneficiary, Visit
from core.idcard import check_digit

from . import text
from .plan import at

BIRTH_FIRST = datetime.date(1930, 1, 1)
BIRTH_DAYS = (datetime.date(2022, 12, 31) - BIRTH_FIRST).days + 1
STEP = next(n for n in range(7919, 9000) if math.gcd(n, BIRTH_DAYS) == 1)
SEQUENCE_FIRST = 500
SEQUENCE_SLOTS = 250  # pairs of sequence numbers (odd: men, even: women)
CHILD_CATEGORIES = ("困境儿童", "留守儿童", "事实无人抚养儿童", "孤儿", "未成年人")
ELDER_CATEGORIES = ("独居/空巢老人", "老年人", "特困人员", "低保对象")
ADULT_CATEGORIES = ("重度残疾人", "低保对象", "防止返贫监测对象", "特困人员")
YOUTH_CATEGORIES = ("重点青少年", "困境儿童")
CHILD_LIVING = ("隔代抚养", "与父母同住", "亲属抚养")
ELDER_LIVING = ("独居", "与配偶同住", "与子女同住", "机构供养")
GUARDIANS = ("祖母", "祖父", "母亲", "父亲", "姑姑")
CLOSING = (("moved", "迁往外地居住"), ("closed", "情况好转，结束跟踪服务"))


@dataclass(frozen=True)
class Files:
    """Beneficiary ``j`` of station ``s`` is ``first + s * per_station + j``."""

    first: int
    per_station: int

    def id(self, station_index: int, j: int) -> int:
        return self.first + station_index * self.per_station + j


def id_number(area: str, i: int, male: bool) -> tuple[str, datetime.date]:
    """The ID number and birth date of a county's i-th generated file."""
    birth = BIRTH_FIRST + datetime.timedelta(days=(i * STEP) % BIRTH_DAYS)
    slot = (i // BIRTH_DAYS + birth.toordinal()) % SEQUENCE_SLOTS
    if i // BIRTH_DAYS >= SEQUENCE_SLOTS:
        raise ValueError("too many beneficiaries in one county for unique ID numbers")
    sequence = SEQUENCE_FIRST + 2 * slot + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17), birth


def _categories(age: int) -> tuple[str, ...]:
    if age < 14:
        return CHILD_CATEGORIES
    if age < 18:
        return YOUTH_CATEGORIES
    if age >= 60:
        return ELDER_CATEGORIES
    return ADULT_CATEGORIES


def build_beneficiaries(writer, ids, sizes, rng, net, people, calendar) -> Files:
    per = sizes.beneficiaries_per_station
    stations = net.stations
    files = Files(ids.take(Beneficiary, len(stations) * per), per)
    category_ids = dict(BeneficiaryCategory.objects.values_list("name", "id"))
    today = calendar.today
    beneficiaries = writer.table(
        Beneficiary,
        (
            "id",
            "station_id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "village_id",
            "address",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "living_situation",
            "opened_on",
            "status",
            "status_reason",
            "status_changed_on",
            "created_by_id",
            "created_at",
            "updated_at",
        ),
    )
    through = Beneficiary.categories.through
    categories = writer.table(
        through, ("id", "beneficiary_id", "beneficiarycategory_id")
    )
    category_row = ids.take(through, len(stations) * per * 2)
    visits = writer.table(
        Visit,
        (
            "id",
            "beneficiary_id",
            "date",
            "kind",
            "worker_id",
            "notes",
            "needs_found",
            "follow_up_due",
            "created_by_id",
            "created_at",
        ),
    )
    visit_id = ids.take(Visit, len(stations) * per * sizes.visits_per_beneficiary)
    in_county: dict[int, int] = {}
    span = min(365 * sizes.years, calendar.span_days) - 30
    for station in stations:
        area = station.county.code
        for j in range(per):
            i = in_county.get(area_key := station.county.id, 0)
            in_county[area_key] = i + 1
            male = rng.random() < 0.5
            number, birth = id_number(area, i, male)
            age = today.year - birth.year
            opened = today - datetime.timedelta(days=30 + rng.randrange(max(span, 1)))
            if opened <= birth:  # a file opened for a child born since
                opened = min(birth + datetime.timedelta(days=90), today)
            w = rng.randrange(people.per_station)
            user_id = people.user_id(station.index, w)
            minor = age < 18
            status, reason, changed = "active", "", None
            if rng.random() < 0.08:
                status, reason = CLOSING[rng.random() < 0.4]
                changed = opened + datetime.timedelta(days=rng.randrange(1, 400))
                changed = min(changed, today)
            created = at(opened, 9, rng.randrange(60))
            bid = files.id(station.index, j)
            writer.add(
                beneficiaries,
                (
                    bid,
                    station.id,
                    text.person_name(rng),
                    "男" if male else "女",
                    birth,
                    number,
                    "" if minor else text.mobile(rng),
                    rng.choice(station.village_ids) if station.village_ids else None,
                    f"{station.town_name}{rng.randrange(1, 200)}号",
                    text.person_name(rng) if minor else "",
                    rng.choice(GUARDIANS) if minor else "",
                    text.mobile(rng) if minor else "",
                    rng.choice(CHILD_LIVING if minor else ELDER_LIVING),
                    opened,
                    status,
                    reason,
                    changed,
                    user_id,
                    created,
                    created,
                ),
            )
            pool = _categories(age)
            chosen = {pool[0] if rng.random() < 0.5 else rng.choice(pool)}
            if rng.random() < 0.3:
                chosen.add(rng.choice(pool))
            for name in chosen:
                if name in category_ids:
                    writer.add(categories, (category_row, bid, category_ids[name]))
                    category_row += 1
            for _ in range(sizes.visits_per_beneficiary):
                day = opened + datetime.timedelta(
                    days=rng.randrange(max((today - opened).days, 1))
                )
                writer.add(
                    visits,
                    (
                        visit_id,
                        bid,
                        day,
                        "home" if rng.random() < 0.7 else "phone",
                        people.worker_id(station.index, w),
                        rng.choice(text.VISIT_NOTES),
                        rng.choice(text.NEEDS),
                        None,
                        user_id,
                        at(day, 17, rng.randrange(60)),
                    ),
                )
                visit_id += 1
    return files
