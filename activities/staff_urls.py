"""Staff URLs of the activities app, under /staff/. Each area keeps its own list."""

from .urls import photos, reports, trainings, word, writing

app_name = "activities_staff"

urlpatterns = [
    *reports.urlpatterns,
    *photos.urlpatterns,
    *word.urlpatterns,
    *trainings.urlpatterns,
    *writing.urlpatterns,
]
