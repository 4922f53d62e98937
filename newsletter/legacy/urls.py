"""The legacy import screen. Mounted by portal/urls.py under /staff/:
``path("staff/", include("newsletter.legacy.urls"))``."""

from django.urls import path

from . import views

app_name = "newsletter_legacy"

urlpatterns = [
    path("issues/import/", views.issue_import_upload, name="import"),
    path("issues/import/confirm/", views.issue_import_confirm, name="import_confirm"),
    path("issues/import/archive/", views.archive_upload, name="archive"),
]
