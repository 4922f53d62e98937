from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stations import services


class Command(BaseCommand):
    help = "从 CSV 文件（格式同 yunfu_divisions.csv）载入或更新市、县（市、区）、镇（街道）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, path, dry_run, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            rows = services.divisions_read_csv(file.read_bytes())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        result = services.divisions_load(rows=rows, dry_run=dry_run)
        if not result.ok:
            lines = "\n".join(
                f"  第 {line} 行：{message}" for line, message in result.errors
            )
            raise CommandError(f"文件有错误，未写入任何数据：\n{lines}")
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{result.summary()}"))
