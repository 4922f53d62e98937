"""``manage.py notify_due_followups``: tell station heads and supervisors of the
supervision follow-up items whose due date has come (README, "Notifications";
cron daily, or ``celery -A portal beat`` which runs it hourly). Each item is
told once."""

from django.core.management.base import BaseCommand

from stations.services.quality import followups_notify_due


class Command(BaseCommand):
    help = "提醒站长和督导：督导整改事项到期（每项只提醒一次）。建议每天运行一次。"

    def handle(self, *args, **options):
        told = followups_notify_due()
        self.stdout.write(f"已提醒到期的整改事项 {told} 项。")
