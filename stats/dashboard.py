"""The dashboard of one unit and period: every figure of the statistics, as tiles
and as tables (the page and the Excel export render the same tables).

``build_dashboard`` runs a fixed number of queries whatever the number of
reports, workers or villages (tests/stats/test_dashboard_queries.py pins it):
each figure is a grouped query in the database; Python only arranges grouped rows
into tables.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import City, County
from stats import beneficiaries as people
from stats import network, sections
from stats.period import Period
from stats.reports import approved_span, report_figures, village_figures
from stats.scope import StatsUnit
from stats.tables import Link, Ratio, Table
from stats.timeliness import LATE_LIST_LIMIT, timeliness


@dataclass
class Group:
    """A row of a breakdown: a city of the province, a county of a city, or a
    station."""

    key: object  # city, county or station id
    label: object  # text, or a Link to the station's own dashboard
    station_ids: list
    town_ids: list | None = None  # None: all towns of the county (villages)


@dataclass
class Tile:
    label: str
    value: object
    note: str = ""
    section: str = ""  # the key of the section whose tables hold the figure


@dataclass
class Section:
    key: str
    title: str
    tables: list
    intro: str = ""


@dataclass
class Dashboard:
    unit: StatsUnit
    period: Period
    tiles: list = field(default_factory=list)
    # Set when the period holds no approved report: the months that do.
    data_span: Period | None = None
    sections: list = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def dashboard_url(unit_key: str, period: Period) -> str:
    query = urlencode(
        {"unit": unit_key, "from": period.param("from"), "to": period.param("to")}
    )
    return f"{reverse('stats_staff:stats')}?{query}"


def _groups(unit: StatsUnit, period: Period, stations: list) -> list[Group]:
    """The rows of the unit's breakdown, each linking to its own dashboard (the
    city of the province, the county of a city, the station of a county)."""
    if unit.breakdown == "city":
        by_city: dict = {}
        for station in stations:
            by_city.setdefault(station.town.county.city_id, []).append(station.pk)
        return [
            Group(
                c.pk,
                Link(c.name, dashboard_url(f"city:{c.pk}", period)),
                by_city.get(c.pk, []),
            )
            for c in City.objects.order_by("code")
        ]
    if unit.breakdown == "county":
        by_county: dict = {}
        for station in stations:
            by_county.setdefault(station.town.county_id, []).append(station.pk)
        counties = County.objects.filter(city=unit.city).order_by(
            "display_order", "code"
        )
        return [
            Group(
                c.pk,
                Link(c.name, dashboard_url(f"county:{c.pk}", period)),
                by_county.get(c.pk, []),
            )
            for c in counties
        ]
    if unit.breakdown == "station":
        wide = unit.kind != "county"
        return [
            Group(
                s.pk,
                Link(
                    s.full_name if wide else str(s),
                    dashboard_url(f"station:{s.pk}", period),
                ),
                [s.pk],
                [s.town_id],
            )
            for s in stations
        ]
    return []


def build_dashboard(
    user,
    unit: StatsUnit,
    period: Period,
    *,
    today: datetime.date | None = None,
    late_limit: int | None = LATE_LIST_LIMIT,
    list_limit: int | None = sections.LIST_LIMIT,
) -> Dashboard:
    """Everything the dashboard shows. The export passes no limits: it lists
    every late report and every missing month."""
    today = today or timezone.localdate()
    stations = network.unit_stations(user, unit)
    groups = _groups(unit, period, stations)
    reports = report_figures(user, unit, period)
    villages = village_figures(user, unit, period)
    timely = timeliness(
        user, unit, period, stations, today=today, late_limit=late_limit
    )
    trainings = network.training_figures(user, unit, period)
    workers = network.worker_grid(user, unit)
    categories = people.category_figures(user, unit, period)
    attendance = people.attendance_figures(user, unit, period)
    files = people.file_figures(user, unit, period, today=today)
    typed = {k: c.persons for k, c in reports.by_group.items() if k is not None}

    dashboard = Dashboard(unit=unit, period=period)
    if not reports.total.reports:
        # Only when the period is empty: the page's query count stays fixed for
        # every period that has reports.
        dashboard.data_span = approved_span(user, unit)
    # Each figure that the summary and a table's total row both show is counted
    # here once and handed to both: the page cannot contradict itself.
    in_all = network.station_totals(stations)
    people_total = files.for_stations([s.pk for s in stations])
    villages_in_all = villages.total()
    dashboard.tiles = _tiles(
        reports, attendance, people_total, villages_in_all, timely, in_all, trainings
    )
    dashboard.sections = [
        Section(
            "reports",
            _("活动报告"),
            sections.report_tables(unit, period, reports, groups),
            intro=_(
                "只统计审核通过的报告，按活动开始日期归入月份。服务人次、户数、人数"
                "各自相加，互不相加；未填写某项数字的报告不计入该项。"
            ),
        ),
        Section(
            "people",
            _("服务对象"),
            [
                sections.attendance_table(
                    unit, attendance, groups, stations, typed, reports.total.persons
                ),
                sections.category_table(categories, people_total["active"]),
                sections.file_table(unit, files, groups, stations, people_total),
                sections.case_table(unit, files, groups, stations, people_total),
            ],
            intro=_(
                "只显示人数，不显示任何个人信息。服务对象档案按建档社工站归属统计。"
            ),
        ),
        Section(
            "villages",
            _("村（居）覆盖"),
            [sections.village_table(unit, villages, groups, stations, villages_in_all)],
            intro=_(
                "覆盖的村（居）：期间内审核通过的报告所填“覆盖的村（居）”和活动地点"
                "所在的村（居），不重复计算；只计本范围各镇（街道）的村（居）。"
            ),
        ),
        Section(
            "timeliness",
            _("报送及时性与完整性"),
            sections.timeliness_tables(unit, timely, groups, stations, list_limit),
            intro=sections.timeliness_rule(timely),
        ),
        Section(
            "training",
            _("社工培训"),
            [
                sections.training_table(
                    unit, trainings, groups, stations, in_all.workers
                )
            ],
            intro=_(
                "期间内举行的培训课程，按签到计算；参训人次为签到次数，学时合计为每名"
                "社工所参加课程学时之和；人均学时 = 学时合计 ÷ 在岗社工数。"
            )
            + " "
            + _("期间内共 %(t)d 个培训、%(s)d 节课程。")
            % {"t": trainings.trainings, "s": trainings.sessions},
        ),
        Section(
            "network",
            _("社工站与社工队伍"),
            [
                sections.station_table(unit, groups, stations, in_all),
                sections.worker_table(workers),
            ],
            intro=_(
                "社工站和社工为当前数据（不随统计期间变化）；“六有”按各站最近一次检查"
                "计算，六项全部达标为达标站。社工只计在岗人员。"
            ),
        ),
    ]
    return dashboard


def _tiles(
    reports, attendance, people, villages_in_all, timely, in_all, trainings
) -> list[Tile]:
    """The summary: the key figures, each from the value its section's table
    shows in its total row, each linking down to that section."""
    total = reports.total
    return [
        Tile(_("已通过的活动报告（篇）"), total.reports, section="reports"),
        Tile(
            _("服务人次（人次）"),
            total.person_times,
            _("报告填写之和"),
            section="reports",
        ),
        Tile(_("服务户数（户）"), total.households, _("报告填写之和"), "reports"),
        Tile(
            _("服务人数（人）"),
            total.persons,
            _("报告填写之和，可能有重复"),
            "reports",
        ),
        Tile(
            _("不重复服务对象（人）"),
            attendance.persons,
            _("按活动签到计算，%(t)d 人次") % {"t": attendance.person_times},
            "people",
        ),
        Tile(_("在册服务对象档案（人）"), people["active"], section="people"),
        Tile(
            _("入户走访（次）"),
            people["home"],
            _("逾期未走访档案 %(n)d 人") % {"n": people["overdue"]},
            "people",
        ),
        Tile(
            _("服务中的个案（个）"),
            people["cases_open"] + people["cases_in_progress"],
            _("期间内开案 %(o)d 个、结案 %(c)d 个")
            % {"o": people["cases_opened"], "c": people["cases_closed"]},
            "people",
        ),
        Tile(_("覆盖村（居）"), Ratio(*villages_in_all).full, section="villages"),
        Tile(
            _("报送完整率"),
            Ratio(timely.total.complete, timely.total.expected).full,
            _("应报 %(e)d 篇") % {"e": timely.total.expected},
            "timeliness",
        ),
        Tile(
            _("按时报送率"),
            Ratio(timely.total.timely, timely.total.expected).full,
            section="timeliness",
        ),
        Tile(_("社工站“六有”达标"), in_all.standards.full, section="network"),
        Tile(_("社工点（个）"), in_all.points, section="network"),
        Tile(_("在岗社工（人）"), in_all.workers, section="network"),
        Tile(
            _("培训学时（小时）"),
            trainings.hours,
            _("%(n)d 名社工参训，%(p)d 人次")
            % {"n": trainings.trainees, "p": trainings.person_times},
            "training",
        ),
    ]
