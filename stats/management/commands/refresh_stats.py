from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from stats.period import default_period
from stats.scope import unit_options
from stats.snapshots import count, whole_reader


class Command(BaseCommand):
    help = (
        "重新统计全省和各市本年度的统计数据并保存，打开统计页时不必等待；"
        "请用 cron 定时运行，间隔短于 STATS_SNAPSHOT_MAX_AGE。"
    )

    def handle(self, *args, **options):
        # Snapshots are kept per language: count the site's, as readers see it.
        with translation.override(settings.LANGUAGE_CODE):
            self._refresh(options["verbosity"])

    def _refresh(self, verbosity):
        today = timezone.localdate()
        period = default_period(today)
        user = whole_reader()
        units = [u for u in unit_options(user) if u.wide]
        total = 0.0
        for unit in units:
            snapshot = count(user, unit, period, today=today)
            total += snapshot.seconds
            if verbosity > 1:
                self.stdout.write(f"{unit.label}：{snapshot.seconds} 秒")
        self.stdout.write(
            f"已重新统计 {len(units)} 个范围（{period.label}），用时 {total:.1f} 秒。"
        )
