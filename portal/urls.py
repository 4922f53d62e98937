from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from newsletter.views import discovery as newsletter_discovery
from newsletter.views import public as newsletter_public

from . import accounts, health, media, offline, views

staff_patterns = (
    [
        path("", views.staff_home, name="home"),
        # The phone's offline queue (portal/offline.py).
        path("offline/token/", offline.csrf_token, name="offline_token"),
        path("offline/key/", offline.key, name="offline_key"),
    ],
    "staff",
)

urlpatterns = [
    # The public site is the newsletter's (newsletter/urls.py).
    path("", newsletter_public.home, name="home"),
    path("sitemap.xml", newsletter_discovery.sitemap_xml, name="sitemap"),
    path("robots.txt", newsletter_discovery.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    # At the root, so that its scope covers the staff pages.
    path("sw.js", offline.service_worker, name="service_worker"),
    # Django's account pages, three of them with limits on repeated attempts
    # (portal/accounts.py); same addresses and names as Django's own.
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The admin's own password-change page asks for the old password too, but
    # would not count the wrong ones: it sends to the portal's page instead.
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="password_change"),
    ),
    path("admin/", admin.site.urls),
    path("i18n/lang/<str:code>/", views.language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("stations/", include("stations.urls")),
    path("staff/", include(staff_patterns)),
    path("staff/notifications/", include("portal.notifications")),
    path("staff/", include("core.staff_urls")),
    path("staff/", include("stations.staff_urls")),
    path("staff/", include("activities.staff_urls")),
    path("staff/", include("beneficiaries.staff_urls")),
    path("staff/", include("stats.staff_urls")),
    path("staff/", include("newsletter.staff_urls")),
    path("", include("newsletter.urls")),
    # Uploaded files, through the view that checks who may see each one
    # (portal/media.py), in every mode: a random name is no permission.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media, name="media"
    ),
]

# The Chinese error pages (portal/errors.py); with DEBUG on as well, through
# portal.middleware.ErrorPageMiddleware.
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
