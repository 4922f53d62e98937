"""Set pages' content stored uncompressed on PostgreSQL (STORAGE EXTERNAL: out
of line, not compressed). A page is written once and read on every request
that misses the page cache; decompressing its 30-odd kB each time cost the
database more than the disk it saves (newsletter/cooking.py). Other databases
have no such setting."""

from django.db import migrations

TABLES = ("newsletter_issuepage", "newsletter_articlepage")


def store(storage):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN content SET STORAGE {storage}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0005_set_pages_by_address"),
    ]

    operations = [migrations.RunPython(store("EXTERNAL"), store("EXTENDED"))]
