"""Seed the editable lists with what the bureau uses.

The lists and the seeding live in activities/reference_lists.py, which the demo
and the tests call too, so that nothing imports this migration at run time. It
imports no model: it is given the historical ones. Its effect on a new database
is what it was when the lists were written out here."""

from django.db import migrations

from activities import reference_lists


def seed(apps, schema_editor):
    reference_lists.activity_kinds_seed(apps=apps)
    reference_lists.beneficiary_categories_seed(apps=apps)
    reference_lists.partners_seed(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
