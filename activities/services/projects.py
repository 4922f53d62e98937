"""Writes to funded projects and to the links between a project and its
station's reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import ActivityReport, Level, Project
from activities.permissions.trainings import can_manage_project_of
from stations.models import Station
from stations.permissions import require


def _project_errors(project: Project) -> dict:
    if (
        project.start_date
        and project.end_date
        and project.end_date < project.start_date
    ):
        return {"end_date": _("结束日期不能早于开始日期。")}
    return {}


def _station_with_place(station_id) -> Station:
    station = Station.objects.with_place().filter(pk=station_id).first()
    if station is None:
        raise ValidationError({"station": _("请选择承接项目的社工站。")})
    return station


@transaction.atomic
def project_create(*, project: Project, by) -> Project:
    require(can_manage_project_of(by, _station_with_place(project.station_id)))
    errors = _project_errors(project)
    if errors:
        raise ValidationError(errors)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_update(*, project: Project, by) -> Project:
    current = Project.objects.select_for_update().get(pk=project.pk)
    require(can_manage_project_of(by, _station_with_place(current.station_id)))
    if project.station_id != current.station_id:
        require(can_manage_project_of(by, _station_with_place(project.station_id)))
        if current.reports.exists():
            raise ValidationError(
                {"station": _("项目已关联了活动报告，不能更换承接社工站。")}
            )
    errors = _project_errors(project)
    if errors:
        raise ValidationError(errors)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_link_report(*, project: Project, report: ActivityReport, by) -> None:
    """Count ``report`` towards ``project``: a report of the project's station, in
    the project period, not already claimed by another project."""
    require(can_manage_project_of(by, _station_with_place(project.station_id)))
    current = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if current.level != Level.STATION or current.station_id != project.station_id:
        raise ValidationError(_("只能关联本项目承接社工站的活动报告。"))
    if current.project_id == project.pk:
        return
    if current.project_id is not None:
        raise ValidationError(_("该报告已关联到其他项目，请先在那个项目中取消关联。"))
    if not project.start_date <= current.start_date <= project.end_date:
        raise ValidationError(
            _("报告的活动日期 %(d)s 不在项目周期（%(s)s 至 %(e)s）内。")
            % {
                "d": current.start_date.isoformat(),
                "s": project.start_date.isoformat(),
                "e": project.end_date.isoformat(),
            }
        )
    # A targeted update: linking must not overwrite an edit the author is saving.
    ActivityReport.objects.filter(pk=report.pk).update(project=project)
    report.project = project


@transaction.atomic
def project_unlink_report(*, project: Project, report: ActivityReport, by) -> None:
    require(can_manage_project_of(by, _station_with_place(project.station_id)))
    updated = ActivityReport.objects.filter(pk=report.pk, project=project).update(
        project=None
    )
    if not updated:
        raise ValidationError(_("该报告没有关联到本项目。"))
    report.project = None
