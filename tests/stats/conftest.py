"""A small network with known reports, villages, workers, trainings and checks,
built through the services, whose figures the tests work out by hand.

Period: January to March 2023; "today" is 2023-04-20, so all three months are
past their due day (the 5th of the next month). County A1 has stations a1
(东镇) and a1b (西镇); county A2 has a2 (南镇); city B has b1.

==========  ======  ==========  ===========  ===  ===  ====  =====================
report      unit    month       status       人次  户   人    villages / submitted
==========  ======  ==========  ===========  ===  ===  ====  =====================
r1 宣传      a1      2023-01-10  approved     100  20   50    reached 东村, 北村; 01-15
r2 入户走访  a1      2023-01-20  approved     30   –    30    in 中村; 02-05 23:00
r3 社区活动  a1      2023-02-03  approved     200  40   –     reached 东村; 03-06 09:00
r4 宣传      a1      2023-02-14  submitted    999  –    –     02-20
r5 宣传      a1      2023-03-01  draft        500  –    –     –
r6 宣传      a1b     2023-01-05  approved     10   5    10    in 西村; 01-06
r7 宣传      a1b     2023-03-15  returned     70   –    –     03-16
r8 宣传      a2      2023-01-08  approved     1000 300  800   in 南村; 01-09
r9 会议      A1 局   2023-02-01  approved     60   –    –     02-02
r10 培训     A 市局  2023-03-02  approved     500  –    –     03-03
r11 宣传     b1      2023-01-12  approved     7    –    –     01-13
r12 宣传     a1      2022-12-30  approved     40   –    –     outside the period
==========  ======  ==========  ===========  ===  ===  ====  =====================

Villages: 东镇 has 东村, 北村, 中村, 上村 and the village of its service point
(5); 西镇 has 西村, 下村 (2); 南镇 has 南村 and its service point's village (2).
"""

import datetime
from types import SimpleNamespace

import pytest

from stations import services as station_services
from stations.models import Role
from stats.period import Period
from tests import factories
from tests.report_fixtures import at

# The network and people fixtures live in their own module to keep this one short.
from tests.stats.more_fixtures import network_data, people_data  # noqa: F401

D = datetime.date
PERIOD = Period(D(2023, 1, 1), D(2023, 3, 1))
TODAY = D(2023, 4, 20)


@pytest.fixture
def village_set(net):
    villages = {
        name: factories.VillageFactory(town=net.a1.town, name=name)
        for name in ("东村", "北村", "中村", "上村")
    }
    for name in ("西村", "下村"):
        villages[name] = factories.VillageFactory(town=net.a1b.town, name=name)
    villages["南村"] = factories.VillageFactory(town=net.a2.town, name="南村")
    return villages


@pytest.fixture
def west_worker(net):
    """A social worker of station a1b (西镇), who files its reports."""
    user = factories.UserFactory(username="wendy")
    station_services.role_assign(user=user, role=Role.SOCIAL_WORKER, unit=net.a1b)
    return user


@pytest.fixture
def b1_worker(net):
    user = factories.UserFactory(username="bella")
    station_services.role_assign(user=user, role=Role.SOCIAL_WORKER, unit=net.b1)
    return user


@pytest.fixture
def data(net, personas, village_set, west_worker, b1_worker, file_report):
    """The reports of the module docstring's table."""
    p, v = personas, village_set
    f = file_report
    r = SimpleNamespace()
    r.r1 = f(
        p.worker,
        net.a1,
        "宣传",
        D(2023, 1, 10),
        submitted=at(2023, 1, 15),
        reviewer=p.reviewer,
        reached=[v["东村"], v["北村"]],
        person_times=100,
        households=20,
        persons=50,
    )
    r.r2 = f(
        p.worker,
        net.a1,
        "入户走访",
        D(2023, 1, 20),
        submitted=at(2023, 2, 5, 23),
        reviewer=p.reviewer,
        village=v["中村"],
        person_times=30,
        persons=30,
    )
    r.r3 = f(
        p.worker,
        net.a1,
        "社区活动",
        D(2023, 2, 3),
        submitted=at(2023, 3, 6, 9),
        reviewer=p.reviewer,
        reached=[v["东村"]],
        person_times=200,
        households=40,
    )
    r.r4 = f(
        p.worker,
        net.a1,
        "宣传",
        D(2023, 2, 14),
        "submitted",
        submitted=at(2023, 2, 20),
        person_times=999,
    )
    r.r5 = f(p.worker, net.a1, "宣传", D(2023, 3, 1), "draft", person_times=500)
    r.r6 = f(
        west_worker,
        net.a1b,
        "宣传",
        D(2023, 1, 5),
        submitted=at(2023, 1, 6),
        reviewer=p.reviewer,
        village=v["西村"],
        person_times=10,
        households=5,
        persons=10,
    )
    r.r7 = f(
        west_worker,
        net.a1b,
        "宣传",
        D(2023, 3, 15),
        "returned",
        submitted=at(2023, 3, 16),
        reviewer=p.reviewer,
        person_times=70,
    )
    r.r8 = f(
        p.other_worker,
        net.a2,
        "宣传",
        D(2023, 1, 8),
        submitted=at(2023, 1, 9),
        reviewer=p.other_reviewer,
        village=v["南村"],
        person_times=1000,
        households=300,
        persons=800,
    )
    r.r9 = f(
        p.reviewer,
        net.county_a1,
        "会议",
        D(2023, 2, 1),
        submitted=at(2023, 2, 2),
        reviewer=p.editor,
        person_times=60,
    )
    r.r10 = f(
        p.editor,
        net.city_a,
        "培训",
        D(2023, 3, 2),
        submitted=at(2023, 3, 3),
        reviewer=p.editor,
        person_times=500,
    )
    r.r11 = f(
        b1_worker,
        net.b1,
        "宣传",
        D(2023, 1, 12),
        submitted=at(2023, 1, 13),
        reviewer=p.other_editor,
        person_times=7,
    )
    r.r12 = f(
        p.worker,
        net.a1,
        "宣传",
        D(2022, 12, 30),
        submitted=at(2022, 12, 31),
        reviewer=p.reviewer,
        person_times=40,
    )
    return r
