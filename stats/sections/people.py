"""Tables of the people served: files and those served by category, unique
persons from attendance (beside the reports' typed persons), visits and
overdue files, cases."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stats import charts
from stats.sections.common import group_rows, unit_header
from stats.tables import Table


def category_table(figures, on_file: int) -> Table:
    """``on_file``: the unit's active files, the figure the summary and the
    files' table show too (each file is one person, whatever its categories)."""
    rows = [[c.name, on_file, served] for c, on_file, served in figures.categories]
    bare_on_file, bare_served = figures.no_category
    if bare_on_file or bare_served:
        rows.append([_("未分类"), bare_on_file, bare_served])
    return Table(
        "categories",
        _("服务对象类别"),
        [_("服务对象类别"), _("在册档案（人）"), _("期间内服务（人）")],
        rows,
        total=[_("合计（按人，不重复）"), on_file, figures.served],
        note=_(
            "一人属于几个类别时，在每个类别各计一次；合计行每人只计一次。期间内服务："
            "参加了期间内审核通过的活动（按签到）或期间内被走访过。"
        ),
        chart=charts.bar_chart(
            "chart-categories",
            _("各类别在册档案人数（图，数字见旁表）"),
            [charts.Bar(c.name, on_file) for c, on_file, _s in figures.categories],
        ),
    )


def attendance_table(unit, figures, groups, stations, typed, typed_total) -> Table:
    """Unique persons from attendance by unit, with the reports' typed persons
    beside them (``typed``: persons by county or station id): two different
    figures, labelled apart."""
    header = [
        _("有签到的报告（篇）"),
        _("签到人次（人次）"),
        _("不重复人数（人）"),
        _("报告填写的人数（人）"),
    ]
    total = [figures.reports, figures.person_times, figures.persons, typed_total]
    rows = []
    if groups:
        for group in groups:
            keys = [group.key] if unit.by_area else group.station_ids
            persons = times = reports = 0
            for key in keys:
                p, t, r = figures.by_group.get(key, (0, 0, 0))
                persons, times, reports = persons + p, times + t, reports + r
            typed_persons = sum(typed.get(key, 0) for key in keys)
            rows.append([group.label, reports, times, persons, typed_persons])
    else:
        rows = [[station.full_name, *total] for station in stations]
    return Table(
        "attendance",
        _("服务人数：按签到与按报告填写"),
        [unit_header(unit) if groups else _("社工站"), *header],
        rows,
        total=[_("合计"), *total],
        note=_(
            "不重复人数按活动签到计算，同一人参加多次活动只计一人；签到人次每次都计。"
            "“报告填写的人数”是各报告自填人数之和，同一人可能被重复计入，两者不可相加"
            "或互相替代。合计行的不重复人数按人计，不等于各行相加。"
        ),
    )


FILE_HEADERS = [
    gettext_lazy("在册档案（人）"),
    gettext_lazy("逾期未走访（人）"),
    gettext_lazy("从未走访（人）"),
    gettext_lazy("入户走访（次）"),
    gettext_lazy("电话（次）"),
    gettext_lazy("来站（次）"),
    gettext_lazy("被走访对象（人）"),
]
FILE_KEYS = ("active", "overdue", "never_visited", "home", "phone", "office", "visited")


def file_table(unit, files, groups, stations, total: dict) -> Table:
    """``total``: the unit's figures in all (``files.for_stations`` of every
    station), counted once for this table, the cases' and the summary."""
    rows, bars = [], []
    for label, ids in group_rows(groups, stations):
        counts = files.for_stations(ids)
        rows.append([label, *(counts[k] for k in FILE_KEYS)])
        bars.append(charts.Bar(str(label), counts["home"]))
    return Table(
        "files",
        _("档案更新：走访与逾期"),
        [unit_header(unit) if groups else _("社工站"), *FILE_HEADERS],
        rows,
        total=[_("合计"), *(total[k] for k in FILE_KEYS)],
        note=_(
            "逾期未走访：在册档案最近一次走访（从未走访的按建档日期）距今超过其类别"
            "要求的走访周期（属于几个类别的按最短周期），为当前情况，不随统计期间变化。"
            "走访次数和被走访对象为统计期间内的记录。"
        ),
        chart=charts.bar_chart(
            "chart-home-visits",
            _("期间内入户走访次数（图，数字见旁表）"),
            bars,
        )
        if len(bars) > 1
        else None,
    )


CASE_HEADERS = [
    gettext_lazy("期间内开案（个）"),
    gettext_lazy("目前已开案（个）"),
    gettext_lazy("目前服务中（个）"),
    gettext_lazy("期间内结案（个）"),
]
CASE_KEYS = ("cases_opened", "cases_open", "cases_in_progress", "cases_closed")


def case_table(unit, files, groups, stations, total: dict) -> Table:
    rows = [
        [label, *(files.for_stations(ids)[k] for k in CASE_KEYS)]
        for label, ids in group_rows(groups, stations)
    ]
    return Table(
        "cases",
        _("个案"),
        [unit_header(unit) if groups else _("社工站"), *CASE_HEADERS],
        rows,
        total=[_("合计"), *(total[k] for k in CASE_KEYS)],
        note=_(
            "“已开案”为已建立、尚未开始服务的个案，“服务中”为正在跟进的个案，两者为"
            "当前状态；开案和结案按开案日期、结案日期计入统计期间。"
        ),
    )
