"""Statistics under /staff/: the dashboard, its Excel export, the figure check."""

from django.urls import path

from ..views import stats

urlpatterns = [
    path("stats/", stats.dashboard, name="stats"),
    path("stats/export.xlsx", stats.dashboard_export, name="stats_export"),
    path("stats/figures/", stats.figure_check, name="stats_figures"),
]
