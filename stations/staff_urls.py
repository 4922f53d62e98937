from django.urls import path

from .views import imports, quality, staff

app_name = "stations_staff"

urlpatterns = [
    path("stations/", staff.station_list, name="stations"),
    path("stations/new/", staff.station_edit, name="station_new"),
    path("stations/<int:pk>/", staff.station_detail, name="station"),
    path("stations/<int:pk>/edit/", staff.station_edit, name="station_edit"),
    path("stations/<int:station_pk>/points/new/", staff.point_edit, name="point_new"),
    path("points/<int:pk>/edit/", staff.point_edit, name="point_edit"),
    path("points/<int:pk>/delete/", staff.point_delete, name="point_delete"),
    path("workers/", staff.worker_list, name="workers"),
    path("workers/new/", staff.worker_edit, name="worker_new"),
    path("workers/<int:pk>/edit/", staff.worker_edit, name="worker_edit"),
    path(
        "stations/<int:pk>/standards/new/",
        quality.standards_check_new,
        name="standards_new",
    ),
    path(
        "stations/<int:pk>/visits/new/", quality.supervision_visit_new, name="visit_new"
    ),
    path("follow-ups/<int:pk>/done/", quality.follow_up_done, name="follow_up_done"),
    path("import/", imports.import_index, name="import_index"),
    path("import/<slug:kind>/", imports.import_upload, name="import_upload"),
    path("import/<slug:kind>/confirm/", imports.import_confirm, name="import_confirm"),
    path(
        "import/<slug:kind>/template.xlsx",
        imports.import_template,
        name="import_template",
    ),
]
