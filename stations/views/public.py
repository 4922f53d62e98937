"""The public station directory and station pages. No personal data: a station
page names its head only when the station chose to publish it."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
def directory(request):
    return render(request, "stations/directory.html", {"cities": selectors.directory()})


@require_GET
def station_detail(request, pk):
    station = get_object_or_404(selectors.station_public(pk))
    context = {
        "station": station,
        "points": selectors.points_of(station),
        "post_counts": selectors.worker_counts_by_post(station),
        "standards": selectors.standards_status(station),
        "head_names": selectors.station_head_names(station)
        if station.publish_head_name
        else [],
    }
    return render(request, "stations/station_detail.html", context)
