"""Set how often each kind of beneficiary should be visited, as the bureau asks
(the periods are in activities/reference_lists.py, with the lists). A category
that already has a period, or was renamed since, is left alone; editors change
the periods in the admin."""

from django.db import migrations

from activities import reference_lists


def set_periods(apps, schema_editor):
    reference_lists.visit_periods_seed(apps=apps)


def clear_periods(apps, schema_editor):
    category = apps.get_model("activities", "BeneficiaryCategory")
    category.objects.filter(name__in=reference_lists.VISIT_EVERY_DAYS).update(
        visit_every_days=None
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_beneficiaries_cases")]

    operations = [migrations.RunPython(set_periods, clear_periods)]
