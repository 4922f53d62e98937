"""Notifications: what the portal shows a user about events that put an item on
their list, the deliveries of each one outside the portal (e-mail, a bureau's
group robot) with their retries, and each user's e-mail choices. Written only
by ``core.notifications``; apps call its ``notify``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    SUBMITTED = "submitted", _("报告提交待审核")
    RETURNED = "returned", _("报告被退回")
    APPROVED = "approved", _("报告审核通过")
    PUBLISHED = "published", _("报告刊登于简报")
    TRANSFER_IN = "transfer_in", _("服务对象档案转入")
    FOLLOWUP_DUE = "followup_due", _("督导整改事项到期")


class Notification(models.Model):
    """One event told to one user, shown on their notifications page. Its title
    and link are all it says: never a beneficiary's name, ID, phone or address
    (the same text leaves the portal by e-mail)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("事件"), max_length=20, choices=Event.choices)
    title = models.CharField(_("标题"), max_length=200)
    # A path on this site ("/staff/reports/3/"); made absolute for e-mails.
    path = models.CharField(_("链接"), max_length=300)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The header's unread count and the page's newest-first list.
            models.Index(fields=["recipient", "read_at"], name="notif_unread_idx"),
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notif_list_idx"
            ),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One message to send outside the portal: an e-mail to one address, or a
    post to one group robot's webhook. Tried once after the commit that made
    it, then by ``send_notifications`` with a growing wait, up to
    ``NOTIFICATIONS_MAX_ATTEMPTS`` tries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("事件"), max_length=20, choices=Event.choices)
    # The in-portal notification an e-mail tells of; none for a robot's post.
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("通知"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    # An e-mail address, or a robot's webhook URL (its key is in it).
    address = models.CharField(_("地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(_("链接"), max_length=500)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近的错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知发送记录")
        verbose_name_plural = _("通知发送记录")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.title}"


class EmailPreference(models.Model):
    """A user's choice for one kind of event. No row means yes: every event is
    e-mailed until the user turns it off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.CharField(_("事件"), max_length=20, choices=Event.choices)
    enabled = models.BooleanField(_("发送邮件"), default=True)

    class Meta:
        verbose_name = _("邮件通知设置")
        verbose_name_plural = _("邮件通知设置")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"], name="email_preference_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.event}: {self.enabled}"
