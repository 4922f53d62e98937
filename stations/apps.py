from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stations"
    verbose_name = _("社工站网络")

    def ready(self):
        from core.audit import register_audit_targets

        from . import models
        from .jobs import register_kinds

        register_kinds()
        register_audit_targets(
            models.City,
            models.County,
            models.Town,
            models.Station,
            models.ServicePoint,
            models.SocialWorker,
            models.RoleAssignment,
            models.StandardsCheck,
            models.SupervisionVisit,
        )
