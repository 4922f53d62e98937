"""Staff pages for cases (个案): the list, the caseload per worker, opening a case
from a file, the case page (logged as a view) with its append-only notes and
referrals, editing the plan, and closing.

Cases are fetched through beneficiaries/permissions.py: out of scope is a 404,
and only the keeping station's members reach the write pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries import permissions as access
from beneficiaries import selectors
from beneficiaries.audit import Action, record
from beneficiaries.forms.cases import (
    CaseCloseForm,
    CaseFilterForm,
    CaseForm,
    CaseNoteForm,
    ReferralForm,
)
from beneficiaries.forms.files import StationFilterForm
from beneficiaries.models import Case
from beneficiaries.services import cases
from beneficiaries.views.files import files_required
from stations.permissions import filter_stations
from stations.views.staff import add_service_errors

PAGE_SIZE = 50
WORKER_PAGE_SIZE = 30
TEMPLATES = "beneficiaries/staff/cases/"


@files_required
@require_GET
def case_list(request):
    form = CaseFilterForm(request.GET, stations=filter_stations(request.user))
    page = Paginator(
        selectors.case_list(request.user, form.filters()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "list.html", {"page": page, "form": form})


@files_required
@require_GET
def caseload(request):
    form = StationFilterForm(request.GET, stations=filter_stations(request.user))
    page = Paginator(
        selectors.caseload(request.user, station_id=form.station_id()),
        WORKER_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "caseload.html", {"page": page, "form": form})


@files_required
@require_http_methods(["GET", "POST"])
def case_new(request, pk):
    beneficiary = access.get_beneficiary_for_user(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    case = Case(beneficiary=beneficiary)
    form = CaseForm(
        data,
        instance=case,
        beneficiary=beneficiary,
        initial={
            "opened_on": datetime.date.today(),
            "worker": getattr(request.user, "social_worker", None),
        },
    )
    if data is not None and form.is_valid():
        try:
            case = cases.case_open(
                case=form.save(commit=False), by=request.user, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已开案。"))
            return redirect(case)
    return render(
        request,
        TEMPLATES + "form.html",
        {"form": form, "b": beneficiary, "case": None, "title": _("开案")},
        status=400 if data is not None else 200,
    )


@files_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = access.get_case_for_user(request.user, pk, write=True)
    if case.is_closed:
        messages.error(request, _("个案已结案，不能修改；需要补充时请添加个案记录。"))
        return redirect(case)
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, instance=case, beneficiary=case.beneficiary)
    if data is not None and form.is_valid():
        try:
            cases.case_update(
                case=form.save(commit=False), by=request.user, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(case)
    return render(
        request,
        TEMPLATES + "form.html",
        {"form": form, "b": case.beneficiary, "case": case, "title": _("修改个案")},
        status=400 if data is not None else 200,
    )


def _render_case(request, case, *, note_form=None, referral_form=None, status=200):
    selectors.case_for_page(case)
    can_write = access.can_write(request.user, case.beneficiary)
    today = datetime.date.today()
    context = {
        "case": case,
        "b": case.beneficiary,
        "notes": case.notes.all(),
        "referrals": case.referrals.all(),
        "can_write": can_write,
    }
    if can_write:
        context["note_form"] = note_form or CaseNoteForm(
            case=case, initial={"date": today}
        )
        if not case.is_closed:
            context["referral_form"] = referral_form or ReferralForm(
                initial={"referred_on": today}
            )
            context["close_form"] = CaseCloseForm(initial={"closed_on": today})
    return render(request, TEMPLATES + "detail.html", context, status=status)


@files_required
@require_GET
def case_detail(request, pk):
    case = access.get_case_for_user(request.user, pk)
    record(by=request.user, action=Action.VIEW, target=case, request=request)
    return _render_case(request, case)


@files_required
@require_POST
def case_note_new(request, pk):
    case = access.get_case_for_user(request.user, pk, write=True)
    form = CaseNoteForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cases.case_note_add(
                case=case,
                by=request.user,
                text=data["text"],
                date=data["date"],
                corrects=data["corrects"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加个案记录。"))
            return redirect(case)
    return _render_case(request, case, note_form=form, status=400)


@files_required
@require_POST
def referral_new(request, pk):
    case = access.get_case_for_user(request.user, pk, write=True)
    form = ReferralForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cases.referral_add(
                case=case,
                by=request.user,
                purpose=data["purpose"],
                partner=data["partner"],
                partner_other=data["partner_other"],
                referred_on=data["referred_on"],
                outcome=data["outcome"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录转介。"))
            return redirect(case)
    return _render_case(request, case, referral_form=form, status=400)


@files_required
@require_POST
def case_close(request, pk):
    case = access.get_case_for_user(request.user, pk, write=True)
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            cases.case_close(
                case=case,
                by=request.user,
                summary=form.cleaned_data["summary"],
                closed_on=form.cleaned_data["closed_on"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已结案。"))
        return redirect(case)
    messages.error(
        request,
        " ".join(str(e) for errors in form.errors.values() for e in errors),
    )
    return redirect(case)
