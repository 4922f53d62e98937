"""Staff pages for activity reports (DESIGN.md §5): the list, filing and editing a
draft, the report page with its history and review actions, and the review queue.

Objects are fetched through activities/permissions/reports.py, so a report out of
the user's scope is a 404 whatever the action; the services check again and raise
PermissionDenied only if a view forgot to."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import permissions, selectors, services, writing
from activities.forms.photos import ReportPhotosForm
from activities.forms.reports import CommentForm, ReportFilterForm, ReportForm
from stations.permissions import filter_stations, get_scope
from stations.views.staff import add_service_errors, staff_required

from ..models import ActivityReport, Status
from ..panels import report_facts, report_panels

PAGE_SIZE = 30
# A report waiting longer than this in the queue is marked as overdue.
OVERDUE_DAYS = 3


# The counts as the report page shows them, each with its own unit: they are
# different things and are never added up (DESIGN.md §2).
COUNTS = [
    ("person_times", gettext_lazy("服务人次"), gettext_lazy("人次")),
    ("households", gettext_lazy("走访、服务户数"), gettext_lazy("户")),
    ("persons", gettext_lazy("服务人数"), gettext_lazy("人")),
    ("volunteers", gettext_lazy("志愿者"), gettext_lazy("人")),
    ("service_hours", gettext_lazy("服务时长"), gettext_lazy("小时")),
]


def _is_filer(scope) -> bool:
    return bool(scope.member_stations or scope.reviewer_counties or scope.editor_cities)


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@staff_required
@require_GET
def report_list(request):
    form = ReportFilterForm(request.GET, stations=filter_stations(request.user))
    reports = selectors.report_list(request.user, form.filters())
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    return render(
        request,
        "activities/staff/reports/list.html",
        {
            "page": page,
            "form": form,
            "can_file": _is_filer(scope),
            "can_review": permissions.reviews_reports(request.user),
        },
    )


def _m2m(form) -> dict:
    data = form.cleaned_data
    return {
        "categories": data["categories"],
        "partners": data["partners"],
        "villages_reached": data["villages_reached"],
    }


def _posted_key(data):
    """The client_key a POST carries, or None when it has none or a broken one
    (the form then says so)."""
    try:
        return uuid.UUID(str(data.get("client_key") or ""))
    except ValueError:
        return None


@staff_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """File a new report, with its first photos in the same request. A POST whose
    client_key this user has sent before answers with the report it made."""
    units = permissions.filing_units(request.user)
    if not units:
        # Supervisors comment on reports but file none (DESIGN.md §4).
        raise PermissionDenied
    data = files = None
    if request.method == "POST":
        earlier = selectors.report_filed_with(
            by=request.user, client_key=_posted_key(request.POST)
        )
        if earlier is not None:
            messages.info(request, _("这份报告已经保存过了，没有重复保存。"))
            return redirect(earlier)
        data, files = request.POST, request.FILES
        if not data.get("client_key"):
            # A form sent without a key gets one, so that sending the form
            # shown again after an error is protected too.
            data = data.copy()
            data["client_key"] = str(uuid.uuid4())
    form = ReportForm(data, units=units)
    photo_form = ReportPhotosForm(data, files)
    if data is not None and all([form.is_valid(), photo_form.is_valid()]):
        photos = photo_form.cleaned_data
        _level, unit = form.unit()
        try:
            checked = services.photos_check(
                by=request.user,
                files=photos["photos"],
                caption=photos["caption"],
                shows_people=photos["shows_people"],
                consent=photos["consent"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # the consent rule, on its checkbox
                add_service_errors(photo_form, exc)
            else:  # one message per refused file
                photo_form.add_error("photos", exc)
        else:
            try:
                report = services.report_create(
                    report=form.save(commit=False),
                    unit=unit,
                    by=request.user,
                    photos=checked,
                    client_key=form.cleaned_data["client_key"],
                    **_m2m(form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _created_message(len(checked)))
                return redirect(report)
    return render(
        request,
        "activities/staff/reports/form.html",
        {
            "form": form,
            "photo_form": photo_form,
            # The browser forgets the chosen files when a form comes back.
            "photos_dropped": data is not None and bool(files.getlist("photos")),
            "report": None,
            "title": _("填报活动报告"),
        },
    )


def _created_message(photos: int) -> str:
    if photos:
        return _(
            "草稿已保存，附 %(n)d 张照片。可以继续添加照片，检查无误后提交审核。"
        ) % {"n": photos}
    return _("草稿已保存。可以继续添加照片，检查无误后提交审核。")


@staff_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = permissions.get_report_for_user(request.user, pk, write=True)
    if not report.is_editable:
        messages.error(
            request,
            _("报告状态为“%(s)s”，不能修改；需要修改时请审核人退回。")
            % {"s": report.get_status_display()},
        )
        return redirect(report)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, instance=report, units=[(report.level, report.unit)])
    if data is not None and form.is_valid():
        try:
            services.report_update(
                report=form.save(commit=False),
                by=request.user,
                expected_updated_at=form.cleaned_data.get("version"),
                **_m2m(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(report)
    return render(
        request,
        "activities/staff/reports/form.html",
        {"form": form, "report": report, "title": _("修改活动报告")},
    )


@staff_required
@require_GET
def report_detail(request, pk):
    user = request.user
    report = selectors.report_for_page(permissions.get_report_for_user(user, pk))
    can_write = permissions.can_write(user, report)
    can_review = permissions.can_review(user, report)
    # What other apps show here (the beneficiaries' attendance): activities.panels.
    panels = report_panels(user, report)
    facts = report_facts(panels)
    context = {
        "report": report,
        "blocks": report.blocks(),
        "counts": [
            (label, getattr(report, name), unit)
            for name, label, unit in COUNTS
            if getattr(report, name) is not None
        ],
        "history": report.transitions.all(),
        # Those who must act on a returned report see why it came back first.
        "returned": selectors.last_return(report) if can_write else None,
        "can_edit": can_write and report.is_editable,
        "can_decide": can_review and report.status == Status.SUBMITTED,
        "can_withdraw": (
            can_review
            and report.status == Status.APPROVED
            and report.published_at is None
        ),
        "can_comment": permissions.can_comment(user, report),
        # What changed since the last return, for those who review or comment.
        "resubmission": (
            selectors.resubmission_changes(report)
            if permissions.can_comment(user, report)
            else None
        ),
        # One list for the page's 覆盖的村（居） and the figure check's count.
        "covered_villages": report.covered_villages(),
        "show_queue": permissions.reviews_reports(user),
        "Status": Status,
        # Figures for writing: the body's numbers against the records,
        # the persons counted from attendance among them.
        "figure_checks": writing.text_figure_checks(
            report.body,
            report=report,
            attendance_persons=facts.get("attendance_persons"),
        ),
        "panels": panels,
    }
    return render(request, "activities/staff/reports/detail.html", context)


def _act(request, report: ActivityReport, service, done: str, **kwargs):
    """Run a workflow service and tell the user how it went. Any refusal is a
    message on the report page; nothing is changed."""
    try:
        service(report=report, by=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect(report)


def _comment(request) -> str | None:
    form = CommentForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["comment"]
    messages.error(request, " ".join(form.errors["comment"]))
    return None


def _report_for_review(request, pk) -> ActivityReport:
    report = permissions.get_report_for_user(request.user, pk)
    if not permissions.can_review(request.user, report):
        raise Http404
    return report


@staff_required
@require_POST
def report_submit(request, pk):
    report = permissions.get_report_for_user(request.user, pk, write=True)
    return _act(
        request, report, services.report_submit, _("已提交审核，审核人会收到通知。")
    )


@staff_required
@require_POST
def report_approve(request, pk):
    report = _report_for_review(request, pk)
    comment = _comment(request)
    if comment is None:
        return redirect(report)
    return _act(
        request, report, services.report_approve, _("已审核通过。"), comment=comment
    )


@staff_required
@require_POST
def report_return(request, pk):
    report = _report_for_review(request, pk)
    comment = _comment(request)
    if comment is None:
        return redirect(report)
    return _act(
        request,
        report,
        services.report_return,
        _("已退回，填报人会看到退回理由。"),
        comment=comment,
    )


@staff_required
@require_POST
def report_withdraw(request, pk):
    report = _report_for_review(request, pk)
    comment = _comment(request)
    if comment is None:
        return redirect(report)
    return _act(
        request,
        report,
        services.report_withdraw,
        _("已撤回通过，报告退回填报人。"),
        comment=comment,
    )


@staff_required
@require_POST
def report_comment(request, pk):
    report = permissions.get_report_for_user(request.user, pk)
    if not permissions.can_comment(request.user, report):
        raise Http404
    comment = _comment(request)
    if comment is None:
        return redirect(report)
    return _act(
        request, report, services.report_comment, _("已添加评论。"), comment=comment
    )


@staff_required
@require_GET
def review_queue(request):
    if not permissions.reviews_reports(request.user):
        raise PermissionDenied
    form = ReportFilterForm(
        request.GET, stations=filter_stations(request.user), with_status=False
    )
    reports = selectors.review_list(request.user, form.filters())
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for report in page:
        waited = now - report.submitted_at if report.submitted_at else None
        report.overdue = waited is not None and waited.days >= OVERDUE_DAYS
    return render(
        request,
        "activities/staff/reports/review.html",
        {"page": page, "form": form, "overdue_days": OVERDUE_DAYS},
    )
