"""Staff pages of the background jobs, under /staff/jobs/ (portal/urls.py)."""

from django.urls import path

from .views import jobs

app_name = "core_staff"

urlpatterns = [
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    path("jobs/<int:pk>/confirm/", jobs.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/retry/", jobs.job_retry, name="job_retry"),
]
