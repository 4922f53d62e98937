"""The figures the records hold for a report, a project or a training, and
``text_figure_checks``, which compares a text with them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from activities.selectors.projects import percent, project_progress, projects_with_place
from activities.selectors.trainings import trainings_with_figures
from activities.writing.text import (
    ACTIVITIES,
    CASES,
    HOURS,
    HOUSEHOLDS,
    PERCENT,
    PERSON_TIMES,
    PERSONS,
    SESSIONS,
    VILLAGES,
    FigureChecks,
    Record,
    check_mentions,
    find_mentions,
)
from stations.models import Village


def _coverage_records(
    reached, total, where: str, source: str, town_name="", *, covered=None
) -> list:
    """The villages covered, and with the town's ``total`` their share of it.
    ``covered`` (default ``reached``) is the count of every village covered when
    some lie outside the town: the share counts only the town's own."""
    covered = Record(
        VILLAGES,
        Decimal(reached if covered is None else covered),
        _("覆盖的村（居）"),
        source,
        keywords=("覆盖", "走访", "完成", "到达", "深入"),
        primary=True,
    )
    if not total:
        return [covered]
    whole = Record(
        VILLAGES,
        Decimal(total),
        _("%(where)s的村（居）总数") % {"where": where},
        source,
        keywords=tuple(k for k in (town_name, "全镇", "全街道", "计划", "目标") if k),
    )
    rate = Record(
        PERCENT,
        Decimal(percent(reached, total)),
        _("村（居）覆盖率"),
        source,
        display=f"{reached}/{total} = {percent(reached, total)}%",
        keywords=("覆盖",),
        primary=True,
        exact=Decimal(reached) * 100 / Decimal(total),
        whole=whole,
    )
    return [covered, whole, rate]


def report_records(report, *, attendance_persons: int | None = None) -> list[Record]:
    """The report's own figures. Uses ``villages_reached`` as prefetched (the
    report page loads them); one query for the number of villages of the town."""
    source = _("本报告")
    records = []
    for name, kind, label, keywords in (
        ("person_times", PERSON_TIMES, _("服务人次"), ()),
        ("households", HOUSEHOLDS, _("户数"), ("走访", "入户")),
        ("persons", PERSONS, _("人数"), ()),
        ("volunteers", PERSONS, _("志愿者人数"), ("志愿者", "志愿")),
        ("service_hours", HOURS, _("服务时长"), ("时长",)),
    ):
        value = getattr(report, name)
        if value is not None:
            records.append(
                Record(
                    kind,
                    Decimal(value),
                    label,
                    source,
                    keywords=keywords,
                    primary=name != "volunteers",
                )
            )
    if attendance_persons:
        records.append(
            Record(
                PERSONS,
                Decimal(attendance_persons),
                _("按签到计算的不重复人数"),
                source,
                keywords=("签到",),
            )
        )
    town = report.village.town if report.village_id else report.town
    if town is None and report.station_id:
        town = report.station.town
    # The same villages the report page lists under 覆盖的村（居）.
    covered = report.covered_villages()
    if town is not None:
        reached = sum(1 for v in covered if v.town_id == town.pk)
        total = Village.objects.filter(town=town).count()
        report._town_villages = (town.pk, total)  # for its project, see below
        records += _coverage_records(
            reached, total, town.name, source, town.name, covered=len(covered)
        )
    elif covered:
        records += _coverage_records(len(covered), 0, "", source)
    return records


def _report_project(report):
    """The report's project, ready for ``project_progress`` without the query
    ``projects_with_place`` makes when the project is the report's station's
    and the town's village count is already known; otherwise None."""
    project = report.project
    town_id, total = getattr(report, "_town_villages", (None, None))
    if (
        report.station_id
        and project.station_id == report.station_id
        and town_id == report.station.town_id
    ):
        project.station = report.station
        project.town_villages = total
        return project
    return None


def project_records(project, progress=None) -> list[Record]:
    """The project's progress figures (submitted and approved linked reports)."""
    if progress is None:
        project = projects_with_place(type(project).objects.filter(pk=project.pk)).get()
        progress = project_progress(project)
    source = _("项目“%(t)s”") % {"t": project.title}
    villages = progress.villages
    town = project.station.town.name
    records = []
    if villages.target:
        where = town if progress.town_target else _("项目计划")
        records += _coverage_records(
            villages.value, villages.target, where, source, town
        )
    elif villages.value:
        records += _coverage_records(villages.value, 0, town, source)
    records += [
        Record(
            ACTIVITIES,
            Decimal(progress.activities.value),
            _("活动场次"),
            source,
            keywords=("活动",),
            primary=True,
        ),
        Record(
            PERSON_TIMES,
            Decimal(progress.person_times.value),
            _("项目服务人次"),
            source,
            keywords=("项目",),
            primary=True,
        ),
        Record(
            CASES,
            Decimal(progress.cases.value),
            _("个案数"),
            source,
            keywords=("个案",),
            primary=True,
        ),
    ]
    return records


def training_records(trainings) -> list[Record]:
    """Figures of trainings loaded with ``trainings_with_figures``."""
    records = []
    for training in trainings:
        source = _("培训“%(t)s”") % {"t": training.title}
        records += [
            Record(
                SESSIONS,
                Decimal(training.session_count),
                _("培训期数（课程数）"),
                source,
                primary=True,
            ),
            Record(
                PERSONS,
                Decimal(training.trainee_count),
                _("参训社工人数"),
                source,
                keywords=("参加培训", "参训", "学员", "培训的"),
                primary=True,
            ),
            Record(
                PERSON_TIMES,
                Decimal(training.person_times),
                _("参训人次"),
                source,
                keywords=("培训人次", "参训"),
                primary=True,
            ),
            Record(
                HOURS,
                Decimal(training.total_hours),
                _("培训时长"),
                source,
                keywords=("培训时长", "学时", "时长"),
                primary=True,
            ),
        ]
    return records


def text_figure_checks(
    text: str,
    *,
    report=None,
    project=None,
    training=None,
    progress=None,
    attendance_persons: int | None = None,
) -> FigureChecks:
    """Check the numbers of ``text`` against the records of a report (and, if it
    has one, its project and the trainings linked to it), a project, or a
    training. Pass ``progress`` when the caller already computed the project's
    (the project page does) to save its queries."""
    records: list[Record] = []
    if report is not None:
        records += report_records(report, attendance_persons=attendance_persons)
        if project is None and report.project_id:
            project = _report_project(report) or report.project
            if getattr(project, "town_villages", None) is not None:
                progress = project_progress(project)
        trainings = list(trainings_with_figures(report.trainings.all()))
        records += training_records(trainings)
    if project is not None:
        records += project_records(project, progress)
    if training is not None:
        if not hasattr(training, "session_count"):
            training = trainings_with_figures(
                type(training).objects.filter(pk=training.pk)
            ).get()
        records += training_records([training])
    checks = FigureChecks(records=records, mentions=find_mentions(text))
    check_mentions(checks.mentions, records)
    return checks
