from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from activities.resources import import_reports
from core.jobs import TerminalBar
from core.sheets import read_dataset


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）或 CSV 文件补录历史活动报告：每行成为一份已通过的报告，"
        "只能补录导入人负责审核的单位；文件有任何错误则不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Excel（.xlsx）或 CSV 文件路径")
        parser.add_argument(
            "--user", required=True, help="导入人的用户名：按其管理范围检查每一行"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, path, user, dry_run, **options):
        # Row messages come partly from Django's own validators: say them in the
        # site's language, not in whatever the shell's locale suggests.
        with translation.override(settings.LANGUAGE_CODE):
            self._import(path, user, dry_run)

    def _import(self, path, username, dry_run):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}")
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"找不到用户或用户已停用：{username}")
        try:
            dataset = read_dataset(file.name, file.read_bytes())
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc

        # The dry run checks every row first; the real run follows only when it
        # was clean, and is itself all or nothing.
        # A progress bar on stderr, the same reports a background job hears.
        bar = TerminalBar(self.stderr._out)
        try:
            report = import_reports(dataset, user=user, dry_run=True, progress=bar)
            if report.ok and not dry_run:
                report = import_reports(dataset, user=user, dry_run=False, progress=bar)
        finally:
            bar.close()
        if not report.ok:
            for message in report.file_errors:
                self.stderr.write(f"  {message}")
            for row in report.error_rows:
                for message in row.errors:
                    self.stderr.write(f"  第 {row.line} 行：{message}")
            raise CommandError(
                f"文件有错误（{len(report.error_rows)} 行），未写入任何数据。"
            )
        count = report.count("new")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"（试运行，未写入）检查通过，可补录 {count} 份报告。"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"已补录 {count} 份历史报告，状态为“已通过”。")
            )
