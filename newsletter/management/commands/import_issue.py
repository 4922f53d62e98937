"""``manage.py import_issue FILE`` — see newsletter/legacy/README.md."""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from core.jobs import TerminalBar
from newsletter.legacy.archive import (
    CHECKED,
    DRAFT,
    FAILED,
    IMPORTED,
    SKIPPED,
    archive_import,
)
from newsletter.models import Publication
from newsletter.services.legacy import issue_import

HELP = """把一期往期简报（.txt、.docx、.doc、.wps、.pdf 或扫描图片）导入为已发布的一期：
栏目、文章、图片，
并把每篇文章匹配到县（市、区）或社工站；打印匹配结果和没能匹配的文章。
同一个文件（按 SHA-256）不会重复导入。

用法：import_issue FILE [--publication SLUG] [--year Y --number N]
      [--running-number R] [--date YYYY-MM-DD] [--dry-run [--json]]

--dry-run 只检查、不写入；加 --json 时把预览以 JSON 打印到标准输出：
  {"sections": [{"title": 栏目名,
                 "articles": [{"title": 标题, "subtitle": 副标题（无“——”）,
                               "county": 县（市、区）全称或 null,
                               "station": 社工站所在镇（街道）名如“泗纶镇”或 null,
                               "paragraphs": 段落数（不含小标题）,
                               "images": 图片数（含只有标记的缺失图片）,
                               "warnings": [该篇的提示]}]}],
   "warnings": [整期的提示；不能导入的原因排在最前]}
有不能导入的原因（如缺年份期号、期号已存在、文件无法读取）时退出码为 1。

FILE 为 .zip 压缩包时，逐个导入其中的 .txt、.docx、.doc、.wps、.pdf、.jpg、.jpeg
和 .png 文件（一个文件一期，期号取自各自的文件），在标准错误输出上显示进度条，
最后逐个文件列出结果：✓ 已导入并发布，◐ 已导入为草稿（隐私检查有发现等，
请编辑处理后发布），= 已有这一期而跳过（同一个文件，或同年同期号的另一个文件，
说明是哪一期），× 未导入及原因。已导入过的文件按内容跳过，中途出错后可以再运行
一次。全部文件都未导入时退出码为 1。"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="往期简报文件（.txt、.docx、.doc、.wps、.pdf 或扫描图片），"
            "或多期的 .zip 压缩包",
        )
        parser.add_argument(
            "--publication", help="简报的网址名，如 yunfu；只有一份简报时可省略"
        )
        parser.add_argument("--year", type=int, help="年份；文件中写明时可省略")
        parser.add_argument("--number", type=int, help="当年期号；文件中写明时可省略")
        parser.add_argument(
            "--running-number", type=int, help="总期号；省略时取文件中的或下一个"
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="出刊日期 YYYY-MM-DD；省略时取文件中的或文中最晚的日期",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--json", action="store_true", help="以 JSON 打印预览（供批量脚本使用）"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        publication = self._publication(options["publication"])
        if path.suffix.lower() == ".zip":
            return self._archive(path, publication, options)
        as_json = options["json"]
        try:
            result = issue_import(
                publication=publication,
                source=path.read_bytes(),
                filename=path.name,
                by=None,
                year=options["year"],
                number=options["number"],
                running_number=options["running_number"],
                issue_date=options["date"],
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            message = "；".join(exc.messages)
            if as_json:
                self._json({"sections": [], "warnings": exc.messages})
            raise CommandError(f"没有导入：{message}") from exc
        if as_json:
            self._json(result.as_json())
        else:
            self._print(result)
        if result.errors:
            raise CommandError("不能导入：" + "；".join(result.errors))

    def _archive(self, path, publication, options):
        """A .zip of issues, one per file, with a progress bar on stderr and a
        line per file on stdout (newsletter/legacy/archive.py)."""
        given = [
            flag
            for flag, key in (
                ("--year", "year"),
                ("--number", "number"),
                ("--running-number", "running_number"),
                ("--date", "date"),
                ("--json", "json"),
            )
            if options[key]
        ]
        if given:
            raise CommandError(
                "导入压缩包时不能用 "
                + "、".join(given)
                + "：每期的期号取自各自的文件。"
            )
        bar = TerminalBar(self.stderr._out)
        try:
            entries = archive_import(
                publication=publication,
                data=path.read_bytes(),
                by=None,
                dry_run=options["dry_run"],
                progress=bar,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        finally:
            bar.close()
        marks = {IMPORTED: "✓", DRAFT: "◐", SKIPPED: "=", CHECKED: "✓", FAILED: "×"}
        for entry in entries:
            line = f"{marks.get(entry.status, '?')} {entry.name}：{entry.detail}"
            if entry.status == DRAFT:
                # A draft's page is the editor's, where it is cleared.
                line += f" {entry.issue.get_absolute_url()}"
            self.stdout.write(line)
        counts = {
            status: sum(1 for e in entries if e.status == status)
            for status in (IMPORTED, DRAFT, SKIPPED, CHECKED, FAILED)
        }
        prefix = "（试运行，未写入）" if options["dry_run"] else ""
        summary = (
            f"{prefix}共 {len(entries)} 个文件：导入并发布 {counts[IMPORTED]} 期，"
            f"导入为草稿 {counts[DRAFT]} 期，检查通过 {counts[CHECKED]} 期，"
            f"跳过 {counts[SKIPPED]} 个文件（已有这一期），"
            f"{counts[FAILED]} 个文件未导入。"
        )
        if counts[DRAFT]:
            summary += "导入为草稿的各期请编辑在其页面上处理后发布。"
        style = (
            self.style.WARNING
            if counts[FAILED] or counts[DRAFT]
            else self.style.SUCCESS
        )
        self.stdout.write(style(summary))
        if counts[FAILED] == len(entries):
            raise CommandError("没有导入任何一期。")

    def _json(self, data):
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _publication(self, slug):
        if slug:
            publication = (
                Publication.objects.select_related("city").filter(slug=slug).first()
            )
            if publication is None:
                raise CommandError(f"找不到网址名为 {slug} 的简报。")
            return publication
        publications = list(Publication.objects.select_related("city")[:2])
        if len(publications) != 1:
            slugs = "、".join(Publication.objects.values_list("slug", flat=True))
            raise CommandError(
                "请用 --publication 指定简报"
                + (f"（现有：{slugs}）。" if slugs else "（系统中还没有简报）。")
            )
        return publications[0]

    def _print(self, result):
        write = self.stdout.write
        if result.skipped:
            write(self.style.WARNING(result.warnings[0]))
            return
        prefix = "（试运行，未写入）" if result.dry_run else ""
        style = self.style.SUCCESS if result.ok else self.style.WARNING
        write(style(prefix + result.summary()))
        for section in result.sections:
            write(f"【{section.title}】")
            for item in section.articles:
                if item.station is not None:
                    place = f"{item.county.name} {item.station.town.name}社工站"
                elif item.county is not None:
                    place = item.county.name
                else:
                    place = "未匹配"
                write(
                    f"  · {item.title}"
                    + (f"——{item.subtitle}" if item.subtitle else "")
                )
                write(
                    f"    {place}；{item.paragraphs} 段，{item.subheadings} 个小标题，"
                    f"{item.images} 张图片"
                )
                for warning in item.warnings:
                    write(f"    ! {warning}")
        for warning in result.warnings:
            write(f"! {warning}")
        for error in result.errors:
            write(self.style.ERROR(f"× {error}"))
        if result.held_back and result.issue is not None:
            write(
                self.style.WARNING(
                    "已保留为草稿，请编辑在隐私检查页处理后发布："
                    + reverse("newsletter_staff:privacy", args=[result.issue.pk])
                )
            )
