# Beneficiary files, visits, transfers, attendance and cases moved to their own
# app with their tables (activities_beneficiary and the rest): no row moves.
# Here the models leave this app's state; the beneficiaries app's first
# migration takes them in, and moves their content types and audit labels.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("activities", "0008_held_uploads_in_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Referral"),
                migrations.DeleteModel(name="CaseNote"),
                migrations.DeleteModel(name="Case"),
                migrations.DeleteModel(name="Attendance"),
                migrations.DeleteModel(name="Visit"),
                migrations.DeleteModel(name="BeneficiaryTransfer"),
                migrations.DeleteModel(name="Beneficiary"),
            ],
        ),
    ]
