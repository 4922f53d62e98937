"""The site's URLs plus views that fail on purpose, for test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from portal.urls import (  # noqa: F401 - the handlers are read from this module
    handler400,
    handler403,
    handler404,
    handler500,
)
from portal.urls import urlpatterns as portal_patterns


def boom(request):
    raise RuntimeError("boom")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered")


def read_body(request):
    # As a JSON endpoint reads its body: over DATA_UPLOAD_MAX_MEMORY_SIZE it raises.
    return HttpResponse(str(len(request.body)))


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/body/", read_body),
    *portal_patterns,
]
