# Background jobs, moved here from the organisation app with their table
# (stations_job): the state only. The stations migration that lets go of the
# model, and before it the one that turned its unit into a path, run first.

import core.models.jobs
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30, verbose_name='任务类型')),
                ('title', models.CharField(max_length=200, verbose_name='任务')),
                ('status', models.CharField(choices=[('queued', '排队中'), ('running', '进行中'), ('succeeded', '已完成'), ('failed', '未完成')], default='queued', max_length=10, verbose_name='状态')),
                ('unit', models.CharField(blank=True, max_length=100, verbose_name='所属单位')),
                ('params', models.JSONField(blank=True, default=dict, verbose_name='参数')),
                ('idempotency_key', models.CharField(blank=True, max_length=100, verbose_name='幂等键')),
                ('input_file', models.FileField(blank=True, max_length=200, storage=core.models.jobs._job_storage, upload_to='jobs/in/%Y/%m/', verbose_name='上传的文件')),
                ('input_name', models.CharField(blank=True, max_length=200, verbose_name='原文件名')),
                ('input_expires_at', models.DateTimeField(blank=True, null=True, verbose_name='上传文件删除时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='运行次数')),
                ('progress_done', models.PositiveIntegerField(default=0, verbose_name='已完成')),
                ('progress_total', models.PositiveIntegerField(default=0, verbose_name='总数')),
                ('message', models.CharField(blank=True, max_length=300, verbose_name='进度说明')),
                ('result', models.JSONField(blank=True, default=dict, verbose_name='结果')),
                ('result_file', models.FileField(blank=True, max_length=200, storage=core.models.jobs._job_storage, upload_to='jobs/out/%Y/%m/', verbose_name='结果文件')),
                ('result_name', models.CharField(blank=True, max_length=200, verbose_name='结果文件名')),
                ('result_url', models.CharField(blank=True, max_length=300, verbose_name='结果链接')),
                ('row_errors', models.JSONField(blank=True, default=list, verbose_name='逐行错误')),
                ('log_tail', models.TextField(blank=True, verbose_name='日志（最后部分）')),
                ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
            ],
            options={
                'verbose_name': '后台任务',
                'verbose_name_plural': '后台任务',
                'db_table': 'stations_job',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['started_by', '-created_at'], name='job_starter_idx'), models.Index(fields=['status', 'updated_at'], name='job_status_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('idempotency_key', ''), _negated=True), fields=('idempotency_key',), name='job_unique_idempotency_key'), models.CheckConstraint(condition=models.Q(('progress_done__lte', models.F('progress_total')), ('progress_total', 0), _connector='OR'), name='job_progress_within_total')],
            },
        ),
            ],
        ),
    ]
