from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from stats.period import opening_period
from stats.reports import latest_approved_start
from stats.scope import unit_options
from stats.snapshots import count, whole_reader


class Command(BaseCommand):
    help = (
        "重新统计全省和各市打开统计页时显示的期间（有审核通过报告的最近一年）"
        "并保存，打开统计页时不必等待；"
        "请用 cron 定时运行，间隔短于 STATS_SNAPSHOT_MAX_AGE。"
    )

    def handle(self, *args, **options):
        # Snapshots are kept per language: count the site's, as readers see it.
        with translation.override(settings.LANGUAGE_CODE):
            self._refresh(options["verbosity"])

    def _refresh(self, verbosity):
        today = timezone.localdate()
        user = whole_reader()
        units = [u for u in unit_options(user) if u.wide]
        counted, total = 0, 0.0
        for unit in units:
            # The period the page opens on (stats.request.requested_unit); a
            # unit without any approved report opens on a note, not a count.
            latest = latest_approved_start(user, unit)
            if latest is None:
                continue
            period = opening_period(latest, today)
            snapshot = count(user, unit, period, today=today)
            counted += 1
            total += snapshot.seconds
            if verbosity > 1:
                self.stdout.write(
                    f"{unit.label}（{period.label}）：{snapshot.seconds} 秒"
                )
        self.stdout.write(f"已重新统计 {counted} 个范围，用时 {total:.1f} 秒。")
