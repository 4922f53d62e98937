# The audit log moved to the core app with its table (stations_auditentry): no
# row moves. Here the model leaves the organisation app's state and its content
# type follows it, so that permissions granted on it keep pointing at it. The
# core app's first migration takes the model into its state after this one.

from django.db import migrations

from core.model_moves import move_content_types


def forwards(apps, schema_editor):
    move_content_types(apps, "stations", "core", ["auditentry"])


def backwards(apps, schema_editor):
    move_content_types(apps, "core", "stations", ["auditentry"])


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0003_jobs"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    run_before = [("core", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
        ),
        migrations.RunPython(forwards, backwards),
    ]
