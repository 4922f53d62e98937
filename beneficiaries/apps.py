from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    """The people the stations serve: files, visits, attendance at reports,
    cases, case notes and referrals (DESIGN.md §6), the most sensitive data in
    the portal. Above activities (a visit, a report's attendance) and stations
    (the keeping station)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "beneficiaries"
    verbose_name = _("服务对象")

    def ready(self):
        from core.audit import register_audit_targets

        from . import models
        from .jobs import register_kinds
        from .panels import register_panels

        register_kinds()
        register_panels()
        register_audit_targets(
            models.Beneficiary,
            models.BeneficiaryTransfer,
            models.Visit,
            models.Case,
            models.CaseNote,
        )
