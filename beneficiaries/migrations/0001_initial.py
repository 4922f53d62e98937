# Beneficiary files, visits, transfers, attendance at reports, cases, case
# notes and referrals, moved here from the activities app with their tables
# (activities_*, made by its 0004): the state only, after activities' 0009 lets
# go of them. Their content types follow them, so that the permissions granted
# on them to users and groups keep pointing at them, and the audit rows about
# them name them by their new app.

from core.model_moves import move_audit_targets, move_content_types

MODELS = [
    "beneficiary",
    "beneficiarytransfer",
    "visit",
    "attendance",
    "case",
    "casenote",
    "referral",
]


def forwards(apps, schema_editor):
    move_content_types(apps, "activities", "beneficiaries", MODELS)
    move_audit_targets(apps, "activities", "beneficiaries", MODELS)


def backwards(apps, schema_editor):
    move_content_types(apps, "beneficiaries", "activities", MODELS)
    move_audit_targets(apps, "beneficiaries", "activities", MODELS)


import core.dates
import core.idcard
import datetime
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("activities", "0009_beneficiaries_to_their_app"),
        ("stations", "0006_job_to_core"),
        ("core", "0003_held_upload"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Beneficiary",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=30, verbose_name="姓名")),
                        (
                            "gender",
                            models.CharField(
                                choices=[("男", "男"), ("女", "女")],
                                max_length=2,
                                verbose_name="性别",
                            ),
                        ),
                        (
                            "birth_date",
                            models.DateField(
                                blank=True, null=True, verbose_name="出生日期"
                            ),
                        ),
                        (
                            "id_number",
                            models.CharField(
                                blank=True,
                                help_text="18 位居民身份证号；暂无的留空。",
                                max_length=18,
                                validators=[core.idcard.validate_id_number],
                                verbose_name="身份证号",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[0-9+\\-() ]{5,20}$",
                                        "电话号码只能包含数字、空格和 + - ( )。",
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "address",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="详细地址"
                            ),
                        ),
                        (
                            "guardian_name",
                            models.CharField(
                                blank=True, max_length=30, verbose_name="监护人姓名"
                            ),
                        ),
                        (
                            "guardian_relation",
                            models.CharField(
                                blank=True,
                                help_text="如祖母、父亲。",
                                max_length=20,
                                verbose_name="与监护人关系",
                            ),
                        ),
                        (
                            "guardian_phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[0-9+\\-() ]{5,20}$",
                                        "电话号码只能包含数字、空格和 + - ( )。",
                                    )
                                ],
                                verbose_name="监护人电话",
                            ),
                        ),
                        (
                            "living_situation",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("与父母同住", "与父母同住"),
                                    ("隔代抚养", "隔代抚养"),
                                    ("亲属抚养", "亲属抚养"),
                                    ("独居", "独居"),
                                    ("与配偶同住", "与配偶同住"),
                                    ("与子女同住", "与子女同住"),
                                    ("机构供养", "机构供养"),
                                    ("其他", "其他"),
                                ],
                                max_length=10,
                                verbose_name="居住情况",
                            ),
                        ),
                        (
                            "opened_on",
                            models.DateField(
                                default=datetime.date.today, verbose_name="建档日期"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("active", "在册"),
                                    ("moved", "已迁出"),
                                    ("closed", "已结档"),
                                ],
                                default="active",
                                max_length=8,
                                verbose_name="档案状态",
                            ),
                        ),
                        (
                            "status_reason",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                verbose_name="迁出或结档原因",
                            ),
                        ),
                        (
                            "status_changed_on",
                            models.DateField(
                                blank=True, null=True, verbose_name="状态变更日期"
                            ),
                        ),
                        ("notes", models.TextField(blank=True, verbose_name="备注")),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="创建时间"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="更新时间"
                            ),
                        ),
                        (
                            "categories",
                            models.ManyToManyField(
                                blank=True,
                                related_name="beneficiaries",
                                to="activities.beneficiarycategory",
                                verbose_name="服务对象类别",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="建档人",
                            ),
                        ),
                        (
                            "station",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="beneficiaries",
                                to="stations.station",
                                verbose_name="建档社工站",
                            ),
                        ),
                        (
                            "village",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="beneficiaries",
                                to="stations.village",
                                verbose_name="所在村（居）",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "服务对象档案",
                        "verbose_name_plural": "服务对象档案",
                        "db_table": "activities_beneficiary",
                        "ordering": ["station", "name", "pk"],
                    },
                    bases=(core.dates.DatesInRange, models.Model),
                ),
                migrations.CreateModel(
                    name="Attendance",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="记录时间"
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="记录人",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attendances",
                                to="activities.activityreport",
                                verbose_name="活动报告",
                            ),
                        ),
                        (
                            "beneficiary",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attendances",
                                to="beneficiaries.beneficiary",
                                verbose_name="服务对象",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "活动参与记录",
                        "verbose_name_plural": "活动参与记录",
                        "db_table": "activities_attendance",
                        "ordering": ["report", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="BeneficiaryTransfer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "on",
                            models.DateField(
                                default=datetime.date.today, verbose_name="转移日期"
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(max_length=200, verbose_name="转移原因"),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="操作时间"
                            ),
                        ),
                        (
                            "beneficiary",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transfers",
                                to="beneficiaries.beneficiary",
                                verbose_name="服务对象",
                            ),
                        ),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="操作人",
                            ),
                        ),
                        (
                            "from_station",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="stations.station",
                                verbose_name="转出社工站",
                            ),
                        ),
                        (
                            "to_station",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="stations.station",
                                verbose_name="转入社工站",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "档案转移记录",
                        "verbose_name_plural": "档案转移记录",
                        "db_table": "activities_beneficiarytransfer",
                        "ordering": ["beneficiary", "at", "pk"],
                    },
                    bases=(core.dates.DatesInRange, models.Model),
                ),
                migrations.CreateModel(
                    name="Case",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "title",
                            models.CharField(max_length=100, verbose_name="个案名称"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "已开案"),
                                    ("in_progress", "服务中"),
                                    ("closed", "已结案"),
                                ],
                                default="open",
                                max_length=12,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "opened_on",
                            models.DateField(
                                default=datetime.date.today, verbose_name="开案日期"
                            ),
                        ),
                        (
                            "assessment",
                            models.TextField(blank=True, verbose_name="需求评估"),
                        ),
                        (
                            "goals",
                            models.TextField(blank=True, verbose_name="服务目标"),
                        ),
                        ("plan", models.TextField(blank=True, verbose_name="服务计划")),
                        (
                            "closed_on",
                            models.DateField(
                                blank=True, null=True, verbose_name="结案日期"
                            ),
                        ),
                        (
                            "closing_summary",
                            models.TextField(blank=True, verbose_name="结案小结"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="更新时间"
                            ),
                        ),
                        (
                            "beneficiary",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="cases",
                                to="beneficiaries.beneficiary",
                                verbose_name="服务对象",
                            ),
                        ),
                        (
                            "opened_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="开案人",
                            ),
                        ),
                        (
                            "worker",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="cases",
                                to="stations.socialworker",
                                verbose_name="负责社工",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "个案",
                        "verbose_name_plural": "个案",
                        "db_table": "activities_case",
                        "ordering": ["-opened_on", "-pk"],
                    },
                    bases=(core.dates.DatesInRange, models.Model),
                ),
                migrations.CreateModel(
                    name="CaseNote",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "date",
                            models.DateField(
                                default=datetime.date.today, verbose_name="服务日期"
                            ),
                        ),
                        ("text", models.TextField(verbose_name="记录内容")),
                        (
                            "author_name",
                            models.CharField(
                                blank=True, max_length=150, verbose_name="记录人姓名"
                            ),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="记录时间"
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="记录人",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="notes",
                                to="beneficiaries.case",
                                verbose_name="个案",
                            ),
                        ),
                        (
                            "corrects",
                            models.ForeignKey(
                                blank=True,
                                help_text="这条记录更正此前的哪一条；原记录保留不变。",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="corrections",
                                to="beneficiaries.casenote",
                                verbose_name="更正的记录",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "个案记录",
                        "verbose_name_plural": "个案记录",
                        "db_table": "activities_casenote",
                        "ordering": ["case", "at", "pk"],
                    },
                    bases=(core.dates.DatesInRange, models.Model),
                ),
                migrations.CreateModel(
                    name="Referral",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "referred_on",
                            models.DateField(
                                default=datetime.date.today, verbose_name="转介日期"
                            ),
                        ),
                        (
                            "partner_other",
                            models.CharField(
                                blank=True,
                                help_text="不在列表中时填写单位名称。",
                                max_length=100,
                                verbose_name="其他转介单位",
                            ),
                        ),
                        ("purpose", models.TextField(verbose_name="转介事由")),
                        (
                            "outcome",
                            models.TextField(blank=True, verbose_name="转介结果"),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="记录时间"
                            ),
                        ),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="转介人",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="referrals",
                                to="beneficiaries.case",
                                verbose_name="个案",
                            ),
                        ),
                        (
                            "partner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="activities.partner",
                                verbose_name="转介单位",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "转介记录",
                        "verbose_name_plural": "转介记录",
                        "db_table": "activities_referral",
                        "ordering": ["case", "referred_on", "pk"],
                    },
                    bases=(core.dates.DatesInRange, models.Model),
                ),
                migrations.CreateModel(
                    name="Visit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "date",
                            models.DateField(
                                default=datetime.date.today, verbose_name="日期"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("home", "入户走访"),
                                    ("phone", "电话"),
                                    ("office", "来站"),
                                ],
                                max_length=8,
                                verbose_name="方式",
                            ),
                        ),
                        (
                            "notes",
                            models.TextField(blank=True, verbose_name="走访情况"),
                        ),
                        (
                            "needs_found",
                            models.TextField(blank=True, verbose_name="发现的需求"),
                        ),
                        (
                            "follow_up_due",
                            models.DateField(
                                blank=True, null=True, verbose_name="跟进截止日期"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="记录时间"
                            ),
                        ),
                        (
                            "beneficiary",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="visits",
                                to="beneficiaries.beneficiary",
                                verbose_name="服务对象",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="记录人",
                            ),
                        ),
                        (
                            "worker",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="visits",
                                to="stations.socialworker",
                                verbose_name="走访社工",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "走访记录",
                        "verbose_name_plural": "走访记录",
                        "db_table": "activities_visit",
                        "ordering": ["beneficiary", "-date", "-pk"],
                    },
                    bases=(core.dates.DatesInRange, models.Model),
                ),
                migrations.AddIndex(
                    model_name="beneficiary",
                    index=models.Index(
                        fields=["station", "status"], name="beneficiary_station_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="beneficiary",
                    index=models.Index(
                        fields=["name", "birth_date"], name="beneficiary_person_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="beneficiary",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("id_number", ""), _negated=True),
                        fields=("id_number",),
                        name="beneficiary_unique_id_number",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="beneficiary",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("status", "active"),
                            models.Q(("status_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="beneficiary_closed_has_reason",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="attendance",
                    constraint=models.UniqueConstraint(
                        fields=("report", "beneficiary"),
                        name="report_attendance_unique",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="beneficiarytransfer",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("from_station", models.F("to_station")), _negated=True
                        ),
                        name="transfer_between_two_stations",
                    ),
                ),
                migrations.AddIndex(
                    model_name="case",
                    index=models.Index(
                        fields=["worker", "status"], name="case_caseload_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="case",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "closed"), _negated=True),
                            models.Q(
                                ("closed_on__isnull", False),
                                models.Q(("closing_summary", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="case_closed_has_summary",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="referral",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("partner__isnull", False), ("partner_other", "")),
                            models.Q(
                                ("partner__isnull", True),
                                models.Q(("partner_other", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="referral_has_one_partner",
                    ),
                ),
                migrations.AddIndex(
                    model_name="visit",
                    index=models.Index(
                        fields=["beneficiary", "date"], name="visit_latest_idx"
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
