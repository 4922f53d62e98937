"""What a report said when its reviewer sent it back: kept so that, once it is
submitted again, the reviewer sees what changed since (activities/review_changes/)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .reports import ActivityReport, ReportTransition


class ReportReviewSnapshot(models.Model):
    """The reviewable content of a report at the step that returned it (a return
    or a withdrawn approval). Written only by activities/services/reports.py."""

    report = models.ForeignKey(
        ActivityReport,
        verbose_name=_("活动报告"),
        on_delete=models.CASCADE,
        related_name="review_snapshots",
    )
    transition = models.OneToOneField(
        ReportTransition,
        verbose_name=_("审核记录"),
        on_delete=models.CASCADE,
        related_name="snapshot",
    )
    # Display values by field (title, dates, place, counts, lists, paragraphs,
    # photo captions), as activities.review_changes.reviewable_content gives them.
    content = models.JSONField(_("退回时的内容"), default=dict)
    taken_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("退回时的报告内容")
        verbose_name_plural = _("退回时的报告内容")
        ordering = ["report", "taken_at", "pk"]

    def __str__(self):
        return f"{self.report_id} · {self.taken_at:%Y-%m-%d %H:%M}"
