from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package as an app: it owns the account pages and signals
    (portal/accounts.py) and the operator commands; it has no models."""

    name = "portal"
    verbose_name = "门户"

    def ready(self):
        from . import accounts  # noqa: F401 - connects the account signals
        from .failures import quiet_cache_errors

        quiet_cache_errors()


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (its own config has
    none, so the admin would say "Axes"). Its models' field names are
    translated in locale/zh_Hans; their ``__str__`` are English f-strings,
    shown as the title of a record's page, so they are replaced here."""

    verbose_name = _("登录保护")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _attempt_str
        AccessLog.__str__ = _log_str
        AccessFailureLog.__str__ = _failure_str


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}" if moment else "—"


def _attempt_str(attempt) -> str:
    return gettext("%(username)s 的登录失败计数（%(time)s）") % {
        "username": attempt.username or "—",
        "time": _when(attempt.attempt_time),
    }


def _log_str(log) -> str:
    return gettext("%(username)s 的登录记录（%(time)s）") % {
        "username": log.username or "—",
        "time": _when(log.attempt_time),
    }


def _failure_str(failure) -> str:
    text = gettext("%(username)s 的登录失败（%(time)s，%(address)s）") % {
        "username": failure.username or "—",
        "time": _when(failure.attempt_time),
        "address": failure.ip_address or "—",
    }
    return text + (gettext("，已锁定") if failure.locked_out else "")
