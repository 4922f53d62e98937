"""Starting a report from a Word file, under /staff/."""

from django.urls import path

from ..views import word

urlpatterns = [
    path("reports/new/from-word/", word.report_from_word, name="report_from_word"),
]
