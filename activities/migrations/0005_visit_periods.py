"""Set how often each kind of beneficiary should be visited, as the bureau asks:
children in difficulty and the others at risk every month, the rest less often.
Names are copied here so the migration keeps meaning the same thing; a category
renamed since is left alone, and editors change the periods in the admin."""

from django.db import migrations

VISIT_EVERY_DAYS = {
    "困境儿童": 30,
    "留守儿童": 30,
    "孤儿": 30,
    "事实无人抚养儿童": 30,
    "独居/空巢老人": 30,
    "重点青少年": 30,
    "重度残疾人": 60,
    "特困人员": 60,
    "低保对象": 90,
    "防止返贫监测对象": 90,
}


def set_periods(apps, schema_editor):
    category = apps.get_model("activities", "BeneficiaryCategory")
    for name, days in VISIT_EVERY_DAYS.items():
        category.objects.filter(name=name, visit_every_days__isnull=True).update(
            visit_every_days=days
        )


def clear_periods(apps, schema_editor):
    category = apps.get_model("activities", "BeneficiaryCategory")
    category.objects.filter(name__in=VISIT_EVERY_DAYS).update(visit_every_days=None)


class Migration(migrations.Migration):
    dependencies = [("activities", "0004_beneficiaries_cases")]

    operations = [migrations.RunPython(set_periods, clear_periods)]
