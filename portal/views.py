from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from activities.permissions.reports import review_queue, reviews_reports
from core.models import Job
from newsletter.permissions import edits_newsletter
from newsletter.selectors import open_findings_count
from stations import permissions
from stations.models import Role

RECENT_JOBS = 5


@require_GET
def language(request, code):
    """The footer's language links: remember the choice in the language cookie
    (read by LanguageCookieMiddleware) and go back to the page. A link rather
    than Django's POST form, so that public pages carry no per-reader CSRF
    token and can be cached as the same bytes for everyone; all a forged link
    could do is switch a reader's language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


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
    # The user's latest background jobs (core/jobs/), one query.
    recent_jobs = list(
        Job.objects.filter(started_by=request.user).order_by("-created_at", "-pk")[
            :RECENT_JOBS
        ]
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
            # What the privacy sweep found on the public site, for its editors.
            "privacy_findings": (
                open_findings_count(request.user)
                if edits_newsletter(request.user)
                else None
            ),
            "scope": scope,
            "assignments": assignments,
            "display_name": display_name,
            "Role": Role,
            "recent_jobs": recent_jobs,
        },
    )
