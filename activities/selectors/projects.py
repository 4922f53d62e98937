"""Project figures: a project's progress comes from the reports linked to it
(which reports count: below), in two queries for any number of projects.

What a project counts (decided for the mid-term summary): a linked report counts
once it is submitted or approved. A station writes its mid-term summary while
some reports still wait for review, and leaving them out would understate the
work; drafts and returned reports do not count, since they may still change or
be dropped. The approved part is shown beside each figure, so a reader who
wants only reviewed figures has them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from activities.models import ActivityReport, Level, Project, Status
from activities.permissions.trainings import projects_manageable_by, projects_visible_to
from stations.models import Village
from stations.selectors import subquery_aggregate

# The activity kind whose reports count as cases (个案) in a project's progress.
CASE_KIND = "个案"
# Reports that count towards a project's figures; see the module docstring.
COUNTED_STATUSES = (Status.SUBMITTED, Status.APPROVED)


def projects_with_place(qs: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects with their station's place, and the number of villages of the
    station's town (``town_villages``) and how many of them are communities
    (``town_communities``): the default coverage target and its wording."""
    qs = Project.objects.all() if qs is None else qs
    villages = Village.objects.filter(town=OuterRef("station__town"))
    return qs.select_related("station__town__county__city").annotate(
        town_villages=subquery_aggregate(villages, "town", Count("*"), IntegerField()),
        town_communities=subquery_aggregate(
            villages.filter(kind=Village.Kind.COMMUNITY),
            "town",
            Count("*"),
            IntegerField(),
        ),
    )


def get_project_for_user(user, pk, *, write: bool = False) -> Project:
    qs = projects_manageable_by(user) if write else projects_visible_to(user)
    return get_object_or_404(projects_with_place(qs), pk=pk)


# --- Project progress --------------------------------------------------------------


def percent(done, target) -> int | None:
    """``done`` of ``target`` as a whole percentage, halves rounded up (8 of 14 is
    57); None without a target."""
    if not target:
        return None
    value = Decimal(done or 0) * 100 / Decimal(target)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Figure:
    """One progress figure: the counted value, its approved part, the target."""

    value: int
    approved: int
    target: int | None

    @property
    def percent(self) -> int | None:
        return percent(self.value, self.target)


@dataclass
class Progress:
    project: Project
    activities: Figure
    person_times: Figure
    cases: Figure
    villages: Figure
    villages_covered: list = field(default_factory=list)  # Village objects
    town_target: bool = False  # the village target is the station's whole town

    @property
    def village_word(self) -> str:
        # The newsletter says "条行政村" for rural towns; a street's units are
        # communities, so a town with any says "个村（居）".
        if getattr(self.project, "town_communities", 0):
            return _("个村（居）")
        return _("条行政村")

    def summary(self) -> str:
        """A sentence ready to quote in a mid-term summary, as the newsletter
        writes it."""
        parts = []
        villages = self.villages
        if villages.target:
            values = {
                "town": self.project.station.town.name,
                "target": villages.target,
                "done": villages.value,
                "word": self.village_word,
                "percent": villages.percent,
            }
            if self.town_target:
                text = _(
                    "%(town)s%(target)d%(word)s中目前完成了%(done)d%(word)s的覆盖，"
                    "覆盖率达%(percent)d%%"
                )
            else:
                text = _(
                    "项目计划覆盖%(target)d%(word)s，目前完成了%(done)d%(word)s的覆盖，"
                    "覆盖率达%(percent)d%%"
                )
            parts.append(text % values)
        elif villages.value:
            parts.append(
                _("目前覆盖%(done)d%(word)s")
                % {"done": villages.value, "word": self.village_word}
            )
        parts.append(
            _("开展活动%(a)d场，服务%(p)d人次，开展个案%(c)d个")
            % {
                "a": self.activities.value,
                "p": self.person_times.value,
                "c": self.cases.value,
            }
        )
        return "；".join(parts) + "。"


def _village_target(project: Project) -> tuple[int | None, bool]:
    if project.target_villages is not None:
        return project.target_villages, False
    return getattr(project, "town_villages", None), True


def projects_progress(projects: list[Project]) -> dict[int, Progress]:
    """Progress of each project from its linked reports, in two queries for any
    number of projects: one grouped aggregate of the counts, one of the villages
    the reports reached (``villages_reached`` and the report's own village).

    Projects must come from ``projects_with_place`` (the town's village count is
    the target when the project sets none). When that is the target, only
    villages of the station's town count towards it."""
    if not projects:
        return {}
    ids = [p.pk for p in projects]
    counted = Q(status__in=COUNTED_STATUSES)
    approved = Q(status=Status.APPROVED)
    case = Q(kind__name=CASE_KIND)
    rows = {
        row["project"]: row
        for row in ActivityReport.objects.filter(project__in=ids)
        .values("project")
        .annotate(
            n_activities=Count("pk", filter=counted),
            n_activities_ok=Count("pk", filter=approved),
            n_person_times=Sum("person_times", filter=counted),
            n_person_times_ok=Sum("person_times", filter=approved),
            n_cases=Count("pk", filter=counted & case),
            n_cases_ok=Count("pk", filter=approved & case),
        )
        .order_by()
    }

    through = ActivityReport.villages_reached.through
    reached = (
        through.objects.filter(
            activityreport__project__in=ids,
            activityreport__status__in=COUNTED_STATUSES,
        )
        .order_by()
        .values_list(
            "activityreport__project_id",
            "village_id",
            "village__town_id",
            "village__name",
            "activityreport__status",
        )
    )
    own_village = (
        ActivityReport.objects.filter(
            project__in=ids, status__in=COUNTED_STATUSES, village__isnull=False
        )
        .order_by()
        .values_list(
            "project_id", "village_id", "village__town_id", "village__name", "status"
        )
    )
    villages: dict[int, dict[int, tuple]] = defaultdict(dict)
    approved_villages: dict[int, set] = defaultdict(set)
    for project_id, village_id, town_id, name, status in reached.union(own_village):
        villages[project_id][village_id] = (town_id, name)
        if status == Status.APPROVED:
            approved_villages[project_id].add(village_id)

    result = {}
    for project in projects:
        row = rows.get(project.pk, {})
        target, town_target = _village_target(project)
        covered = villages.get(project.pk, {})
        if town_target:
            covered = {
                pk: v for pk, v in covered.items() if v[0] == project.station.town_id
            }
        covered_ids = set(covered)
        result[project.pk] = Progress(
            project=project,
            activities=Figure(
                row.get("n_activities", 0),
                row.get("n_activities_ok", 0),
                project.target_activities,
            ),
            person_times=Figure(
                row.get("n_person_times") or 0,
                row.get("n_person_times_ok") or 0,
                project.target_person_times,
            ),
            cases=Figure(
                row.get("n_cases", 0), row.get("n_cases_ok", 0), project.target_cases
            ),
            villages=Figure(
                len(covered_ids),
                len(covered_ids & approved_villages[project.pk]),
                target,
            ),
            villages_covered=sorted(name for _town, name in covered.values()),
            town_target=town_target,
        )
    return result


def project_progress(project: Project) -> Progress:
    return projects_progress([project])[project.pk]


def linked_reports(project: Project) -> QuerySet[ActivityReport]:
    return project.reports.select_related("kind", "village").order_by(
        "start_date", "pk"
    )


def linkable_reports(project: Project) -> QuerySet[ActivityReport]:
    """The station's reports in the project period that no project claims yet."""
    return ActivityReport.objects.filter(
        level=Level.STATION,
        station=project.station_id,
        project__isnull=True,
        start_date__gte=project.start_date,
        start_date__lte=project.end_date,
    ).order_by("-start_date", "-pk")
