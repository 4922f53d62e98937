"""``manage.py prune_jobs``: job housekeeping, run once a day (README, "Background
jobs": cron, or ``celery -A portal beat`` which runs it as a task)."""

from django.core.management.base import BaseCommand

from core.jobs import jobs_prune


class Command(BaseCommand):
    help = (
        "删除过了保留期的后台任务文件：上传的文件 JOBS_FILE_RETENTION_DAYS 天后删除"
        "（服务对象档案表 1 天），结果文件同样期限后删除，任务记录 JOBS_KEEP_DAYS 天后删除；"
        "删除超过一天未确认的导入上传文件；"
        "并把处理进程已停止、超过一天没有进展的任务标为未完成。建议每天运行一次。"
    )

    def handle(self, *args, **options):
        done = jobs_prune()
        self.stdout.write(
            f"已删除上传文件 {done['inputs']} 个、结果文件 {done['results']} 个、"
            f"任务记录 {done['jobs']} 条、未确认的导入上传 {done['unconfirmed']} 个；"
            f"标为中断的任务 {done['stale']} 个。"
        )
