# Background jobs moved to the core app with their table (stations_job): no row
# moves. The model leaves the organisation app's state and its content type
# follows it; the core app's 0002 takes the model into its state after this.

from django.db import migrations

from core.model_moves import move_content_types


def forwards(apps, schema_editor):
    move_content_types(apps, "stations", "core", ["job"])


def backwards(apps, schema_editor):
    move_content_types(apps, "core", "stations", ["job"])


class Migration(migrations.Migration):
    dependencies = [("stations", "0005_job_unit")]
    run_before = [("core", "0002_job")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Job")],
        ),
        migrations.RunPython(forwards, backwards),
    ]
