"""``issue_import``: a past issue's file read into a published Issue with its
sections, articles and photos, or only previewed (``dry_run``).

- The year and number come from the arguments, else from the file (its masthead
  or its name: 2023年第3期); without either the import is refused. The running
  number (总第N期) and the date likewise. Without a running number the issue
  has none (an editor may add it later on the issue page); without a date it
  takes the latest date the text mentions in that year, reported as a guess.
- A file already imported into the publication (same SHA-256) is skipped and
  the result says which issue holds it; an issue with the same year and number,
  or the same running number, is a clear error. Nothing is written then. An
  archive (``skip_taken``) skips a file whose year and number are taken, and
  says which issue has them.
- Each article is matched to its county or station (matching.py); what could
  not be matched is said in the article's warnings, never guessed.
- Pictures of a Word file go through the report photo pipeline (three
  renditions, EXIF stripped); one it refuses, and every marker of a text copy
  (``[image: image2.png]``), becomes a photo marked missing, in its place.
- Imported issues were published on paper: they are published as they were,
  dated on their issue date, once they pass the same privacy gate as every
  issue. One with hits is kept as a draft, with its numbers and date, for an
  editor to clear on its privacy page and publish. The preview lists what the
  gate finds (masked) as warnings.
- A dry run writes nothing and returns the same preview.

``by`` is the editor (permission checked: an editor of the publication's city
or a superuser). ``by=None`` is the operator at the console (``import_issue``,
``load_demo``): trusted code, recorded without a user.
"""

from __future__ import annotations

import datetime
import hashlib
import html

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.photos import process_image
from activities.services.photos import store_renditions
from core.audit import audit_record
from core.dates import PAST
from core.models import AuditEntry
from core.outages import StorageFull, files_kept_or_removed
from newsletter import permissions, privacy
from newsletter.legacy.masthead import number_conflict
from newsletter.legacy.matching import Gazetteer
from newsletter.legacy.reader import read_issue
from newsletter.legacy.result import ArticlePlan, ImportResult, SectionPlan
from newsletter.legacy.structure import Block, ParsedArticle, ParsedImage, ParsedIssue
from newsletter.models import Article, ArticlePhoto, Issue, Publication, Section
from newsletter.public_cache import bump_version
from newsletter.rendering import body_clean
from newsletter.services.publishing import paper_time
from stations.permissions import require

TITLE_MAX = Article._meta.get_field("title").max_length
SUBTITLE_MAX = Article._meta.get_field("subtitle").max_length
SECTION_TITLE_MAX = Section._meta.get_field("title").max_length
CAPTION_MAX = ArticlePhoto._meta.get_field("caption").max_length
NAME_MAX = Issue._meta.get_field("source_name").max_length
IMPORT_DISK_FULL = gettext_lazy(
    "服务器存储空间已满，这一期没有导入，图片也没有保存。请联系管理员清理空间后再试。"
)


def _read(source) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if hasattr(source, "chunks"):
        return b"".join(source.chunks())
    return source.read()


def issue_import(
    *,
    publication: Publication,
    source,
    filename: str,
    by,
    year: int | None = None,
    number: int | None = None,
    running_number: int | None = None,
    issue_date: datetime.date | None = None,
    dry_run: bool = False,
    skip_taken: bool = False,
    request=None,
) -> ImportResult:
    """Import (or with ``dry_run`` only preview) a past issue from ``source``
    (bytes or a file). Raises PermissionDenied, or ValidationError with Chinese
    messages for a file that is not an issue, missing year and number, or a
    number already taken; nothing is written then. With ``skip_taken`` (an
    archive), a number already taken skips the file like one already imported:
    the result is ``skipped`` and ``number_taken``, its issue the one that has
    the number."""
    if by is not None:
        require(permissions.can_edit_publication(by, publication))
    data = _read(source)
    checksum = hashlib.sha256(data).hexdigest()
    result = ImportResult(
        filename=(filename or "")[:NAME_MAX], checksum=checksum, dry_run=dry_run
    )
    existing = _already_imported(publication, checksum)
    if existing is not None:
        result.skipped = True
        result.issue = existing
        result.warnings.append(
            _("这个文件已经导入过（%(issue)s），本次跳过，没有重复导入。")
            % {"issue": existing}
        )
        return result
    parsed = read_issue(data, filename)
    result.format = parsed.format
    if result.is_scan:
        result.scan_lines = parsed.scan_lines
        result.warnings.append(_scan_warning(parsed))
    _plan(result, parsed, publication)
    _numbers(result, parsed, publication, year, number, running_number, issue_date)
    if skip_taken and result.number_taken:
        result.skipped = True
        result.errors = []
        result.warnings.insert(
            0,
            _("%(year)s年第%(number)s期已经有了（%(issue)s），这个文件跳过，没有导入。")
            % {"year": result.year, "number": result.number, "issue": result.issue},
        )
        return result
    _render_images(result)
    if dry_run:
        return result
    if result.errors:
        raise ValidationError(result.errors)
    # A failure once pictures are stored (the disk full at a later one) leaves
    # no file behind: the rows roll back in ``_write``, the files go here.
    with files_kept_or_removed(IMPORT_DISK_FULL) as written:
        try:
            _write(result, publication, by, request, written)
        except StorageFull as exc:
            raise StorageFull(IMPORT_DISK_FULL) from exc
    return result


def _scan_warning(parsed: ParsedIssue) -> str:
    doubtful = sum(1 for line in parsed.scan_lines if line.low_confidence)
    return _(
        "这是扫描件，文字由文字识别（OCR）读出，可能有错字：导入后保存为草稿，"
        "不会直接发布。请对照原件核对（%(n)d 段识别可信度低），改好后再发布。"
    ) % {"n": doubtful}


def already_imported(publication, data: bytes) -> Issue | None:
    """The issue of ``publication`` this very file was imported into (the same
    SHA-256), or None: what ``issue_import`` looks at before reading a file, for
    callers that must know before they start (a scan's OCR job)."""
    return _already_imported(publication, hashlib.sha256(data).hexdigest())


def _already_imported(publication, checksum) -> Issue | None:
    return (
        Issue.objects.filter(publication=publication, source_checksum=checksum)
        .select_related("publication")
        .first()
    )


# --- The preview ------------------------------------------------------------------


def _plan(result: ImportResult, parsed: ParsedIssue, publication) -> None:
    gazetteer = Gazetteer(publication.city)
    identifiers = privacy.identifiers_for_city(publication.city_id)
    result.warnings += parsed.warnings
    for section in parsed.sections:
        title = section.title or _("其他")
        if len(title) > SECTION_TITLE_MAX:
            title = title[:SECTION_TITLE_MAX]
        for found in privacy.scan_text(title, identifiers):
            result.privacy_hits += 1
            result.warnings.append(
                _("隐私检查：栏目名称“%(t)s”中有%(kind)s“%(masked)s”，请修改。")
                % {
                    "t": privacy.masked_text(title, identifiers),
                    "kind": privacy.Kind(found.kind).label,
                    "masked": privacy.MASKERS[found.kind](found.value),
                }
            )
        plan = SectionPlan(title=title, kind=section.kind)
        for article in section.articles:
            found = gazetteer.match(
                title=article.title, text=article.text, section_kind=section.kind
            )
            item = ArticlePlan(parsed=article, section_kind=section.kind, match=found)
            item.warnings += article.warnings
            # Why a match is unsure or missing (a city article needs none).
            if found.reason and section.kind != "city":
                item.warnings.append(found.reason)
            for image in article.images:
                if image.is_missing:
                    item.warnings.append(
                        _(
                            "图片“%(name)s”只有标记，没有图片本身，导入后显示为缺失的图片。"
                        )
                        % {"name": image.name or image.number}
                    )
            if len(article.title) > TITLE_MAX:
                item.warnings.append(_("标题太长，导入时截短，请核对。"))
            found = _privacy_warnings(article, identifiers)
            result.privacy_hits += len(found)
            item.warnings += found
            plan.articles.append(item)
        result.sections.append(plan)
    # The reader's own warnings quote the file ("目录中的“…”在正文中没有找到"), and
    # they are printed, kept with a background job and passed to scripts as
    # JSON: what the gate finds in them is masked there too.
    result.warnings = [privacy.masked_text(w, identifiers) for w in result.warnings]
    for item in result.articles:
        item.warnings = [privacy.masked_text(w, identifiers) for w in item.warnings]
    if result.held_back:
        result.warnings.append(result.held_back_text())


def _privacy_warnings(article: ParsedArticle, identifiers) -> list[str]:
    """What the privacy gate finds in an article, masked: one warning a hit."""
    texts = [(_("标题"), article.title), (_("副标题"), article.subtitle)]
    texts += [
        (_("正文第 %(n)d 段") % {"n": n}, block.text)
        for n, block in enumerate(
            (b for b in article.blocks if b.kind != Block.IMAGE), start=1
        )
    ]
    texts += [
        (_("第 %(n)d 张图片的说明") % {"n": n}, image.caption)
        for n, image in enumerate(article.images, start=1)
        if image.caption
    ]
    warnings = []
    for place, text in texts:
        for found in privacy.scan_text(text, identifiers):
            label = privacy.Kind(found.kind).label
            masked = privacy.MASKERS[found.kind](found.value)
            warnings.append(
                _("隐私检查：%(place)s有%(kind)s“%(masked)s”，请核对是否可以公开。")
                % {"place": place, "kind": label, "masked": masked}
            )
    return warnings


def _numbers(result, parsed, publication, year, number, running_number, issue_date):
    masthead = parsed.masthead
    result.year = year or masthead.year
    result.number = number or masthead.number
    if not result.year or not result.number:
        result.errors.append(
            _(
                "文件中没有写明是哪一年第几期，请指定年份和期号"
                "（命令行用 --year 和 --number）。"
            )
        )
        return
    if not datetime.MINYEAR <= result.year <= datetime.MAXYEAR:
        result.errors.append(_("年份 %(y)s 不是有效的年份。") % {"y": result.year})
        return
    if not (year or number):
        conflict = number_conflict(masthead, result.filename)
        if conflict:
            result.warnings.append(conflict)
    taken = Issue.objects.filter(
        publication=publication, year=result.year, number=result.number
    ).first()
    if taken is not None:
        result.number_taken = True
        result.issue = taken
        result.errors.append(
            _("%(year)s年第%(number)s期已经存在（%(issue)s），没有导入。")
            % {"year": result.year, "number": result.number, "issue": taken}
        )
    result.running_number = running_number or masthead.running_number
    if result.running_number:
        if Issue.objects.filter(
            publication=publication, running_number=result.running_number
        ).exists():
            result.errors.append(
                _("总第%(n)s期已经存在，没有导入。") % {"n": result.running_number}
            )
    else:
        # Never invented: a guessed 总第N期 would be printed on the masthead as
        # if the paper had said it. The editor may add it on the issue page.
        result.running_number = None
        result.warnings.append(
            _("文件中没有写总期号，导入后不设总期号，可以以后在简报页补上。")
        )
    result.issue_date = issue_date or masthead.issue_date
    if result.issue_date is None:
        latest = parsed.latest_date(result.year)
        result.issue_date = latest or datetime.date(result.year, 1, 1)
        result.warnings.append(
            _("文件中没有写出刊日期，暂定为 %(date)s（%(why)s），请核对。")
            % {
                "date": result.issue_date.isoformat(),
                "why": _("文中提到的最晚日期") if latest else _("当年 1 月 1 日"),
            }
        )
    # The date (given, read from the masthead or guessed) is checked here, in
    # the preview, not first when the issue is written after the editor
    # confirmed it.
    try:
        PAST.validate(result.issue_date, label=_("出刊日期"))
    except ValidationError as exc:
        result.errors.extend(exc.messages)


def _render_images(result: ImportResult) -> None:
    """The three renditions of each picture a Word file holds. A picture the
    pipeline refuses is kept as a missing one, with the reason in a warning."""
    for item in result.articles:
        for image in item.parsed.images:
            if image.is_missing:
                continue
            try:
                item.renditions[id(image)] = process_image(image.data)
            except ValidationError as exc:
                item.warnings.append(
                    _("第 %(n)d 张图片无法使用（%(reason)s），导入后显示为缺失的图片。")
                    % {"n": image.number, "reason": "；".join(exc.messages)}
                )


# --- Writing ----------------------------------------------------------------------


def _body(blocks: list[Block], numbers: dict[int, int]) -> str:
    parts = []
    for block in blocks:
        if block.kind == Block.IMAGE:
            parts.append(f"<p>[照片{numbers[id(block.image)]}]</p>")
        elif block.kind == Block.SUBHEADING:
            parts.append(f"<h3>{html.escape(block.text, quote=False)}</h3>")
        else:
            parts.append(f"<p>{html.escape(block.text, quote=False)}</p>")
    return body_clean("\n".join(parts))


def _photo(article: Article, position: int, image: ParsedImage, renditions, written):
    # The line the file printed under the picture (reader.py reads it as the
    # caption); a missing picture without one is named by its file name.
    photo = ArticlePhoto(
        article=article, position=position, caption=image.caption[:CAPTION_MAX]
    )
    if renditions is None:
        photo.is_missing = True
        photo.caption = (image.caption or image.name or "")[:CAPTION_MAX]
    else:
        for name in store_renditions(photo, renditions):
            written.add(photo.web.storage, name)
    return photo


@transaction.atomic
def _write(result: ImportResult, publication, by, request, written) -> None:
    # The publication row is the lock publishing takes too: numbers read here
    # cannot be taken meanwhile by an import or a publish.
    Publication.objects.select_for_update().get(pk=publication.pk)
    again = _already_imported(publication, result.checksum)
    if again is not None:
        raise ValidationError(
            _("这个文件刚刚已经导入过（%(issue)s），没有重复导入。") % {"issue": again}
        )
    if Issue.objects.filter(
        publication=publication, year=result.year, number=result.number
    ).exists() or (
        result.running_number is not None
        and Issue.objects.filter(
            publication=publication, running_number=result.running_number
        ).exists()
    ):
        numbers = {
            "year": result.year,
            "number": result.number,
            "running": result.running_number,
        }
        raise ValidationError(
            _("%(year)s年第%(number)s期（或总第%(running)s期）刚刚已被占用，没有导入。")
            % numbers
            if result.running_number is not None
            else _("%(year)s年第%(number)s期刚刚已被占用，没有导入。") % numbers
        )
    date = result.issue_date
    # Written as a draft, and published below once the gate has read it.
    issue = Issue(
        publication=publication,
        year=result.year,
        number=result.number,
        running_number=result.running_number,
        issue_date=date,
        status=Issue.Status.DRAFT,
        created_by=by if by is not None and by.is_authenticated else None,
        source=Issue.Source.IMPORTED,
        source_name=result.filename,
        source_checksum=result.checksum,
    )
    issue.full_clean()
    issue.save()
    photos: list[ArticlePhoto] = []
    for position, plan in enumerate(result.sections):
        section = Section(
            issue=issue, title=plan.title, position=position, kind=plan.kind
        )
        section.full_clean()
        section.save()
        for index, item in enumerate(plan.articles):
            parsed = item.parsed
            numbers = {id(img): n for n, img in enumerate(parsed.images, start=1)}
            body = _body(parsed.blocks, numbers)
            article = Article(
                issue=issue,
                section=section,
                position=index,
                title=parsed.title[:TITLE_MAX],
                subtitle=parsed.subtitle[:SUBTITLE_MAX],
                body=body,
                county=item.match.county,
                station=item.match.station,
                # The text as the file gave it, so later corrections show as a
                # difference from the original.
                source_title=parsed.title[:TITLE_MAX],
                source_subtitle=parsed.subtitle[:SUBTITLE_MAX],
                source_body=body,
            )
            article.full_clean()
            article.save()
            item.article = article
            for image in parsed.images:
                photos.append(
                    _photo(
                        article,
                        numbers[id(image)],
                        image,
                        item.renditions.get(id(image)),
                        written,
                    )
                )
    ArticlePhoto.objects.bulk_create(photos)
    result.issue = issue
    # The gate on the issue as written (the plan's count read the file's text;
    # this reads what the public would see, captions included).
    identifiers = privacy.identifiers_for_city(publication.city_id)
    hits = privacy.blocking(privacy.issue_privacy_check(issue, ids=identifiers))
    hits += privacy.issue_text_hits(issue, identifiers)
    result.privacy_hits = max(result.privacy_hits, len(hits))
    # A scan read by OCR stays a draft whatever the gate says: its text may
    # hold misread characters until an editor has checked it.
    if not hits and not result.is_scan:
        issue.status = Issue.Status.PUBLISHED
        # Published on paper on its date; the archive and the feeds order by it.
        issue.published_at = paper_time(date)
        issue.full_clean()
        issue.save(update_fields=["status", "published_at", "updated_at"])
        # The archive, the feeds and the home page now hold this issue: every
        # cached public page is out of date, as after publishing.
        bump_version()
    audit_record(
        actor=by,
        action=AuditEntry.Action.IMPORT,
        target=issue,
        request=request,
        label=str(issue),
        detail=_("往期导入：%(file)s，%(n)d 篇文章")
        % {"file": result.filename, "n": len(result.articles)}
        + (_("；隐私检查发现 %(h)d 处，保留为草稿") % {"h": len(hits)} if hits else "")
        + (_("；扫描件经文字识别读出，保留为草稿待核对") if result.is_scan else ""),
    )
