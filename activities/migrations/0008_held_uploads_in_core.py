# Beneficiary sheets waiting for "确认导入" are held as every import screen's
# upload is (core's HeldUpload). A sheet held at the upgrade is dropped with the
# table: its user uploads it again.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0007_report_list_indexes'),
    ]

    operations = [
        migrations.DeleteModel(
            name='PendingImport',
        ),
    ]
