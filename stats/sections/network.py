"""Tables of the station network: training and hours per worker, stations and
their six-standard status, workers by post type and qualification."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stations.models import SocialWorker
from stats import network
from stats.sections.common import group_rows, unit_header
from stats.tables import Table


def training_table(unit, trainings, groups, stations, active_total: int) -> Table:
    """``active_total``: the unit's active workers, as the summary and the
    stations' table show them."""
    workers = {s.pk: s.worker_count for s in stations}
    rows = []
    for label, ids in group_rows(groups, stations):
        trainees, person_times, hours = trainings.for_stations(ids)
        active = sum(workers.get(pk, 0) for pk in ids)
        rows.append(
            [
                label,
                active,
                trainees,
                person_times,
                hours,
                network.per_worker(hours, active),
            ]
        )
    return Table(
        "training",
        _("培训与人均学时"),
        [
            unit_header(unit) if groups else _("社工站"),
            _("在岗社工（人）"),
            _("参训社工（人）"),
            _("参训人次（人次）"),
            _("学时合计（小时）"),
            _("人均学时（小时）"),
        ],
        rows,
        total=[
            _("合计"),
            active_total,
            trainings.trainees,
            trainings.person_times,
            trainings.hours,
            network.per_worker(trainings.hours, active_total),
        ],
    )


def _standards_label(station) -> str:
    if not network.checked(station):
        return _("未检查")
    return f"{station.standards_met or 0} / {network.STANDARDS_TOTAL}"


def station_table(unit, groups, stations, in_all) -> Table:
    """``in_all``: the unit's ``network.StationTotals``, the summary's too."""
    by_pk = {s.pk: s for s in stations}
    if unit.by_area:
        rows = []
        for group in groups:
            members = [by_pk[pk] for pk in group.station_ids]
            rows.append(
                [
                    group.label,
                    len(members),
                    sum(s.point_count for s in members),
                    sum(s.worker_count for s in members),
                    sum(1 for s in members if network.meets_standards(s)),
                    sum(1 for s in members if network.checked(s)),
                ]
            )
        return Table(
            "stations",
            _("社工站、社工点和“六有”达标"),
            [
                unit_header(unit),
                _("社工站（个）"),
                _("社工点（个）"),
                _("在岗社工（人）"),
                _("“六有”达标站（个）"),
                _("已检查站（个）"),
            ],
            rows,
            total=[
                _("合计"),
                in_all.stations,
                in_all.points,
                in_all.workers,
                in_all.met,
                in_all.checked,
            ],
        )
    rows = [
        [
            station.full_name if unit.kind != "county" else str(station),
            station.point_count,
            station.worker_count,
            _standards_label(station),
        ]
        for station in stations
    ]
    return Table(
        "stations",
        _("社工站、社工点和“六有”达标"),
        [_("社工站"), _("社工点（个）"), _("在岗社工（人）"), _("“六有”达标项")],
        rows,
        total=[
            _("合计"),
            in_all.points,
            in_all.workers,
            _("%(m)d / %(n)d 站达标") % {"m": in_all.met, "n": in_all.stations},
        ],
        numeric=[False, True, True, False],
        empty=_("本范围没有社工站。"),
    )


def worker_table(grid) -> Table:
    qualifications = SocialWorker.Qualification.choices
    rows = [
        [label]
        + [grid.cell(post, q) for q, _l in qualifications]
        + [grid.post_total(post)]
        for post, label in SocialWorker.PostType.choices
    ]
    return Table(
        "workers",
        _("在岗社工：岗位类型与职业资格"),
        [_("岗位类型"), *[label for _q, label in qualifications], _("合计")],
        rows,
        total=[_("合计")]
        + [grid.qualification_total(q) for q, _l in qualifications]
        + [grid.total],
    )
