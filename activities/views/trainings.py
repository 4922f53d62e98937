"""Staff pages for trainings (sessions, sign-in sheets, hours per worker per year)
and funded projects (progress from linked reports). Objects out of scope are a
404 through the scoped lookups (``get_training_for_user`` and
``get_project_for_user`` in activities/selectors/, on the rules of
activities/permissions/trainings.py); edit pages of an object the user may see
but not manage are a 404 too, as in the stations app."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities import permissions, selectors, services, writing
from activities.forms.trainings import (
    AttendanceForm,
    LinkReportForm,
    ProjectForm,
    TrainingForm,
    TrainingSessionForm,
)
from stations.permissions import get_scope, stations_visible_to, workers_visible_to
from stations.views.staff import add_service_errors, pk_param, staff_required

from ..models import Project, Training, TrainingAttendance

TRAINING_PAGE_SIZE = 50
PROJECT_PAGE_SIZE = 50
HOURS_PAGE_SIZE = 100


def _page(request, qs, size):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _may_organise(scope) -> bool:
    return scope.is_superuser or bool(scope.editor_cities or scope.reviewer_counties)


def _may_start_project(scope) -> bool:
    return _may_organise(scope) or bool(scope.lead_stations)


# --- Trainings ---------------------------------------------------------------------


@staff_required
def training_list(request):
    qs = selectors.trainings_with_figures(
        permissions.trainings_visible_to(request.user)
    ).order_by("-pk")
    scope = get_scope(request.user)
    return render(
        request,
        "activities/staff/trainings/list.html",
        {
            "page": _page(request, qs, TRAINING_PAGE_SIZE),
            "can_create": _may_organise(scope),
            "scope": scope,
        },
    )


@staff_required
def training_detail(request, pk):
    training = selectors.get_training_for_user(request.user, pk)
    return render(
        request,
        "activities/staff/trainings/detail.html",
        {
            "training": training,
            "sessions": selectors.sessions_of(training),
            "trainees": selectors.trainees_of(training),
            "can_manage": permissions.can_manage_training(request.user, training),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk=None):
    if pk:
        training = selectors.get_training_for_user(request.user, pk, write=True)
    else:
        if not _may_organise(get_scope(request.user)):
            raise PermissionDenied
        training = Training()
    form = TrainingForm(request.POST or None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        service = services.training_update if pk else services.training_create
        try:
            training = service(training=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存培训：%(t)s") % {"t": training.title})
            return redirect(training)
    return render(
        request,
        "activities/staff/trainings/form.html",
        {
            "form": form,
            "training": training if pk else None,
            "title": _("编辑培训") if pk else _("新建培训"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_new(request, pk):
    training = selectors.get_training_for_user(request.user, pk, write=True)
    form = TrainingSessionForm(
        request.POST or None, initial={"hours": 3, "date": timezone.localdate()}
    )
    form.instance.training = training
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.training_session_add(
                training=training,
                by=request.user,
                date=data["date"],
                topic=data["topic"],
                teacher=data["teacher"],
                hours=data["hours"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("已添加课程：%(s)s。请记录签到。") % {"s": session.topic}
            )
            return redirect("activities_staff:training_attendance", pk=session.pk)
    return render(
        request,
        "activities/staff/trainings/session_form.html",
        {"form": form, "training": training, "title": _("添加课程")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = selectors.get_session_for_user(request.user, pk)
    form = TrainingSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_session_update(
                session=form.save(commit=False), by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存课程：%(s)s") % {"s": session.topic})
            return redirect(session.training)
    return render(
        request,
        "activities/staff/trainings/session_form.html",
        {
            "form": form,
            "training": session.training,
            "session": session,
            "title": _("编辑课程"),
        },
    )


@staff_required
@require_POST
def session_delete(request, pk):
    session = selectors.get_session_for_user(request.user, pk)
    training = session.training
    services.training_session_delete(session=session, by=request.user)
    messages.success(request, _("已删除课程：%(s)s") % {"s": session.topic})
    return redirect(training)


@staff_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request, pk):
    session = selectors.get_session_for_user(request.user, pk)
    training = session.training
    stations = list(permissions.stations_of_training_area(training))
    station_pk = pk_param(request.POST.get("station") or request.GET.get("station", ""))
    station = next((s for s in stations if s.pk == station_pk), None)
    current = TrainingAttendance.objects.filter(session=session)
    form = AttendanceForm(
        request.POST or None,
        training=training,
        station=station,
        initial={"workers": list(current.values_list("worker_id", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        # With a station filter, the sheet shows only that station's workers:
        # attendees of other stations stay as they are.
        kept = (
            list(
                current.exclude(worker__station=station).values_list(
                    "worker_id", flat=True
                )
            )
            if station
            else []
        )
        try:
            added, removed = services.training_attendance_set(
                session=session,
                workers=[*kept, *form.cleaned_data["workers"]],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存签到：新增 %(a)d 人，移除 %(r)d 人。")
                % {"a": added, "r": removed},
            )
            return redirect(training)
    return render(
        request,
        "activities/staff/trainings/attendance.html",
        {
            "form": form,
            "session": session,
            "training": training,
            "stations": stations,
            "station": station,
        },
    )


@staff_required
def training_hours(request):
    """Hours per worker per year for the workers the user may see."""
    workers = workers_visible_to(request.user)
    stations = list(stations_visible_to(request.user).with_place())
    station_pk = pk_param(request.GET.get("station", ""))
    station = next((s for s in stations if s.pk == station_pk), None)
    if station:
        workers = workers.filter(station=station)
    worker_pk = pk_param(request.GET.get("worker", ""))
    if worker_pk:
        workers = workers.filter(pk=worker_pk)
    years = selectors.training_years(workers)
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isascii() and year_param.isdigit() else None
    if year not in years:
        year = None
    columns = [year] if year else years
    page = _page(
        request,
        workers.select_related("station__town__county").order_by(
            "station__town__county__city__code",
            "station__town__county__display_order",
            "station__town__display_order",
            "real_name",
            "pk",
        ),
        HOURS_PAGE_SIZE,
    )
    return render(
        request,
        "activities/staff/trainings/hours.html",
        {
            "page": page,
            "rows": selectors.hours_table(list(page), columns),
            "years": years,
            "year": year,
            "columns": columns,
            "stations": stations,
            "station": station,
            "worker_pk": worker_pk,
        },
    )


# --- Projects ----------------------------------------------------------------------


@staff_required
def project_list(request):
    qs = selectors.projects_with_place(
        permissions.projects_visible_to(request.user)
    ).order_by("-start_date", "pk")
    page = _page(request, qs, PROJECT_PAGE_SIZE)
    progress = selectors.projects_progress(list(page))
    return render(
        request,
        "activities/staff/projects/list.html",
        {
            "page": page,
            "rows": [progress[p.pk] for p in page],
            "can_create": _may_start_project(get_scope(request.user)),
        },
    )


@staff_required
def project_detail(request, pk):
    project = selectors.get_project_for_user(request.user, pk)
    can_manage = permissions.can_manage_project_of(request.user, project.station)
    progress = selectors.project_progress(project)
    return render(
        request,
        "activities/staff/projects/detail.html",
        {
            "project": project,
            "progress": progress,
            # Figures for writing, from the progress above: no query.
            "figure_checks": writing.text_figure_checks(
                project.description, project=project, progress=progress
            ),
            "reports": selectors.linked_reports(project),
            "can_manage": can_manage,
            # The select is drawn from this list, so its options cost one query;
            # LinkReportForm checks the posted choice against the same queryset.
            "linkable": list(selectors.linkable_reports(project)) if can_manage else [],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk=None):
    if pk:
        project = selectors.get_project_for_user(request.user, pk, write=True)
    else:
        if not _may_start_project(get_scope(request.user)):
            raise PermissionDenied
        project = Project()
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        service = services.project_update if pk else services.project_create
        try:
            project = service(project=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存项目：%(t)s") % {"t": project.title})
            return redirect(project)
    return render(
        request,
        "activities/staff/projects/form.html",
        {
            "form": form,
            "project": project if pk else None,
            "title": _("编辑项目") if pk else _("新建项目"),
        },
    )


@staff_required
@require_POST
def project_link(request, pk):
    project = selectors.get_project_for_user(request.user, pk, write=True)
    form = LinkReportForm(request.POST, project=project)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(project)
    report = form.cleaned_data["report"]
    try:
        services.project_link_report(project=project, report=report, by=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("已关联报告：%(t)s") % {"t": report.title})
    return redirect(project)


@staff_required
@require_POST
def project_unlink(request, pk, report_pk):
    project = selectors.get_project_for_user(request.user, pk, write=True)
    report = get_object_or_404(project.reports.all(), pk=report_pk)
    try:
        services.project_unlink_report(project=project, report=report, by=request.user)
    except ValidationError as exc:  # unlinked by someone else meanwhile
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("已取消关联：%(t)s") % {"t": report.title})
    return redirect(project)
