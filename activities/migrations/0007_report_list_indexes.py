"""The report list's order within a county and within a city, as indexes: the
figures are beside them in activities/models/reports.py."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_pending_import"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activityreport",
            index=models.Index(
                fields=["county", "start_date", "id"], name="report_county_newest_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="activityreport",
            index=models.Index(
                fields=["city", "start_date", "id"], name="report_city_newest_idx"
            ),
        ),
    ]
