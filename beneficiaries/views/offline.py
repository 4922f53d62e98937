"""What the phone's offline queue needs of the beneficiary files: the page for
recording a visit without signal, and the list of people it chooses from.

The page holds no one's data, so the service worker may keep it: the list of
people is filled on the phone from the user's own copy, which holds the name
and the village of each open file of the user's stations and nothing else."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beneficiaries import permissions as access
from beneficiaries import selectors
from beneficiaries.forms.files import VisitForm
from beneficiaries.models import Visit
from beneficiaries.views.files import TEMPLATES, files_required
from stations.permissions import get_scope


def _keeper(request):
    if not access.keeps_files(request.user):
        raise PermissionDenied


@files_required
@require_GET
def people(request):
    """The people whose visits the user may record: id, name and village."""
    _keeper(request)
    return JsonResponse({"people": selectors.people_for_device(request.user)})


@files_required
@require_GET
def visit_quick(request):
    """A visit form for any of the user's files, chosen on the page."""
    _keeper(request)
    form = VisitForm(
        station_ids=get_scope(request.user).member_stations,
        initial={
            "date": datetime.date.today(),
            "kind": Visit.Kind.HOME,
            "worker": getattr(request.user, "social_worker", None),
        },
    )
    return render(request, TEMPLATES + "visit_quick.html", {"form": form})
