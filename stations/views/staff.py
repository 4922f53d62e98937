"""Staff pages for the station network, outside the admin. Lists are filtered by
scope; an object out of scope is a 404 (stations/permissions.py)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stations.forms.network import (
    ServicePointForm,
    SocialWorkerForm,
    StationForm,
)

from .. import permissions, selectors, services
from ..models import ServicePoint, SocialWorker, SupervisionVisit

PAGE_SIZE = 50
# Largest value a 64-bit primary key can hold; a longer number in a query string
# would overflow the database driver.
MAX_PK = 2**63 - 1


def pk_param(value: str) -> int | None:
    """A primary key from a query string, or None. ``str.isdigit`` alone accepts
    "²" and numbers too large for the database."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_PK:
        return int(value)
    return None


def _search_param(request) -> str:
    # PostgreSQL refuses NUL characters in a string literal.
    return request.GET.get("q", "").replace("\x00", "").strip()[:30]


def add_service_errors(form, exc: ValidationError):
    """Show a validation error raised by a service on the form, on the field it
    names when the form has that field."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def staff_required(view):
    """Logged in and holding at least one role; anyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.get_scope(request.user).is_staff_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def network_manager_required(view):
    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.get_scope(request.user).manages_network:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def station_list(request):
    stations = selectors.stations_with_summary(
        permissions.stations_visible_to(request.user)
    )
    query = _search_param(request)
    if query:
        stations = stations.filter(selectors.station_filter_q(query))
    page = Paginator(
        stations.order_by(*stations.model._meta.ordering), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    manageable = set(
        permissions.stations_manageable_by(request.user)
        .filter(pk__in=[s.pk for s in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "stations/staff/station_list.html",
        {
            "page": page,
            "query": query,
            "manageable": manageable,
            "scope": permissions.get_scope(request.user),
        },
    )


@staff_required
def station_detail(request, pk):
    station = permissions.get_station_for_user(request.user, pk)
    user = request.user
    visits = (
        SupervisionVisit.objects.filter(station=station)
        .prefetch_related("follow_ups", "supervisors__social_worker")
        .order_by("-visited_on", "-pk")[:10]
    )
    context = {
        "station": station,
        "points": selectors.points_of(station),
        "workers": station.workers.order_by("status", "real_name"),
        "standards": selectors.standards_status(station),
        "visits": visits,
        "can_manage": permissions.can_manage_station(user, station),
        "can_manage_points": permissions.can_manage_points_of(user, station),
        "can_supervise": permissions.can_supervise_station(user, station),
    }
    return render(request, "stations/staff/station_detail.html", context)


def _require_network_manager(request):
    if not permissions.get_scope(request.user).manages_network:
        raise PermissionDenied


# The edit pages of stations and workers check their object through the scoped
# lookup, so anyone who may not edit it (a station head included) gets a 404
# like on every other object page; only the "new" pages answer 403.
@staff_required
@require_http_methods(["GET", "POST"])
def station_edit(request, pk=None):
    if pk:
        station = permissions.get_station_for_user(request.user, pk, write=True)
    else:
        _require_network_manager(request)
        station = None
    form = StationForm(request.POST or None, instance=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_save(
                station=form.save(commit=False), by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存：%(s)s") % {"s": station.full_name})
            return redirect("stations_staff:station", pk=station.pk)
    title = _("编辑社工站") if station else _("新建社工站")
    return render(
        request,
        "stations/staff/form.html",
        {"form": form, "title": title, "station": station},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def point_edit(request, station_pk=None, pk=None):
    if pk:
        point = permissions.get_point_for_user(request.user, pk, write=True)
        station = point.station
    else:
        station = get_object_or_404(
            permissions.stations_with_points_manageable_by(request.user).with_place(),
            pk=station_pk,
        )
        point = ServicePoint(station=station)
    form = ServicePointForm(request.POST or None, instance=point, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            services.point_save(point=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存社工点：%(p)s") % {"p": point.name})
            return redirect("stations_staff:station", pk=station.pk)
    title = (_("编辑社工点") if pk else _("新建社工点")) + f" · {station.full_name}"
    return render(
        request,
        "stations/staff/form.html",
        {"form": form, "title": title, "station": station},
    )


@staff_required
@require_POST
def point_delete(request, pk):
    point = permissions.get_point_for_user(request.user, pk, write=True)
    station_pk = point.station_id
    services.point_delete(point=point, by=request.user)
    messages.success(request, _("已删除社工点：%(p)s") % {"p": point.name})
    return redirect("stations_staff:station", pk=station_pk)


@staff_required
def worker_list(request):
    workers = permissions.workers_visible_to(request.user).select_related(
        "station__town__county"
    )
    station_id = pk_param(request.GET.get("station", ""))
    if station_id:
        workers = workers.filter(station_id=station_id)
    query = _search_param(request)
    if query:
        workers = workers.filter(real_name__contains=query)
    workers = workers.order_by(
        "station__town__county__display_order",
        "station__town__display_order",
        "real_name",
    )
    page = Paginator(workers, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = permissions.get_scope(request.user)
    manageable = set(
        permissions.workers_manageable_by(request.user)
        .filter(pk__in=[w.pk for w in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "stations/staff/worker_list.html",
        {"page": page, "query": query, "manageable": manageable, "scope": scope},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def worker_edit(request, pk=None):
    if pk:
        worker = permissions.get_worker_for_user(request.user, pk, write=True)
    else:
        _require_network_manager(request)
        worker = SocialWorker()
    initial = {}
    station_param = pk_param(request.GET.get("station", ""))
    if not pk and station_param:
        initial["station"] = station_param
    form = SocialWorkerForm(
        request.POST or None, instance=worker, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.worker_save(
                worker=form.save(commit=False), by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存社工：%(w)s") % {"w": worker.real_name})
            return redirect("stations_staff:station", pk=worker.station_id)
    return render(
        request,
        "stations/staff/form.html",
        {"form": form, "title": _("编辑社工") if pk else _("新增社工")},
    )
