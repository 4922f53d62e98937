"""Making issues: assembling a draft from the approved reports not yet in an
issue, a date range narrowing them when the editor gives one (DESIGN.md §7),
adding reports approved later, or starting an empty one."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from activities.models import ActivityReport, Level
from core.audit import audit_record
from core.models import AuditEntry
from stations.permissions import require

from .. import permissions
from ..models import Article, ArticlePhoto, Issue, Publication, Section
from ..models.issues import STANDARD_SECTIONS
from ..rendering import report_body_to_html
from ..selectors import drafts_named, reports_for_assembly

# Words a report title starts with when the unit's name reads straight into it:
# 罗定市泗纶镇社工站 + 开展“珍爱生命，远离毒品”宣传活动. Any other start gets a
# colon, as the seed does: 云城区安塘街道社工站：温暖“童”行，…
TITLE_VERBS = (
    "开展",
    "组织",
    "举办",
    "举行",
    "召开",
    "联合",
    "联同",
    "携手",
    "启动",
    "走访",
    "入户",
    "参加",
    "参与",
    "深入",
    "积极",
    "扎实",
    "持续",
    "全力",
    "顺利",
    "成功",
    "推进",
    "推动",
    "助力",
    "协助",
    "慰问",
    "探访",
    "关爱",
    "进行",
    "完成",
    "链接",
    "落实",
    "对",
    "为",
    "在",
    "与",
    "赴",
    "到",
)
# How many report titles a message names for each draft that holds some.
TITLES_NAMED = 3


def _join(prefix: str, title: str) -> str:
    return f"{prefix}{'' if title.startswith(TITLE_VERBS) else '：'}{title}"


def station_title(report: ActivityReport) -> str:
    """A station article's title starts with its county and town (罗定市泗纶镇社工站
    开展…) unless the author wrote both already."""
    station = report.station
    town, county = station.town, station.town.county
    title = report.title.strip()
    if county.name in title and town.name in title:
        return title
    if title.startswith((str(station), town.name)):
        # 泗纶镇社工站开展… : only the county is missing.
        return f"{county.name}{title}"
    return _join(station.full_name, title)


def _county_names(county) -> list[str]:
    names = [county.name, county.short_name]
    names += [n for n in re.split(r"[、,，;；\s]+", county.aliases or "") if n]
    return [n for n in names if n]


def county_title(report: ActivityReport) -> str:
    """A county bureau's article names the bureau unless the title already names
    the county (full name, short name or an alias such as 云安民政)."""
    title = report.title.strip()
    if any(name in title for name in _county_names(report.county)):
        return title
    return _join(f"{report.county.name}民政局", title)


def article_title(report: ActivityReport) -> str:
    if report.level == Level.STATION:
        return station_title(report)
    if report.level == Level.COUNTY:
        return county_title(report)
    return report.title.strip()


def _sections(issue: Issue) -> dict[str, Section]:
    """The issue's first section of each kind."""
    found: dict[str, Section] = {}
    for section in issue.sections.order_by("position", "pk"):
        found.setdefault(section.kind, section)
    return found


def _create_standard_sections(issue: Issue) -> None:
    Section.objects.bulk_create(
        Section(issue=issue, title=title, position=n, kind=kind)
        for n, (kind, title) in enumerate(STANDARD_SECTIONS, start=1)
    )


def _section_for(report: ActivityReport, sections: dict[str, Section], issue):
    kind = {
        Level.CITY: Section.Kind.CITY,
        Level.COUNTY: Section.Kind.COUNTY,
        Level.STATION: Section.Kind.STATION,
    }[report.level]
    section = sections.get(kind)
    if section is None:
        # The editor renamed or removed the standard section: bring it back at
        # the end rather than guess where the article belongs.
        title = dict((k, t) for k, t in STANDARD_SECTIONS)[kind]
        last = max((s.position for s in sections.values()), default=0)
        section = Section.objects.create(
            issue=issue, title=title, position=last + 1, kind=kind
        )
        sections[kind] = section
    return section


def _report_order(report: ActivityReport):
    # County display order, then the date, then the pk. A city report has no
    # county: it sorts before the counties, which leaves its section in date order.
    county = report.county
    return (county.display_order if county else -1, report.start_date, report.pk)


# Checked by the query that read them (reports_for_assembly and its joins), so
# full_clean need not look each one up again: five queries an article.
READ_KEYS = ["issue", "section", "source_report", "county", "station"]


def _add_articles(issue: Issue, reports: list[ActivityReport]) -> list[Article]:
    """One article per report, written in two statements (articles, then their
    photos): a city's month is some 440 reports at province scale, and saving
    each on its own took 4 ms an article (bench/scale_staff.py)."""
    sections = _sections(issue)
    next_position = {
        section.pk: (section.articles.count() + 1) for section in sections.values()
    }
    articles = []
    for report in sorted(reports, key=_report_order):
        section = _section_for(report, sections, issue)
        position = next_position.get(section.pk, 1)
        next_position[section.pk] = position + 1
        article = Article(
            issue=issue,
            section=section,
            position=position,
            title=article_title(report),
            subtitle=report.subtitle.strip(),
            body=report_body_to_html(report.body),
            source_report=report,
            county=report.county,
            station=report.station,
            source_title=report.title,
            source_subtitle=report.subtitle,
            source_body=report.body,
        )
        article.full_clean(exclude=READ_KEYS, validate_constraints=False)
        article.fill_search_columns()
        articles.append((article, report))
    # bulk_create sets each article's pk (PostgreSQL, and SQLite from 3.35).
    Article.objects.bulk_create([article for article, _report in articles])
    # Numbered as the report numbers them, so its "[照片N]" lines still hold.
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto.of_report_photo(article, n, photo)
        for article, report in articles
        for n, photo in enumerate(report.photos.all(), start=1)
    )
    return [article for article, _report in articles]


def _check_range(start, end) -> None:
    for value in (start, end):
        if value is not None and not isinstance(value, datetime.date):
            raise ValidationError(_("请填写正确的日期。"))
    if start and end and end < start:
        raise ValidationError(_("截止日期不能早于起始日期。"))


def held_in_drafts(reports: list[ActivityReport]):
    """The drafts holding any of ``reports`` (read by reports_for_assembly,
    ``held_by`` annotated), each named, with the reports it holds, oldest draft
    first: one query, none when no report is held."""
    held: dict[int, list[ActivityReport]] = {}
    for report in reports:
        if report.held:
            held.setdefault(report.held_by, []).append(report)
    if not held:
        return []
    drafts = drafts_named(held)
    return [(drafts[pk], held[pk]) for pk in sorted(held)]


def held_text(held) -> str:
    """2026年第2期（草稿，12月7日）：《…》《…》等 5 篇；… for a message."""
    parts = []
    for draft, reports in held:
        titles = "".join(f"《{r.title}》" for r in reports[:TITLES_NAMED])
        if len(reports) > TITLES_NAMED:
            titles += _("等 %(n)d 篇") % {"n": len(reports)}
        parts.append(
            _("%(draft)s：%(titles)s") % {"draft": draft.short_name, "titles": titles}
        )
    return "；".join(parts)


def _nothing_found(publication: Publication, start, end, held) -> ValidationError:
    """Why there is nothing to assemble, and where the approved reports are:
    in drafts (named), outside the dates given (their span), or not approved
    yet."""
    if held:
        n = sum(len(reports) for _draft, reports in held)
        return ValidationError(
            _(
                "%(n)d 篇已通过、尚未刊登的报告都已在其他草稿中，没有可以组稿的报告："
                "%(where)s。请打开那一期继续编辑。"
            )
            % {"n": n, "where": held_text(held)}
        )
    if start or end:
        rest = (
            reports_for_assembly(publication)
            .filter(held=False)
            .aggregate(n=Count("pk"), first=Min("start_date"), last=Max("start_date"))
        )
        if rest["n"]:
            return ValidationError(
                _(
                    "这段日期内没有已通过且未刊登的活动报告。本市另有 %(n)d 篇，"
                    "开展日期在 %(first)s 至 %(last)s 之间：清空起止日期即可全部收入。"
                )
                % {
                    "n": rest["n"],
                    "first": date_format(rest["first"], "Y年n月j日"),
                    "last": date_format(rest["last"], "Y年n月j日"),
                }
            )
    return ValidationError(
        _(
            "本市没有已通过且未刊登的活动报告。报告提交后由审核人审核通过，"
            "才能组稿；各报告的状态见“活动报告”列表。"
        )
    )


def _locked_publication(publication: Publication) -> Publication:
    # One editor at a time per publication takes reports into drafts, so two
    # drafts never get the same report.
    return Publication.objects.select_for_update().get(pk=publication.pk)


@transaction.atomic
def issue_assemble(*, publication: Publication, by, start=None, end=None) -> Issue:
    """A new draft of the approved reports of the publication's city used in
    no published issue and held by no other draft of this publication, whatever
    their date; ``start`` and ``end``, when given, narrow them to the activities
    that started in that range. One article each, in the section its filing
    level implies, ordered by county then date.

    The returned issue carries ``held_elsewhere``: the other drafts holding
    reports that would have been taken, each with those reports
    (held_in_drafts), and ``skipped_in_drafts``, how many they are. With
    nothing to take, the ValidationError says where the approved reports are."""
    require(permissions.can_edit_publication(by, publication))
    _check_range(start, end)
    if not publication.is_active:
        raise ValidationError(_("这份简报已停用，不能组稿。"))
    _locked_publication(publication)
    candidates = list(
        reports_for_assembly(publication, start=start, end=end)
        .select_related("county", "station__town__county")
        .prefetch_related("photos")
    )
    reports = [r for r in candidates if not r.held]
    held = held_in_drafts(candidates)
    if not reports:
        raise _nothing_found(publication, start, end, held)
    issue = Issue(
        publication=publication,
        year=(end or timezone.localdate()).year,
        status=Issue.Status.DRAFT,
        created_by=by,
        period_start=start,
        period_end=end,
        source=Issue.Source.ASSEMBLED,
    )
    issue.full_clean()
    issue.save()
    _create_standard_sections(issue)
    _add_articles(issue, reports)
    if start or end:
        detail = _("组稿 %(s)s 至 %(e)s，%(n)d 篇") % {
            "s": start or "",
            "e": end or "",
            "n": len(reports),
        }
    else:
        detail = _("组稿全部已通过且未刊登的报告，%(n)d 篇") % {"n": len(reports)}
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        target=issue,
        label=str(issue),
        detail=detail,
    )
    issue.held_elsewhere = held
    issue.skipped_in_drafts = sum(len(r) for _draft, r in held)
    return issue


@transaction.atomic
def issue_create(*, publication: Publication, by) -> Issue:
    """An empty draft with the three standard sections, for articles written
    from scratch."""
    require(permissions.can_edit_publication(by, publication))
    if not publication.is_active:
        raise ValidationError(_("这份简报已停用，不能新建一期。"))
    issue = Issue(
        publication=publication,
        year=datetime.date.today().year,
        created_by=by,
        source=Issue.Source.WRITTEN,
    )
    issue.full_clean()
    issue.save()
    _create_standard_sections(issue)
    audit_record(actor=by, action=AuditEntry.Action.CREATE, target=issue)
    issue.held_elsewhere = []
    issue.skipped_in_drafts = 0
    return issue


def _locked_draft(issue: Issue) -> Issue:
    current = Issue.objects.select_for_update().get(pk=issue.pk)
    if current.status != Issue.Status.DRAFT:
        raise ValidationError(_("这一期已经发布，只能通过“更正”修改。"))
    return current


@transaction.atomic
def issue_add_reports(*, issue: Issue, reports, by) -> list[Article]:
    """Add approved reports (approved after the draft was assembled, say) to the
    end of their sections. Each must still be available: approved, in the city,
    unpublished, in no draft of this publication."""
    require(permissions.can_edit_issue(by, issue))
    _locked_publication(issue.publication)
    _locked_draft(issue)
    wanted = {r.pk for r in reports}
    if not wanted:
        raise ValidationError(_("请至少选择一篇报告。"))
    available = list(
        reports_for_assembly(issue.publication)
        .filter(pk__in=wanted)
        .select_related("county", "station__town__county")
        .prefetch_related("photos")
    )
    usable = [r for r in available if not r.held]
    if len(usable) != len(wanted):
        raise ValidationError(
            _(
                "所选报告中有的已不能加入：可能已被撤回、已刊登或已在其他草稿中。请刷新后重选。"
            )
        )
    return _add_articles(issue, usable)


@transaction.atomic
def issue_update(*, issue: Issue, by, editor_note: str, issue_date=None) -> Issue:
    """Change a draft's editor's note and the date it will carry (none: the day
    it is published)."""
    require(permissions.can_edit_issue(by, issue))
    current = _locked_draft(issue)
    current.editor_note = (editor_note or "").strip()
    current.issue_date = issue_date
    if issue_date:
        current.year = issue_date.year
    current.full_clean()
    current.save(update_fields=["editor_note", "issue_date", "year", "updated_at"])
    issue.editor_note, issue.issue_date, issue.year = (
        current.editor_note,
        current.issue_date,
        current.year,
    )
    return issue
