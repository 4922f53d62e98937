"""Staff pages for beneficiary files (DESIGN.md §6): the list, opening and
editing a file, the file page (masked; full values on an explicit, logged
action), visits, transfer, closing, deletion, the overdue list and attendance
on reports.

Every page is private and never cached. Files are fetched through
beneficiaries/permissions.py: out of scope is a 404, and only the keeping
station's members reach the write pages."""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries import permissions as access
from beneficiaries import selectors
from beneficiaries.audit import Action, record
from beneficiaries.duplicates import DuplicateFile, describe
from beneficiaries.forms.files import (
    BeneficiaryForm,
    FileFilterForm,
    ReasonForm,
    StationFilterForm,
    StatusForm,
    TransferForm,
    VisitForm,
)
from beneficiaries.models import Beneficiary, Visit
from beneficiaries.services import files as services
from stations.permissions import filter_stations
from stations.views.staff import add_service_errors, staff_required

PAGE_SIZE = 50
TEMPLATES = "beneficiaries/staff/"


def files_required(view):
    """Staff who read files at all (any role with a station, county or city in
    scope); others get 403 like any staff page they have no use for."""

    @staff_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.reads_files(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@files_required
@require_GET
def file_list(request):
    form = FileFilterForm(request.GET, stations=filter_stations(request.user))
    if form.whole_number:
        # Keep a whole ID or phone number out of the page and its links.
        messages.error(request, _("请只输入身份证号或电话号码的后四位。"))
        query = request.GET.copy()
        query.pop("q", None)
        return redirect(f"{request.path}?{query.urlencode()}")
    page = _page(request, selectors.file_list(request.user, form.filters()))
    today = datetime.date.today()
    for b in page:
        b.days_since_visit = selectors.days_since(b.last_visit, today)
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "page": page,
            "form": form,
            "can_create": access.keeps_files(request.user),
        },
    )


def _duplicates_context(user, exc: DuplicateFile) -> dict:
    readable = set(
        access.beneficiaries_visible_to(user)
        .filter(pk__in=[m.pk for m in exc.matches])
        .values_list("pk", flat=True)
    )
    return {
        "duplicates": [
            {
                "text": describe(m),
                "url": m.get_absolute_url() if m.pk in readable else "",
            }
            for m in exc.matches
        ],
        "duplicate_by_id": exc.by_id,
    }


@files_required
@require_http_methods(["GET", "POST"])
def file_new(request):
    stations = list(access.writable_stations(request.user))
    if not stations:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = BeneficiaryForm(data, stations=stations)
    context = {"form": form, "beneficiary": None, "title": _("新建服务对象档案")}
    if data is not None and form.is_valid():
        try:
            beneficiary = services.beneficiary_create(
                beneficiary=form.save(commit=False),
                station=form.station(),
                by=request.user,
                categories=form.cleaned_data["categories"],
                confirm_distinct=form.cleaned_data.get("confirm_distinct", False),
                request=request,
            )
        except DuplicateFile as exc:
            form.add_error(None, exc.messages)
            context.update(_duplicates_context(request.user, exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已建档：%(n)s") % {"n": beneficiary.name})
            return redirect(beneficiary)
    return render(request, TEMPLATES + "form.html", context)


@files_required
@require_http_methods(["GET", "POST"])
def file_edit(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = BeneficiaryForm(data, instance=beneficiary, stations=[beneficiary.station])
    context = {"form": form, "beneficiary": beneficiary, "title": _("修改档案")}
    if data is not None and form.is_valid():
        try:
            services.beneficiary_update(
                beneficiary=form.save(commit=False),
                by=request.user,
                categories=form.cleaned_data["categories"],
                request=request,
            )
        except DuplicateFile as exc:
            form.add_error(None, exc.messages)
            context.update(_duplicates_context(request.user, exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(beneficiary)
    return render(request, TEMPLATES + "form.html", context)


def _render_file(request, beneficiary: Beneficiary, *, full: bool):
    user = request.user
    selectors.file_for_page(beneficiary)
    can_write = access.can_write(user, beneficiary)
    visits = list(beneficiary.visits.all())
    context = {
        "b": beneficiary,
        "full": full,
        "visits": visits,
        "cases": beneficiary.cases.all(),
        "transfers": beneficiary.transfers.all(),
        "attendances": beneficiary.attendances.all(),
        "can_write": can_write,
        "can_see_full": access.can_see_full(user, beneficiary),
        "is_active": beneficiary.status == Beneficiary.Status.ACTIVE,
        "visit_form": VisitForm(
            beneficiary=beneficiary,
            initial={
                "date": datetime.date.today(),
                "kind": Visit.Kind.HOME,
                "worker": getattr(user, "social_worker", None),
            },
        )
        if can_write
        else None,
        "days_since_visit": selectors.days_since(
            visits[0].date if visits else beneficiary.opened_on
        ),
    }
    return render(request, TEMPLATES + "detail.html", context)


@files_required
@require_GET
def file_detail(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk)
    record(by=request.user, action=Action.VIEW, target=beneficiary, request=request)
    return _render_file(request, beneficiary, full=False)


@files_required
@require_POST
def file_full(request, pk):
    """The file with its ID number and phones in full: a POST (so it is a
    deliberate act, never a link that is followed or cached), for the keeping
    station only, logged."""
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    record(
        by=request.user,
        action=Action.VIEW_FULL,
        target=beneficiary,
        request=request,
        detail=_("查看完整身份证号和电话"),
    )
    return _render_file(request, beneficiary, full=True)


@files_required
@require_POST
def visit_new(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    form = VisitForm(request.POST, beneficiary=beneficiary)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_add(
                beneficiary=beneficiary,
                by=request.user,
                kind=data["kind"],
                date=data["date"],
                worker=data["worker"],
                notes=data["notes"],
                needs_found=data["needs_found"],
                follow_up_due=data["follow_up_due"],
                client_key=data["client_key"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加走访记录。"))
            return redirect(beneficiary)
    return render(
        request,
        TEMPLATES + "visit_form.html",
        {"b": beneficiary, "form": form},
        status=400,
    )


def _action_page(request, beneficiary, form, template, service, done, **kwargs):
    """A small form page whose POST calls one service: redirect with a message on
    success, the form again (400) with the refusal otherwise."""
    if request.method == "POST" and form.is_valid():
        try:
            service(beneficiary=beneficiary, by=request.user, request=request, **kwargs)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(
                "beneficiaries_staff:beneficiaries"
                if service is services.beneficiary_delete
                else beneficiary.get_absolute_url()
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, TEMPLATES + template, {"b": beneficiary, "form": form}, status=status
    )


@files_required
@require_http_methods(["GET", "POST"])
def file_transfer(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = TransferForm(data, beneficiary=beneficiary)
    kwargs = {}
    if data is not None and form.is_valid():
        kwargs = {
            "to_station": form.cleaned_data["to_station"],
            "reason": form.cleaned_data["reason"],
            "on": form.cleaned_data["on"],
        }
    return _action_page(
        request,
        beneficiary,
        form,
        "transfer.html",
        services.beneficiary_transfer,
        _("档案已转移，转入社工站现在负责该档案。"),
        **kwargs,
    )


@files_required
@require_http_methods(["GET", "POST"])
def file_status(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = StatusForm(data, beneficiary=beneficiary)
    kwargs = {}
    if data is not None and form.is_valid():
        kwargs = {
            "status": form.cleaned_data["status"],
            "reason": form.cleaned_data["reason"],
        }
    return _action_page(
        request,
        beneficiary,
        form,
        "status.html",
        services.beneficiary_set_status,
        _("档案状态已更新。"),
        **kwargs,
    )


@files_required
@require_http_methods(["GET", "POST"])
def file_delete(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = ReasonForm(data)
    kwargs = {}
    if data is not None and form.is_valid():
        kwargs = {"reason": form.cleaned_data["reason"]}
    return _action_page(
        request,
        beneficiary,
        form,
        "delete.html",
        services.beneficiary_delete,
        _("档案已删除。"),
        **kwargs,
    )


@files_required
@require_GET
def overdue_list(request):
    form = StationFilterForm(request.GET, stations=filter_stations(request.user))
    today = datetime.date.today()
    page = _page(
        request, selectors.overdue_list(request.user, station_id=form.station_id())
    )
    for b in page:
        b.waited = selectors.days_since(b.last_contact, today)
        b.late_by = b.waited - b.period
    return render(request, TEMPLATES + "overdue.html", {"page": page, "form": form})
