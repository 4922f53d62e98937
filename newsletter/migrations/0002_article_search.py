"""The search columns of articles (newsletter/search/), filled for the articles
already there, and on PostgreSQL the GIN index that answers a query of any
length from them. Why this design, and what it measured against a sequential
scan and pg_trgm: newsletter/search/query.py."""

from django.db import migrations, models

import newsletter.search.fields

INDEX = "newsletter_article_grams_gin"


def fill(apps, schema_editor):
    from newsletter.search.text import search_columns

    Article = apps.get_model("newsletter", "Article")
    batch = []
    for article in Article.objects.only("pk", "title", "subtitle", "body").iterator(
        chunk_size=500
    ):
        article.search_text, article.search_grams = search_columns(
            article.title, article.subtitle, article.body
        )
        batch.append(article)
        if len(batch) == 500:
            Article.objects.bulk_update(batch, ["search_text", "search_grams"])
            batch = []
    Article.objects.bulk_update(batch, ["search_text", "search_grams"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # search_grams is a tsvector there (newsletter/search/fields.py).
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON newsletter_article USING gin (search_grams)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="检索用正文"),
        ),
        migrations.AddField(
            model_name="article",
            name="search_grams",
            field=newsletter.search.fields.GramsField(
                blank=True, editable=False, verbose_name="检索用字词"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
