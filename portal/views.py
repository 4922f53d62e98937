import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from activities.permissions.reports import reviews_reports
from activities.selectors import home as report_selectors
from beneficiaries import selectors as beneficiary_selectors
from core.models import Job
from core.people import display_name
from newsletter.permissions import edits_newsletter
from newsletter.selectors import editor_todos
from stations import permissions
from stations import selectors as station_selectors
from stations.models import Role, Station
from stats.home import late_reports_todo

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
@login_required
@require_GET
def staff_home(request):
    """The staff home: for each of the user's roles, what waits for them, oldest
    first, each item a link and each list with its total and a link to all of
    it; then their roles and latest background jobs. Every list comes from its
    app's selectors; this view only puts them together. Never stored by a
    browser or a proxy: a station's lists name the people it serves."""
    user = request.user
    scope = permissions.get_scope(user)
    today = timezone.localdate()
    assignments = list(
        user.role_assignments.select_related(
            "city", "county__city", "station__town__county"
        ).order_by("role", "pk")
    )
    # The user's latest background jobs (core/jobs/), one query.
    recent_jobs = list(
        Job.objects.filter(started_by=user).order_by("-created_at", "-pk")[:RECENT_JOBS]
    )
    files_reports = bool(
        scope.is_superuser
        or scope.member_stations
        or scope.reviewer_counties
        or scope.editor_cities
    )
    supervised = Station.objects.filter(
        Q(pk__in=scope.supervisor_stations)
        | Q(town__county__in=scope.supervisor_counties)
    )
    todo = {
        # Reports the user files: sent back, and not yet submitted.
        "reports": files_reports
        and {
            "returned": report_selectors.returned_todo(user, today=today),
            "drafts": report_selectors.drafts_todo(user, today=today),
        },
        # A station's own work, for its members; its late reports for its heads.
        "station": bool(scope.member_stations)
        and {
            "overdue": beneficiary_selectors.overdue_todo(user, today=today),
            "follow_ups": station_selectors.follow_ups_todo(scope.member_stations),
            "quiet_cases": beneficiary_selectors.quiet_cases_todo(
                user, days=settings.CASE_QUIET_DAYS, today=today
            ),
            "late": late_reports_todo(user, scope.lead_stations, today=today),
            "leads": bool(scope.lead_stations),
            "station_id": min(scope.member_stations),
        },
        "review": reviews_reports(user)
        and {"waiting": report_selectors.review_todo(user, today=today)},
        "supervision": bool(scope.supervisor_stations or scope.supervisor_counties)
        and {
            "follow_ups": station_selectors.follow_ups_todo(
                supervised,
                until=today
                + datetime.timedelta(days=station_selectors.FOLLOW_UP_SOON_DAYS),
            ),
            "below_standards": station_selectors.stations_below_standards_todo(
                supervised
            ),
        },
        "editor": edits_newsletter(user) and editor_todos(user),
    }
    return render(
        request,
        "portal/staff_home.html",
        {
            "todo": todo,
            "today": today,
            "case_quiet_days": settings.CASE_QUIET_DAYS,
            "follow_up_soon_days": station_selectors.FOLLOW_UP_SOON_DAYS,
            "scope": scope,
            "assignments": assignments,
            "display_name": display_name(user),
            "Role": Role,
            "recent_jobs": recent_jobs,
        },
    )
