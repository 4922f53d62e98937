from django.urls import path

from .views import public

app_name = "stations"

urlpatterns = [
    path("", public.directory, name="directory"),
    path("<int:pk>/", public.station_detail, name="station"),
]
