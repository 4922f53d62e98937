from django.core.management.base import BaseCommand, CommandError

from newsletter import selectors
from newsletter.models import Issue
from newsletter.word_export import build_docx


class Command(BaseCommand):
    help = (
        "把一期简报导出为 Word 文件（简报版式：红色刊头、本期内容、标题居中、"
        "正文首行缩进两字、照片和说明）。"
        "用法：export_issue --publication SLUG YEAR NUMBER -o OUT.docx"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--publication", required=True, help="简报的网址名，如 yunfu"
        )
        parser.add_argument("year", type=int, help="年份，如 2023")
        parser.add_argument("number", type=int, help="当年期号，如 3")
        parser.add_argument(
            "-o", "--output", required=True, help="输出的 .docx 文件路径"
        )

    def handle(self, *args, **options):
        issue = (
            Issue.objects.select_related("publication")
            .filter(
                publication__slug=options["publication"],
                year=options["year"],
                number=options["number"],
            )
            .first()
        )
        if issue is None:
            raise CommandError(
                f"找不到简报 {options['publication']} {options['year']}年第"
                f"{options['number']}期（只能导出已编号的一期）。"
            )
        # The operator reads everything, an imported draft (numbered from its
        # file) included.
        data = build_docx(
            issue, selectors.issue_contents(issue, reader=selectors.UNSCOPED)
        )
        try:
            with open(options["output"], "wb") as out:
                out.write(data)
        except OSError as exc:
            raise CommandError(f"无法写入 {options['output']}：{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 {issue} 到 {options['output']}"))
