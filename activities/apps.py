from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = _("活动与服务")

    def ready(self):
        from core.audit import register_audit_targets

        from . import models
        from .jobs import register_kinds

        register_kinds()
        register_audit_targets(
            models.ActivityReport, models.ReportPhoto, models.Project, models.Training
        )
