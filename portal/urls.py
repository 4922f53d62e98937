from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsletter.views import discovery as newsletter_discovery
from newsletter.views import public as newsletter_public

from . import media, views

staff_patterns = ([path("", views.staff_home, name="home")], "staff")

urlpatterns = [
    # The public site is the newsletter's (newsletter/urls.py).
    path("", newsletter_public.home, name="home"),
    path("sitemap.xml", newsletter_discovery.sitemap_xml, name="sitemap"),
    path("robots.txt", newsletter_discovery.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/lang/<str:code>/", views.language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("stations/", include("stations.urls")),
    path("staff/", include(staff_patterns)),
    path("staff/", include("stations.staff_urls")),
    path("staff/", include("activities.staff_urls")),
    path("staff/", include("newsletter.staff_urls")),
    path("staff/", include("newsletter.legacy.urls")),
    path("", include("newsletter.urls")),
    # Uploaded files, through the view that checks who may see each one
    # (portal/media.py), in every mode: a random name is no permission.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media, name="media"
    ),
]
