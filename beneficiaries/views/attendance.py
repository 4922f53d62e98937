"""Recording which beneficiary files attended a station report: the page linked
from the report page, for the reporting station's members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from activities import permissions as report_permissions
from beneficiaries import permissions as access
from beneficiaries import selectors
from beneficiaries.forms.cases import AttendanceForm
from beneficiaries.services import attendance
from beneficiaries.views.files import TEMPLATES
from stations.views.staff import staff_required


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_attendance(request, pk):
    """Record which of its files attended a station report: the keeping
    station's members only (others: 404)."""
    report = report_permissions.get_report_for_user(request.user, pk)
    if not access.can_record_attendance(request.user, report):
        raise Http404
    choices = selectors.attendance_choices(report)
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(
        data,
        choices=choices,
        initial={
            "beneficiaries": list(
                report.attendances.values_list("beneficiary", flat=True)
            )
        },
    )
    if data is not None and form.is_valid():
        try:
            count = attendance.attendance_set(
                report=report,
                beneficiaries=form.cleaned_data["beneficiaries"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记参与服务对象 %(n)d 人。") % {"n": count})
            return redirect(report)
    return render(
        request,
        TEMPLATES + "attendance.html",
        {"report": report, "form": form},
        status=400 if data is not None else 200,
    )
