"""``manage.py send_notifications``: try the e-mails and group-robot posts that
are waiting (README, "Notifications"; cron every few minutes, or ``celery -A
portal beat`` which runs it every minute)."""

from django.core.management.base import BaseCommand

from core.notifications import deliver


class Command(BaseCommand):
    help = (
        "发送待发送的通知邮件和群机器人消息：发送失败的按等待时间重试，"
        "超过 NOTIFICATIONS_MAX_ATTEMPTS 次标为发送失败。建议每几分钟运行一次。"
    )

    def handle(self, *args, **options):
        done = deliver()
        self.stdout.write(
            f"已发送 {done['sent']} 条，稍后重试 {done['retry']} 条，"
            f"放弃 {done['failed']} 条。"
        )
