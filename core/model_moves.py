"""What a migration calls when a model moves from one app to another and keeps
its table (``SeparateDatabaseAndState``): the rows stay where they are, but
three things name the model by its app and must follow it.

- Its content type (``django_content_type``): the permissions granted on the
  model to users and groups, and the admin's log, point at it.
- The audit log's ``target_type`` (``app_label.model``) of the rows about it.
- Nothing else here: stored job kinds name no app.

Each function takes the ``apps`` a migration's RunPython hands over, so it
works on the historical models of that moment, and can run backwards.
"""

from __future__ import annotations


def move_content_types(apps, from_label: str, to_label: str, models) -> None:
    """Give the content types of ``models`` (lower-case model names) the app
    label ``to_label``. A database where the new label was already created
    (a ``migrate`` that stopped half-way, then created content types) keeps the
    new one; the grants of the old one's permissions go to the new one's
    permissions of the same codename, and the admin's log follows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in models:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=to_label, model=model).first()
        if new is None:
            old.app_label = to_label
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(
                content_type=new, codename=permission.codename
            ).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            for group in permission.group_set.all():
                group.permissions.add(twin)
            for user in permission.user_set.all():
                user.user_permissions.add(twin)
            permission.delete()
        try:
            LogEntry = apps.get_model("admin", "LogEntry")
        except LookupError:
            LogEntry = None
        if LogEntry is not None:
            LogEntry.objects.filter(content_type=old).update(content_type=new)
        old.delete()


def move_audit_targets(apps, from_label: str, to_label: str, models) -> None:
    """Rewrite the audit rows' ``target_type`` of ``models`` from
    ``from_label.model`` to ``to_label.model``. Through the historical model:
    the application's own queryset refuses any update of the log."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    for model in models:
        AuditEntry.objects.filter(target_type=f"{from_label}.{model}").update(
            target_type=f"{to_label}.{model}"
        )
