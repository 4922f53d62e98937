from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from activities.permissions import review_queue, reviews_reports
from stations import permissions
from stations.models import Role


@require_GET
def home(request):
    """The public home page. The newsletter issue replaces its body with the
    latest issue; until then it leads to the station directory."""
    return render(request, "portal/home.html")


@never_cache
@require_GET
def healthz(request):
    """200 with ``{"database": "ok"}`` when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
def staff_home(request):
    scope = permissions.get_scope(request.user)
    assignments = list(
        request.user.role_assignments.select_related(
            "city", "county__city", "station__town__county"
        ).order_by("role", "pk")
    )
    worker = getattr(request.user, "social_worker", None)
    display_name = (
        worker.real_name
        if worker
        else request.user.get_full_name() or request.user.username
    )
    return render(
        request,
        "portal/staff_home.html",
        {
            "review_waiting": (
                review_queue(request.user).count()
                if reviews_reports(request.user)
                else None
            ),
            "scope": scope,
            "assignments": assignments,
            "display_name": display_name,
            "Role": Role,
        },
    )
