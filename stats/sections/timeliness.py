"""Tables of timeliness and completeness: by county and station, the late
reports and the missing station-months, and the rule in words."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stats import charts
from stats.sections.common import month_label, unit_header
from stats.tables import Link, Ratio, Table


def timeliness_rule(timely) -> str:
    text = _(
        "每个社工站每月应至少报送 %(n)d 篇活动报告（启用前的月份不计）；报告归入活动"
        "开始的月份，已提交（待审核或已通过）即为已收到，被退回未重新提交的不计；在"
        "次月 %(d)d 日（含）之前提交的为按时，以最近一次提交时间为准，历史导入的报告"
        "没有提交时间，计为逾期。截止日未到的月份暂不统计。完整率 = 收到的应报报告 ÷ "
        "应报数，及时率 = 按时收到的应报报告 ÷ 应报数；一个月多报的不抵其他月份。"
    ) % {"n": timely.minimum, "d": timely.due_day}
    if timely.pending:
        text += " " + _("未到截止日、暂不统计的月份：%(m)s。") % {
            "m": "、".join(month_label(m) for m in timely.pending)
        }
    return text


TIMELY_HEADERS = [
    gettext_lazy("应报（篇）"),
    gettext_lazy("已收到（篇）"),
    gettext_lazy("按时（篇）"),
    gettext_lazy("逾期（篇）"),
    gettext_lazy("缺报（篇）"),
    gettext_lazy("完整率（%）"),
    gettext_lazy("及时率（%）"),
]
LEGEND = [gettext_lazy("按时收到"), gettext_lazy("逾期收到"), gettext_lazy("缺报")]


def _tally_row(label, tally) -> list:
    return [
        label,
        tally.expected,
        tally.received,
        tally.on_time,
        tally.late,
        tally.shortfall,
        Ratio(tally.complete, tally.expected),
        Ratio(tally.timely, tally.expected),
    ]


def _stack(label, tally) -> charts.Stack:
    return charts.Stack(
        str(label),
        (tally.timely, tally.complete - tally.timely, tally.shortfall),
    )


def timeliness_tables(unit, timely, groups, stations, list_limit) -> list[Table]:
    tables = []
    chart_title = _("应报报告中按时、逾期收到和缺报的篇数（图，数字见旁表）")
    if unit.by_area:
        rows, stacks = [], []
        for group in groups:
            tally = timely.for_stations(group.station_ids)
            rows.append(_tally_row(group.label, tally) + [len(group.station_ids)])
            stacks.append(_stack(group.label, tally))
        tables.append(
            Table(
                f"timeliness_{unit.breakdown}",
                _("按%(u)s") % {"u": unit_header(unit)},
                [unit_header(unit), *TIMELY_HEADERS, _("社工站（个）")],
                rows,
                total=_tally_row(_("合计"), timely.total) + [len(stations)],
                chart=charts.stacked_bar_chart(
                    "chart-timeliness", chart_title, LEGEND, stacks
                ),
            )
        )
    station_rows, stacks = [], []
    # The province's page leaves out its 1,600 stations' rows (the by-city table
    # and each city's page have them; the export lists them all).
    listed = [] if unit.breakdown == "city" and list_limit is not None else stations
    for station in listed:
        tally = timely.by_station[station.pk]
        label = station.full_name if unit.kind != "county" else str(station)
        station_rows.append(_tally_row(label, tally))
        stacks.append(_stack(label, tally))
    tables.append(
        Table(
            "timeliness_station",
            _("按社工站"),
            [_("社工站"), *TIMELY_HEADERS],
            station_rows,
            total=_tally_row(_("合计"), timely.total),
            chart=None
            if unit.by_area
            else charts.stacked_bar_chart(
                "chart-timeliness", chart_title, LEGEND, stacks
            ),
            empty=_("本范围没有社工站。")
            if listed is stations
            else _("各社工站的明细见各市的统计，或导出的 Excel。"),
        )
    )
    late_rows = []
    for report in timely.late:
        late_rows.append(
            [
                report.station.full_name,
                month_label(report.start_date),
                Link(
                    report.title, reverse("activities_staff:report", args=[report.pk])
                ),
                (
                    timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
                    if report.submitted_at
                    else _("无（历史导入）")
                ),
                report.due_date.isoformat(),
                report.days_late,
                report.get_status_display(),
            ]
        )
    tables.append(
        Table(
            "late",
            _("逾期报送的报告"),
            [
                _("社工站"),
                _("所属月份"),
                _("标题"),
                _("提交时间"),
                _("截止日期"),
                _("逾期天数"),
                _("状态"),
            ],
            late_rows,
            numeric=[False, False, False, False, False, True, False],
            empty=_("没有逾期报送的报告。"),
            more=max(0, timely.late_count - len(late_rows)),
        )
    )
    # One row per station that missed any month: a city has hundreds of
    # station-months, and a station's pattern reads better on one line.
    missing = []
    for station in stations:
        tally = timely.by_station[station.pk]
        if not tally.missing:
            continue
        months = "、".join(
            _("%(m)s（收到 %(r)d/%(e)d）")
            % {"m": month_label(month), "r": received, "e": expected}
            for month, received, expected in tally.missing
        )
        missing.append(
            [
                station.full_name if unit.kind != "county" else str(station),
                len(tally.missing),
                tally.shortfall,
                months,
            ]
        )
    shown = missing if list_limit is None else missing[:list_limit]
    tables.append(
        Table(
            "missing",
            _("缺报的社工站和月份"),
            [
                _("社工站"),
                _("缺报月数（个）"),
                _("缺报（篇）"),
                _("缺报的月份（已收到/应报）"),
            ],
            shown,
            numeric=[False, True, True, False],
            empty=_("没有缺报。"),
            more=len(missing) - len(shown),
        )
    )
    return tables
