"""An upload held between its preview and the user's confirmation (a sheet of
the network, a beneficiary sheet, a past issue's file): one way for every
import screen (core/uploads.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldUpload(models.Model):
    """The file's bytes are kept in the database, not in media storage: a
    sheet may hold full ID numbers and phones, and media may be served or kept
    on another machine; several web servers all read the database. Deleted
    when confirmed or cancelled, on the same user's next upload for the same
    screen, and after a day in any case (``prune_jobs``)."""

    token = models.CharField(_("令牌"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Which screen holds it ("network:workers", "beneficiaries", …): a token
    # confirms only on the screen that issued it.
    purpose = models.CharField(_("用途"), max_length=60)
    name = models.CharField(_("文件名"), max_length=200)
    data = models.BinaryField(_("文件内容"))
    # What the screen needs back at the confirmation (a station, a year).
    meta = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待确认的上传")
        verbose_name_plural = _("待确认的上传")
        indexes = [
            models.Index(fields=["user", "purpose"], name="held_upload_user_idx"),
            models.Index(fields=["created_at"], name="held_upload_age_idx"),
        ]

    def __str__(self):
        return self.name
