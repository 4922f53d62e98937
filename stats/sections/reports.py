"""Tables of report figures: by month, by kind, by county or station, and
the villages reached."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stats import charts
from stats.reports import Counts
from stats.sections.common import bureau_label, month_label, unit_header
from stats.tables import Ratio, Table


def _counts_row(label, counts: Counts, *, full: bool = True) -> list:
    row = [
        label,
        counts.reports,
        counts.person_times,
        counts.households,
        counts.persons,
    ]
    if full:
        row += [counts.volunteers, counts.service_hours]
    return row


COUNT_HEADERS = [
    gettext_lazy("报告数（篇）"),
    gettext_lazy("服务人次（人次）"),
    gettext_lazy("户数（户）"),
    gettext_lazy("人数（人）"),
]
MORE_COUNT_HEADERS = [gettext_lazy("志愿者（人）"), gettext_lazy("服务时长（小时）")]


def _blank_note(total: Counts) -> str:
    blanks = [
        (_("人次"), total.blank("person_times")),
        (_("户数"), total.blank("households")),
        (_("人数"), total.blank("persons")),
    ]
    parts = [
        _("%(n)d 篇未填%(what)s") % {"n": n, "what": what} for what, n in blanks if n
    ]
    if not parts:
        return ""
    return _("各项数字只加总已填写的报告：") + "，".join(parts) + "。"


def report_tables(unit, period, figures, groups) -> list[Table]:
    total = figures.total
    month_rows, bars = [], []
    for n, month in enumerate(period.months):
        counts = figures.by_month.get(month, Counts())
        month_rows.append(_counts_row(month_label(month), counts))
        first = n == 0 or month.month == 1
        bars.append(
            charts.Bar(
                _("%(m)d月") % {"m": month.month},
                counts.reports,
                sublabel=str(month.year) if first else "",
            )
        )
    by_month = Table(
        "by_month",
        _("按月份"),
        [_("月份"), *COUNT_HEADERS, *MORE_COUNT_HEADERS],
        month_rows,
        total=_counts_row(_("合计"), total),
        note=_blank_note(total),
        chart=charts.column_chart(
            "chart-by-month", _("各月审核通过的报告数（图，数字见旁表）"), bars
        ),
    )
    kinds = [(k, c) for k, c in figures.by_kind]
    by_kind = Table(
        "by_kind",
        _("按活动类型"),
        [_("活动类型"), *COUNT_HEADERS],
        [_counts_row(kind.name, counts, full=False) for kind, counts in kinds],
        total=_counts_row(_("合计"), total, full=False),
        chart=charts.bar_chart(
            "chart-by-kind",
            _("各类活动审核通过的报告数（图，数字见旁表）"),
            [charts.Bar(kind.name, counts.reports) for kind, counts in kinds],
        ),
    )
    tables = [by_month, by_kind]
    if groups:
        rows, bars = [], []
        for group in groups:
            counts = Counts()
            for key in [group.key] if unit.by_area else group.station_ids:
                counts.add(figures.by_group.get(key, Counts()))
            rows.append(_counts_row(group.label, counts))
            bars.append(charts.Bar(str(group.label), counts.reports))
        bureau = figures.by_group.get(None)
        if bureau is not None and bureau.reports:
            rows.append(_counts_row(bureau_label(unit), bureau))
            bars.append(charts.Bar(bureau_label(unit), bureau.reports))
        tables.append(
            Table(
                "by_unit",
                _("按%(u)s") % {"u": unit_header(unit)},
                [unit_header(unit), *COUNT_HEADERS, *MORE_COUNT_HEADERS],
                rows,
                total=_counts_row(_("合计"), total),
                chart=charts.bar_chart(
                    "chart-by-unit",
                    _("各%(u)s审核通过的报告数（图，数字见旁表）")
                    % {"u": unit_header(unit)},
                    bars,
                ),
            )
        )
    return tables


def village_table(unit, villages, groups, stations, in_all) -> Table:
    """``in_all``: (reached, total) of the unit, the summary's figure too."""
    rows = []
    if unit.by_area:
        for group in groups:
            reached, total = villages.for_area(unit.breakdown, group.key)
            rows.append([group.label, reached, total, Ratio(reached, total)])
    elif groups:
        for group in groups:
            reached, total = villages.total(set(group.town_ids))
            rows.append([group.label, reached, total, Ratio(reached, total)])
    else:
        for station in stations:
            reached, total = villages.total({station.town_id})
            rows.append([station.town.name, reached, total, Ratio(reached, total)])
    reached, total = in_all
    header = _("镇（街道）") if not groups else unit_header(unit)
    return Table(
        "villages",
        _("按%(u)s") % {"u": header},
        [header, _("覆盖村（居）"), _("村（居）总数"), _("覆盖率（%）")],
        rows,
        total=[_("合计"), reached, total, Ratio(reached, total)],
        empty=_("本范围还没有登记村（居）。"),
    )
