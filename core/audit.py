"""Write audit rows. The one entry point every app uses:

    audit_record(actor=request.user, action=AuditEntry.Action.VIEW_FULL,
                 target=beneficiary, request=request, detail="…")

``target`` may be any model instance (its ``app_label.model`` and pk are kept,
with ``str(target)`` as the label unless ``label`` is given: pass a label that
holds no ID or phone number). Writing an audit row never fails the caller's
request for lack of a request object: commands pass ``request=None``.

A service deep in a call chain often has no request to pass; during a web
request the current one is known anyway (``bind_request``, set by
``portal.middleware.AuditRequestMiddleware``), so its address is recorded
whichever way the row is written."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

from .models import AuditEntry

_current_request: ContextVar = ContextVar("audit_current_request", default=None)


@contextmanager
def bind_request(request):
    """Make ``request`` the one audit rows written inside the block take their
    address from when their caller passes none."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, which portal.middleware's
    TrustedProxyMiddleware sets from X-Forwarded-For only when the request came
    through one of the site's own proxies (TRUSTED_PROXY_IPS); the header is
    not read here, because any client can send it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    request=None,
    label: str | None = None,
    detail: str = "",
    reason: str = "",
) -> AuditEntry:
    if request is None:
        request = _current_request.get()
    user = actor if actor is not None and actor.is_authenticated else None
    entry = AuditEntry(
        user=user,
        username=user.get_username() if user else "",
        ip=client_ip(request),
        action=action,
        detail=detail,
        reason=reason,
    )
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)
        entry.target_label = (label if label is not None else str(target))[:200]
    elif label:
        entry.target_label = label[:200]
    entry.save()
    return entry


# --- What the rows are about ---------------------------------------------------------
#
# A row names its target by ``app_label.model``. Each app registers the models
# it audits from its ``ready()``, so the log's pages can say 服务对象档案 rather
# than beneficiaries.beneficiary without core naming an app.

_TARGETS: dict[str, object] = {}


def register_audit_targets(*models) -> None:
    for model in models:
        _TARGETS[model._meta.label_lower] = model._meta.verbose_name


def audit_target_label(target_type: str) -> str:
    """The name for people of a row's target type; the type itself when no app
    registered it (a model removed since)."""
    label = _TARGETS.get(target_type)
    return str(label) if label is not None else target_type


def audit_target_choices() -> list[tuple[str, str]]:
    return sorted(
        ((key, str(label)) for key, label in _TARGETS.items()), key=lambda c: c[1]
    )
