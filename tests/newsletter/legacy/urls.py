"""The project's URLs with the legacy import screen mounted as the coordinator
mounts it (``path("staff/", include("newsletter.legacy.urls"))``), for as long as
portal/urls.py does not include it yet."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_patterns


def _mounted(patterns) -> bool:
    return any(getattr(p, "namespace", None) == "newsletter_legacy" for p in patterns)


urlpatterns = list(portal_patterns)
if not _mounted(urlpatterns):
    urlpatterns.append(path("staff/", include("newsletter.legacy.urls")))
