"""``manage.py privacy_sweep [--publication SLUG] [--json]``: the privacy gate
run again over every published issue (newsletter/services/sweep.py).

Prints, per publication, what it found that no one has handled yet: numbers
(ID, phone, address) first, each with its article and the one-step withdrawal
waiting on the findings page; then names, with their context for an editor to
judge. Every value is masked; the command never prints one whole. Safe to run
again at any time, and from cron after the beneficiary files change.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from newsletter.models import Publication
from newsletter.selectors import privacy_findings
from newsletter.services import privacy_sweep


class Command(BaseCommand):
    help = "对已发布的简报重新做隐私检查，列出需要编辑处理的个人信息（已脱敏）。"

    def add_arguments(self, parser):
        parser.add_argument("--publication", help="只检查这份简报（网址名）")
        parser.add_argument(
            "--json", action="store_true", help="以 JSON 输出（供脚本读取）"
        )

    def handle(self, *args, **options):
        publications = Publication.objects.select_related("city").order_by("pk")
        slug = options["publication"]
        if slug:
            publications = publications.filter(slug=slug)
            if not publications.exists():
                raise CommandError(f"找不到网址名为 {slug} 的简报。")
        reports = [privacy_sweep(publication=p) for p in publications]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [self._json(r) for r in reports], ensure_ascii=False, indent=2
                )
            )
            return
        for report in reports:
            self._print(report)

    def _open(self, report):
        return list(
            privacy_findings([report.publication], open_only=True).order_by(
                "issue__year", "issue__number", "pk"
            )
        )

    def _json(self, report) -> dict:
        return {
            "publication": report.publication.slug,
            "issues": report.issues,
            "articles": report.articles,
            "new": len(report.new),
            "open": report.open,
            "gone": report.gone,
            "findings": [
                {
                    "issue": str(f.issue),
                    "article": f.article_title,
                    "place": f.place,
                    "kind": f.kind,
                    "masked": f.masked,
                    "context": f.context,
                }
                for f in self._open(report)
            ],
        }

    def _print(self, report):
        write = self.stdout.write
        findings = self._open(report)
        head = (
            f"{report.publication.name}：检查了 {report.issues} 期、"
            f"{report.articles} 篇文章；待处理 {report.open} 处"
            f"（本次新发现 {len(report.new)} 处），已不在文中 {report.gone} 处。"
        )
        write((self.style.WARNING if findings else self.style.SUCCESS)(head))
        numbers = [f for f in findings if f.is_number]
        names = [f for f in findings if not f.is_number]
        if numbers:
            write("号码和住址（可在隐私复查页一步撤下文章或隐去）：")
            for f in numbers:
                write(
                    f"  · {f.issue} 《{f.article_title or '-'}》 {f.place}："
                    f"{f.get_kind_display()} {f.masked}"
                )
        if names:
            write("姓名与照片（请编辑结合上下文判断）：")
            for f in names:
                write(
                    f"  · {f.issue} 《{f.article_title or '-'}》 {f.place}："
                    f"{f.get_kind_display()} {f.masked}　{f.context}"
                )
        if findings:
            write(f"处理：{reverse('newsletter_staff:privacy_findings')}")
