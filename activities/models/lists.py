"""Editable reference lists: activity kinds, beneficiary categories, partners.
Seeded with the lists the bureau uses from activities/reference_lists.py (by the
data migrations, the demo and the tests); editable in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EditableList(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)
    display_order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)
    is_active = models.BooleanField(
        _("可选用"),
        default=True,
        help_text=_("停用后不再出现在填报表单中，已有记录不受影响。"),
    )

    class Meta:
        abstract = True
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class ActivityKind(EditableList):
    class Meta(EditableList.Meta):
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")


class BeneficiaryCategory(EditableList):
    visit_every_days = models.PositiveSmallIntegerField(
        _("走访周期（天）"),
        null=True,
        blank=True,
        help_text=_(
            "此类服务对象应至少每隔多少天走访一次；留空表示不作要求。"
            "同属几类的，按最短的周期计算。"
        ),
    )

    class Meta(EditableList.Meta):
        verbose_name = _("服务对象类别")
        verbose_name_plural = _("服务对象类别")


class Partner(EditableList):
    class Meta(EditableList.Meta):
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
