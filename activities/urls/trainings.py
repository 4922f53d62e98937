from django.urls import path

from ..views import trainings as views

urlpatterns = [
    path("trainings/", views.training_list, name="trainings"),
    path("trainings/new/", views.training_edit, name="training_new"),
    path("trainings/hours/", views.training_hours, name="training_hours"),
    path("trainings/<int:pk>/", views.training_detail, name="training"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path(
        "trainings/<int:pk>/sessions/new/",
        views.session_new,
        name="training_session_new",
    ),
    path(
        "trainings/sessions/<int:pk>/edit/",
        views.session_edit,
        name="training_session_edit",
    ),
    path(
        "trainings/sessions/<int:pk>/delete/",
        views.session_delete,
        name="training_session_delete",
    ),
    path(
        "trainings/sessions/<int:pk>/attendance/",
        views.attendance_edit,
        name="training_attendance",
    ),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_edit, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/link/", views.project_link, name="project_link"),
    path(
        "projects/<int:pk>/unlink/<int:report_pk>/",
        views.project_unlink,
        name="project_unlink",
    ),
]
