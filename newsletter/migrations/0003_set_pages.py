# Issue.revision and the set public pages (newsletter/cooking.py).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsletter', '0002_article_search'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticlePage',
            fields=[
                ('stamp', models.CharField(max_length=32, verbose_name='排版标记')),
                ('revision', models.PositiveIntegerField(verbose_name='所据修订')),
                ('html', models.TextField(verbose_name='页面内容')),
                ('facts', models.JSONField(default=dict, verbose_name='页面信息')),
                ('set_at', models.DateTimeField(auto_now=True, verbose_name='排定时间')),
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='set_page', serialize=False, to='newsletter.article', verbose_name='文章')),
            ],
            options={
                'verbose_name': '排定的文章页面',
                'verbose_name_plural': '排定的文章页面',
            },
        ),
        migrations.CreateModel(
            name='IssuePage',
            fields=[
                ('stamp', models.CharField(max_length=32, verbose_name='排版标记')),
                ('revision', models.PositiveIntegerField(verbose_name='所据修订')),
                ('html', models.TextField(verbose_name='页面内容')),
                ('facts', models.JSONField(default=dict, verbose_name='页面信息')),
                ('set_at', models.DateTimeField(auto_now=True, verbose_name='排定时间')),
                ('issue', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='set_page', serialize=False, to='newsletter.issue', verbose_name='期')),
            ],
            options={
                'verbose_name': '排定的期页面',
                'verbose_name_plural': '排定的期页面',
            },
        ),
        migrations.AddField(
            model_name='issue',
            name='revision',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='修订次数'),
        ),
    ]
