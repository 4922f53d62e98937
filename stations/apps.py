from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stations"
    verbose_name = _("社工站网络")

    def ready(self):
        from core.audit import register_audit_targets
        from core.people import register_name_source

        from . import models
        from .jobs import register_kinds

        register_kinds()
        # A worker's name is the 姓名 on their record, which the station keeps
        # (and imports from its staff list); the account's own name fields are
        # often left empty when an account is issued.
        register_name_source(worker_name, related="social_worker")
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


def worker_name(user) -> str | None:
    """The social worker's 姓名 for a user who is one (core/people.py)."""
    worker = getattr(user, "social_worker", None)
    return worker.real_name if worker is not None else None
