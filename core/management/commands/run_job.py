"""``manage.py run_job KIND FILE --user U [--param k=v ...] [--dry-run]``: the
command-line twin of every background job. It records a Job like the upload
screens do and runs it here, in the foreground, with a progress bar; the result
file, if any, is written with ``--output``."""

import json
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.jobs import TerminalBar, job_start, kinds, run_job
from core.models import Job


def _value(text: str):
    # Numbers and true/false as JSON, anything else as text.
    try:
        return json.loads(text)
    except ValueError:
        return text


class Command(BaseCommand):
    help = (
        "在命令行运行一个后台任务（与页面上发起的相同），显示进度条。"
        "KIND 是各应用登记的任务类型。例：run_job beneficiary_import 档案.xlsx "
        "--user worker --param station=3 --dry-run"
    )

    def add_arguments(self, parser):
        # The kinds the installed apps registered when they were ready.
        parser.add_argument("kind", choices=[kind.name for kind in kinds()])
        parser.add_argument("file", nargs="?", help="任务读取的文件（导入类任务）")
        parser.add_argument("--user", required=True, help="以哪个用户的权限运行")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="任务参数，如 station=3、kind=workers、publication=1、issue=5",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--output", "-o", help="结果文件（导出类任务）写到这里")

    def handle(self, *args, kind, file, user, param, dry_run, output, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None or not account.is_active:
            raise CommandError(f"找不到用户或用户已停用：{user}")
        params = {"dry_run": dry_run, "language": settings.LANGUAGE_CODE}
        for item in param:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"参数应写成 KEY=VALUE：{item}")
            params[key] = _value(value)
        path = Path(file) if file else None
        if path is not None and not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        bar = TerminalBar(self.stderr._out)
        with translation.override(settings.LANGUAGE_CODE):
            with path.open("rb") if path else nullcontext() as handle:
                # Recorded like a job started on a page, and run here and now.
                job = job_start(
                    kind=kind,
                    by=account,
                    title=f"命令行：{kind}" + (f"（{path.name}）" if path else ""),
                    params=params,
                    input_file=File(handle, name=path.name) if path else None,
                    hand_on=False,
                )
            try:
                run_job(job.pk, on_progress=bar.update)
            finally:
                bar.close()
        job = Job.objects.get(pk=job.pk)
        self._report(job, output)

    def _report(self, job, output):
        for row in job.row_errors:
            where = f"第 {row['line']} 行" if row.get("line") else "整个文件"
            for message in row.get("errors", []):
                self.stderr.write(f"  {where}：{message}")
        for entry in job.result.get("files", []):
            self.stdout.write(f"  {entry['name']}：{entry['status']} {entry['detail']}")
        if job.result_file and output:
            with job.result_file.open("rb") as handle:
                Path(output).write_bytes(handle.read())
            self.stdout.write(f"结果已写入 {output}")
        line = f"任务 {job.pk}：{job.get_status_display()}。{job.message}"
        if job.status != Job.Status.SUCCEEDED:
            raise CommandError(line)
        self.stdout.write(self.style.SUCCESS(line))
