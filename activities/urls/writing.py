"""The figure check of a text under /staff/stats/figures/ (its address kept from
when the statistics app held it)."""

from django.urls import path

from ..views import writing

urlpatterns = [
    path("stats/figures/", writing.figure_check, name="stats_figures"),
]
