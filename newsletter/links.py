"""Absolute addresses for the public site: feeds, the sitemap, canonical links
and share previews need them. ``PUBLIC_BASE_URL`` (the ``PORTAL_BASE_URL``
environment variable) when it is set, the request's own address otherwise."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def base_url(request) -> str:
    return settings.PUBLIC_BASE_URL or f"{request.scheme}://{request.get_host()}"


def absolute(request, url: str) -> str:
    """``url`` (a path, or already absolute: media on object storage) made
    absolute."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{urlsplit(base_url(request)).scheme}:{url}"
    return base_url(request) + url


def domain_and_scheme(request) -> tuple[str, str]:
    """(host[:port], scheme) of the public address."""
    parts = urlsplit(base_url(request))
    return parts.netloc, parts.scheme


def register_unit_links() -> None:
    """The station directory and a station's page link to the news of the
    county and of the station (stations/links.py)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from stations.links import UnitLink, register_unit_link

    def label(unit) -> str:
        return _("%(name)s动态") % {
            "name": unit.name if hasattr(unit, "code") else unit
        }

    register_unit_link(
        UnitLink(
            "county", label, lambda c: reverse("newsletter:county_news", args=[c.code])
        )
    )
    register_unit_link(
        UnitLink(
            "station", label, lambda s: reverse("newsletter:station_news", args=[s.pk])
        )
    )
