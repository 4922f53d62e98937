# A job's unit as a path ("city:1/county:5/station:12") instead of three
# foreign keys to the organisation's tables: the job framework moves to the
# core app, which refers to no app's table, and the job kinds' rules of who may
# see a job read the path (stations/permissions.py, job_units_q). Every job
# keeps the unit it was filed under. The kind loses its fixed list of choices:
# the apps register their kinds.

from django.db import migrations, models


def fill_units(apps, schema_editor):
    Job = apps.get_model("stations", "Job")
    filed = Job.objects.filter(
        models.Q(city__isnull=False)
        | models.Q(county__isnull=False)
        | models.Q(station__isnull=False)
    ).select_related("station__town__county", "county")
    for job in filed.iterator():
        if job.station_id:
            county = job.station.town.county
            unit = f"city:{county.city_id}/county:{county.pk}/station:{job.station_id}"
        elif job.county_id:
            unit = f"city:{job.county.city_id}/county:{job.county_id}"
        else:
            unit = f"city:{job.city_id}"
        Job.objects.filter(pk=job.pk).update(unit=unit)


def fill_keys(apps, schema_editor):
    Job = apps.get_model("stations", "Job")
    for job in Job.objects.exclude(unit="").iterator():
        parts = dict(part.split(":", 1) for part in job.unit.split("/"))
        # The unit it was filed under is the last in the path.
        last = job.unit.rsplit("/", 1)[-1].split(":", 1)[0]
        pk = int(parts[last])
        # A path is no foreign key: its unit may have been deleted since the
        # upgrade. The key then stays empty, as the old key's SET_NULL would
        # have left it, and the constraint added back at the end holds.
        if apps.get_model("stations", last).objects.filter(pk=pk).exists():
            Job.objects.filter(pk=job.pk).update(**{f"{last}_id": pk})


class Migration(migrations.Migration):
    dependencies = [("stations", "0004_auditentry_to_core")]

    operations = [
        migrations.AddField(
            model_name="job",
            name="unit",
            field=models.CharField(blank=True, max_length=100, verbose_name="所属单位"),
        ),
        migrations.RunPython(fill_units, fill_keys),
        migrations.RemoveField(model_name="job", name="city"),
        migrations.RemoveField(model_name="job", name="county"),
        migrations.RemoveField(model_name="job", name="station"),
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(max_length=30, verbose_name="任务类型"),
        ),
    ]
