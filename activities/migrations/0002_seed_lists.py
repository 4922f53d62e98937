"""Seed the editable lists with what the bureau uses. Names are copied here, not
imported, so this migration keeps meaning the same thing if the lists change."""

from django.db import migrations

ACTIVITY_KINDS = [
    "宣传", "入户走访", "个案", "小组", "社区活动", "志愿服务",
    "培训", "会议", "督导", "慰问", "项目", "其他",
]
BENEFICIARY_CATEGORIES = [
    "困境儿童", "留守儿童", "孤儿", "事实无人抚养儿童", "未成年人", "老年人",
    "独居/空巢老人", "重度残疾人", "低保对象", "特困人员", "防止返贫监测对象",
    "重点青少年", "社工",
]
PARTNERS = [
    "妇联", "残联", "派出所", "司法所", "村委", "学校", "社工机构",
    "志愿服务队", "团委", "幼儿园", "综治中心",
]


def seed(apps, schema_editor):
    for model_name, names in (
        ("ActivityKind", ACTIVITY_KINDS),
        ("BeneficiaryCategory", BENEFICIARY_CATEGORIES),
        ("Partner", PARTNERS),
    ):
        model = apps.get_model("activities", model_name)
        for order, name in enumerate(names, start=1):
            model.objects.get_or_create(name=name, defaults={"display_order": order})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
