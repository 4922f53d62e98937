"""Statistics under /staff/: the dashboard and its Excel export."""

from django.urls import path

from . import views

app_name = "stats_staff"

urlpatterns = [
    path("stats/", views.dashboard, name="stats"),
    path("stats/export.xlsx", views.dashboard_export, name="stats_export"),
]
