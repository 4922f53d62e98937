"""Social workers, their login accounts and roles, and the reviewers and editors
who review and publish.

Every generated username starts with ``gen_`` (never one of the demo's names in
CONTRACT.md): ``gen_w<worker id>`` for a worker, ``gen_r<county code>`` for the
county reviewer, ``gen_e<city code>`` for the city editor. All share one
password, ``SCALE_PASSWORD``, hashed once, so benchmarks can log in as anyone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from stations.models import Role, RoleAssignment, SocialWorker

from . import text
from .plan import at

SCALE_PASSWORD = "scale-demo-2026"
QUALIFICATIONS = ("无", "无", "助理社会工作师", "助理社会工作师", "社会工作师")


@dataclass(frozen=True)
class People:
    """Where each station's workers and their accounts are: worker ``w`` of
    station ``s`` is ``worker_first + s * per_station + w``, and its account is
    ``user_first + s * per_station + w``."""

    per_station: int
    worker_first: int
    user_first: int
    reviewer_first: int  # + county index
    editor_first: int  # + city index

    def worker_id(self, station_index: int, w: int) -> int:
        return self.worker_first + station_index * self.per_station + w

    def user_id(self, station_index: int, w: int) -> int:
        return self.user_first + station_index * self.per_station + w


def _role_for(w: int) -> str:
    if w == 0:
        return Role.STATION_HEAD
    if w == 1:
        return Role.DEPUTY_HEAD
    return Role.SOCIAL_WORKER


def build_people(writer, ids, sizes, rng, net, today: datetime.date) -> People:
    User = get_user_model()
    per = sizes.workers_per_station
    stations = len(net.stations)
    user_first = ids.take(User, stations * per + len(net.counties) + len(net.cities))
    people = People(
        per_station=per,
        worker_first=ids.take(SocialWorker, stations * per),
        user_first=user_first,
        reviewer_first=user_first + stations * per,
        editor_first=user_first + stations * per + len(net.counties),
    )
    password = make_password(SCALE_PASSWORD)
    joined = at(today - datetime.timedelta(days=365 * sizes.years + 30), 9)
    users = writer.table(
        User,
        ("id", "password", "username", "first_name", "is_active", "date_joined"),
    )
    workers = writer.table(
        SocialWorker,
        (
            "id",
            "user_id",
            "real_name",
            "gender",
            "post_type",
            "qualification",
            "hire_date",
            "station_id",
            "phone",
            "status",
        ),
    )
    roles = writer.table(
        RoleAssignment,
        ("id", "user_id", "role", "city_id", "county_id", "station_id", "granted_at"),
    )
    role_id = ids.take(
        RoleAssignment, stations * per + len(net.counties) + len(net.cities)
    )

    def role(user_id, name, city=None, county=None, station=None):
        nonlocal role_id
        writer.add(roles, (role_id, user_id, name, city, county, station, joined))
        role_id += 1

    for station in net.stations:
        names = text.unique_names(rng, per, text.person_name)
        for w, name in enumerate(names):
            worker_id = people.worker_id(station.index, w)
            user_id = people.user_id(station.index, w)
            writer.add(
                users, (user_id, password, f"gen_w{worker_id}", name, True, joined)
            )
            writer.add(
                workers,
                (
                    worker_id,
                    user_id,
                    name,
                    "女" if rng.random() < 0.7 else "男",
                    "事务性" if w == 0 else "服务性",
                    rng.choice(QUALIFICATIONS),
                    today
                    - datetime.timedelta(days=rng.randrange(60, 365 * sizes.years)),
                    station.id,
                    text.mobile(rng),
                    "在岗" if rng.random() < 0.95 else "休假",
                ),
            )
            role(user_id, _role_for(w), station=station.id)
    for county in net.counties:
        user_id = people.reviewer_first + county.index
        name = text.person_name(rng)
        writer.add(
            users, (user_id, password, f"gen_r{county.code}", name, True, joined)
        )
        role(user_id, Role.COUNTY_REVIEWER, county=county.id)
    for city in net.cities:
        user_id = people.editor_first + city.index
        name = text.person_name(rng)
        writer.add(users, (user_id, password, f"gen_e{city.code}", name, True, joined))
        role(user_id, Role.CITY_EDITOR, city=city.id)
    return people
