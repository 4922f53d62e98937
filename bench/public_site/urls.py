"""The product's URLs, and the baseline: a minimal view that renders a static
template (a saved copy of a public page, between verbatim tags) through the
same middleware, with the same context processors."""

from django.shortcuts import render
from django.urls import path

from portal.urls import urlpatterns as product


def baseline(request, name):
    return render(request, f"baseline_{name}.html")


urlpatterns = [path("bench/baseline/<slug:name>/", baseline), *product]
