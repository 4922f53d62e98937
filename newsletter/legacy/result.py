"""What an import found and would write (or wrote): the preview the import
screen shows and ``import_issue --dry-run --json`` prints."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stations.models import County, Station

from ..models import Article, Issue
from .matching import Match
from .structure import Pairing, ParsedArticle


@dataclass
class ArticlePlan:
    """One article as it would be (or was) imported."""

    parsed: ParsedArticle
    section_kind: str
    match: Match
    warnings: list[str] = field(default_factory=list)
    # id(ParsedImage) -> renditions, for the pictures the pipeline accepted.
    renditions: dict = field(default_factory=dict)
    article: Article | None = None

    @property
    def title(self) -> str:
        return self.parsed.title

    @property
    def subtitle(self) -> str:
        return self.parsed.subtitle

    @property
    def county(self) -> County | None:
        return self.match.county

    @property
    def station(self) -> Station | None:
        return self.match.station

    @property
    def paragraphs(self) -> int:
        return len(self.parsed.paragraphs)

    @property
    def subheadings(self) -> int:
        return len(self.parsed.subheadings)

    @property
    def images(self) -> int:
        return len(self.parsed.images)

    @property
    def missing_images(self) -> int:
        return sum(
            1 for image in self.parsed.images if id(image) not in self.renditions
        )

    @property
    def loose(self) -> bool:
        return self.parsed.pairing == Pairing.LOOSE

    @property
    def unmatched(self) -> bool:
        """Not matched although its section calls for a county or a station."""
        if self.section_kind == "city":
            return False
        if self.section_kind == "county":
            return self.match.county is None
        return self.match.station is None

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "county": self.county.name if self.county else None,
            "station": self.station.town.name if self.station else None,
            "paragraphs": self.paragraphs,
            "images": self.images,
            "warnings": list(self.warnings),
        }


@dataclass
class SectionPlan:
    title: str
    kind: str
    articles: list[ArticlePlan] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "articles": [a.as_json() for a in self.articles],
        }


@dataclass
class ImportResult:
    filename: str
    checksum: str
    dry_run: bool
    year: int | None = None
    number: int | None = None
    running_number: int | None = None
    issue_date: datetime.date | None = None
    sections: list[SectionPlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What stops the import (a dry run collects them; an import raises them).
    errors: list[str] = field(default_factory=list)
    # The issue created; when skipped, the issue that already holds the file;
    # when the number is taken, the issue that has it.
    issue: Issue | None = None
    skipped: bool = False
    # Another issue of the publication has this year and number: an error for
    # one file, a skip for an archive (issue_import's ``skip_taken``), where
    # the same issue often comes twice (2023年第4期.pdf beside 2023年第4期.doc).
    number_taken: bool = False
    format: str = ""
    # A scan read by OCR (format ``ocr``): its paragraphs as read, with their
    # page and confidence, shown beside the pages in the preview.
    scan_lines: list = field(default_factory=list)
    # What the privacy gate found: an issue with any is kept as a draft (held
    # back) for an editor to clear before it is published.
    privacy_hits: int = 0

    @property
    def held_back(self) -> bool:
        return self.privacy_hits > 0

    @property
    def is_scan(self) -> bool:
        """Read by OCR: imported as a draft for an editor to check."""
        return self.format == "ocr"

    @property
    def ok(self) -> bool:
        return not self.errors and not self.skipped

    @property
    def articles(self) -> list[ArticlePlan]:
        return [a for s in self.sections for a in s.articles]

    @property
    def loose(self) -> list[ArticlePlan]:
        return [a for a in self.articles if a.loose]

    @property
    def unmatched(self) -> list[ArticlePlan]:
        return [a for a in self.articles if a.unmatched]

    def as_json(self) -> dict:
        """The preview in the shape ``import_issue --dry-run --json`` prints
        (newsletter/legacy/README.md): errors are listed first among the
        warnings."""
        return {
            "sections": [s.as_json() for s in self.sections],
            "warnings": [*self.errors, *self.warnings],
        }

    def summary(self) -> str:
        if self.skipped:
            return self.warnings[0]
        articles = self.articles
        return _(
            "%(year)s年第%(number)s期：%(sections)d 个栏目，%(articles)d 篇文章，"
            "%(matched)d 篇已匹配县（市、区）或社工站，%(unmatched)d 篇未匹配，"
            "%(loose)d 篇标题与目录不完全一致，%(images)d 张图片（%(missing)d 张缺失）。"
        ) % {
            "year": self.year or "?",
            "number": self.number or "?",
            "sections": len(self.sections),
            "articles": len(articles),
            "matched": sum(1 for a in articles if a.match.matched),
            "unmatched": len(self.unmatched),
            "loose": len(self.loose),
            "images": sum(a.images for a in articles),
            "missing": sum(a.missing_images for a in articles),
        } + (self.held_back_text() if self.held_back else "")

    def held_back_text(self) -> str:
        if self.dry_run or self.issue is None:
            return _(
                "隐私检查发现 %(n)d 处可能涉及服务对象个人信息的内容："
                "导入后保留为草稿，由编辑处理后再发布。"
            ) % {"n": self.privacy_hits}
        return _(
            "隐私检查发现 %(n)d 处可能涉及服务对象个人信息的内容："
            "已保留为草稿，请在隐私检查页处理后再发布。"
        ) % {"n": self.privacy_hits}
