"""Published issues newest first: the order the public lists and the search's
first page read them in (the index's comment in newsletter/models/issues.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0003_set_pages"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(
                models.OrderBy(models.F("issue_date"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("status", "published")),
                name="issue_published_newest_idx",
            ),
        ),
    ]
