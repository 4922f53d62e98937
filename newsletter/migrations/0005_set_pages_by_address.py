"""Set pages are read by their public address from their own table, and hold
the rendered blocks of their template, a column each (newsletter/cooking.py).
The pages set before are dropped: they are derived, and set again on their
next read."""

from django.db import migrations, models


def forget_set_pages(apps, schema_editor):
    apps.get_model("newsletter", "IssuePage").objects.all().delete()
    apps.get_model("newsletter", "ArticlePage").objects.all().delete()


BLOCKS = [
    ("title", "标题块"),
    ("description", "摘要块"),
    ("meta", "页头块"),
    ("breadcrumbs", "位置块"),
    ("content", "正文块"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0004_published_newest_index"),
    ]

    operations = [
        migrations.RunPython(forget_set_pages, migrations.RunPython.noop),
    ]
    for model in ("issuepage", "articlepage"):
        operations += [
            migrations.RemoveField(model_name=model, name="html"),
            migrations.RemoveField(model_name=model, name="facts"),
            migrations.AddField(
                model_name=model,
                name="address",
                field=models.CharField(
                    default="", max_length=255, unique=True, verbose_name="公开地址"
                ),
                preserve_default=False,
            ),
        ]
        for name, label in BLOCKS:
            operations.append(
                migrations.AddField(
                    model_name=model,
                    name=name,
                    field=models.TextField(default="", verbose_name=label),
                    preserve_default=False,
                )
            )
        operations.append(
            migrations.AddField(
                model_name=model,
                name="share_image",
                field=models.CharField(
                    blank=True, max_length=255, verbose_name="分享图片地址"
                ),
            )
        )
