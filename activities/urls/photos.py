"""Report photos under /staff/: upload to a report, edit and delete one photo."""

from django.urls import path

from ..views import photos

urlpatterns = [
    path("reports/<int:pk>/photos/", photos.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/edit/", photos.photo_edit, name="photo_edit"),
    path("photos/<int:pk>/delete/", photos.photo_delete, name="photo_delete"),
]
