"""Staff pages to record six-standard checks and supervision visits, and to close
follow-up items. Supervisors, county reviewers and city editors use them for the
stations in their scope; anyone else gets a 404 for the station."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.outages import StorageFull
from stations.forms.quality import StandardsCheckForm, SupervisionVisitForm
from stations.services.quality import (
    follow_up_complete,
    standards_check_record,
    supervision_visit_record,
)

from ..models import FollowUpItem
from ..permissions import stations_supervisable_by
from .staff import staff_required


def _station(request, pk):
    return get_object_or_404(stations_supervisable_by(request.user).with_place(), pk=pk)


@staff_required
@require_http_methods(["GET", "POST"])
def standards_check_new(request, pk):
    station = _station(request, pk)
    form = StandardsCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = standards_check_record(
                station=station,
                by=request.user,
                checked_on=form.cleaned_data["checked_on"],
                note=form.cleaned_data["note"],
                items=form.items(),
            )
        except StorageFull as exc:
            # The disk is full: nothing was saved; the form comes back filled.
            messages.error(request, " ".join(exc.messages))
        else:
            met = check.items.filter(met=True).count()
            messages.success(
                request, _("已记录“六有”检查：达标 %(n)d/6 项。") % {"n": met}
            )
            return redirect("stations_staff:station", pk=station.pk)
    return render(
        request,
        "stations/staff/standards_check_form.html",
        {"form": form, "station": station},
        status=400 if form.is_bound else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def supervision_visit_new(request, pk):
    station = _station(request, pk)
    form = SupervisionVisitForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        supervision_visit_record(
            station=station,
            by=request.user,
            visited_on=data["visited_on"],
            supervisors=data["supervisors"],
            other_participants=data["other_participants"],
            findings=data["findings"],
            requirements=data["requirements"],
            follow_ups=form.follow_ups(),
        )
        messages.success(request, _("已记录督导走访。"))
        return redirect("stations_staff:station", pk=station.pk)
    return render(
        request,
        "stations/staff/supervision_visit_form.html",
        {"form": form, "station": station},
        status=400 if form.is_bound else 200,
    )


@staff_required
@require_POST
def follow_up_done(request, pk):
    item = get_object_or_404(
        FollowUpItem.objects.select_related("visit__station__town__county").filter(
            visit__station__in=stations_supervisable_by(request.user)
        ),
        pk=pk,
    )
    follow_up_complete(
        item=item, by=request.user, note=request.POST.get("note", "")[:300]
    )
    messages.success(
        request, _("整改事项已标记为完成：%(d)s") % {"d": item.description}
    )
    return redirect("stations_staff:station", pk=item.visit.station_id)
