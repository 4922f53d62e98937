from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses and no domain owns (docs/architecture.md): the audit
    log, background jobs, spreadsheets, uploads held between a preview and its
    confirmation, and shared form pieces. It imports no app of the portal; the
    apps register with it what they add."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("公共服务")
