"""The project services (activities/services/projects.py): who may create a project and
link reports to it, and the reports and dates it refuses."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services
from activities.models import ActivityReport, Project
from stations.models import Role
from stations.services import role_assign
from tests import factories
from tests.activities.project_helpers import _project, _report

# --- Linking reports ----------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("head", True),
        ("reviewer", True),
        ("editor", True),
        ("superuser", True),
        ("worker", False),
        ("supervisor", False),
        ("other_reviewer", False),
        ("other_editor", False),
    ],
)
def test_who_may_link_a_report(net, personas, kinds, persona, allowed):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    by = getattr(personas, persona)
    if allowed:
        services.project_link_report(project=project, report=report, by=by)
        assert ActivityReport.objects.get(pk=report.pk).project == project
        services.project_unlink_report(project=project, report=report, by=by)
        assert ActivityReport.objects.get(pk=report.pk).project is None
    else:
        with pytest.raises(PermissionDenied):
            services.project_link_report(project=project, report=report, by=by)
        assert ActivityReport.objects.get(pk=report.pk).project is None


def test_deputy_head_manages_the_stations_projects(net, personas, kinds):
    deputy = factories.UserFactory(username="dora")
    role_assign(user=deputy, role=Role.DEPUTY_HEAD, unit=net.a1)
    project = _project(deputy, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    services.project_link_report(project=project, report=report, by=deputy)
    assert project.reports.count() == 1


def test_link_refuses_another_stations_report(net, personas, kinds):
    project = _project(personas.reviewer, net.a1)
    report = _report(personas.other_worker, net.a2, kinds, status="draft")
    with pytest.raises(ValidationError) as exc:
        services.project_link_report(project=project, report=report, by=personas.editor)
    assert "只能关联本项目承接社工站" in exc.value.messages[0]
    county = _report(personas.reviewer, net.county_a1, kinds, status="draft")
    with pytest.raises(ValidationError):
        services.project_link_report(project=project, report=county, by=personas.editor)
    assert not ActivityReport.objects.filter(project__isnull=False).exists()


def test_link_refuses_a_report_outside_the_period(net, personas, kinds):
    project = _project(personas.head, net.a1)
    report = _report(
        personas.worker,
        net.a1,
        kinds,
        status="draft",
        start_date=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.project_link_report(project=project, report=report, by=personas.head)
    assert "不在项目周期" in exc.value.messages[0]
    assert ActivityReport.objects.get(pk=report.pk).project is None


def test_link_refuses_a_report_of_another_project(net, personas, kinds):
    first = _project(personas.head, net.a1, title="项目一")
    second = _project(personas.head, net.a1, title="项目二")
    report = _report(personas.worker, net.a1, kinds, status="draft")
    services.project_link_report(project=first, report=report, by=personas.head)
    with pytest.raises(ValidationError) as exc:
        services.project_link_report(project=second, report=report, by=personas.head)
    assert "已关联到其他项目" in exc.value.messages[0]
    assert ActivityReport.objects.get(pk=report.pk).project == first
    # Linking twice to the same project changes nothing.
    services.project_link_report(project=first, report=report, by=personas.head)


def test_unlink_refuses_a_report_not_linked(net, personas, kinds):
    project = _project(personas.head, net.a1)
    report = _report(personas.worker, net.a1, kinds, status="draft")
    with pytest.raises(ValidationError):
        services.project_unlink_report(project=project, report=report, by=personas.head)


# --- Create and edit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("head", True),
        ("reviewer", True),
        ("editor", True),
        ("worker", False),
        ("supervisor", False),
        ("other_reviewer", False),
        ("other_editor", False),
    ],
)
def test_who_may_create_a_project(net, personas, persona, allowed):
    by = getattr(personas, persona)
    if allowed:
        _project(by, net.a1)
        assert Project.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _project(by, net.a1)
        assert not Project.objects.exists()


def test_project_dates_out_of_order_are_refused(net, personas):
    with pytest.raises(ValidationError) as exc:
        _project(personas.head, net.a1, end_date=datetime.date(2022, 1, 1))
    assert "结束日期不能早于开始日期" in str(exc.value)
    assert not Project.objects.exists()
