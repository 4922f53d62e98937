# The audit log, moved here from the organisation app with its table
# (stations_auditentry, made by stations' 0002): the state only. The stations
# migration that lets go of the model runs before this one (its run_before).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='用户名')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP 地址')),
                ('action', models.CharField(choices=[('create', '新建'), ('change', '修改'), ('delete', '删除'), ('view', '查看'), ('view_full', '查看完整信息'), ('export', '导出'), ('export_full', '导出未脱敏数据'), ('import', '导入'), ('transition', '流程变更'), ('publish', '发布'), ('correct', '更正'), ('override', '例外放行'), ('role', '角色变更')], max_length=12, verbose_name='操作')),
                ('target_type', models.CharField(blank=True, max_length=60, verbose_name='对象类型')),
                ('target_id', models.CharField(blank=True, max_length=40, verbose_name='对象编号')),
                ('target_label', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('detail', models.TextField(blank=True, verbose_name='详情')),
                ('reason', models.TextField(blank=True, verbose_name='理由')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'db_table': 'stations_auditentry',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['target_type', 'target_id'], name='audit_target_idx'), models.Index(fields=['user', 'at'], name='audit_user_idx')],
            },
        ),
            ],
        ),
    ]
