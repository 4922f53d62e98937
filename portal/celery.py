"""The Celery app. Workers start with ``celery -A portal worker`` and read the
``CELERY_*`` settings (portal/settings.py); jobs reach them only when
``JOBS_MODE`` is "celery", that is when ``REDIS_URL`` is set (core/jobs/).
Tasks are found in each app's ``tasks.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
