from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = _("活动与服务")

    def ready(self):
        # prune_jobs also deletes beneficiary sheets nobody confirmed.
        from core.jobs.housekeeping import UNCONFIRMED_SWEEPERS

        from .beneficiaries.imports import pending_sweep
        from .jobs import register_kinds

        if pending_sweep not in UNCONFIRMED_SWEEPERS:
            UNCONFIRMED_SWEEPERS.append(pending_sweep)
        register_kinds()
