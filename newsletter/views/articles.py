"""Staff pages of an article: write one from scratch, edit one (text, county and
station, photos and their order), move it, drop it. On a published issue the
edit page is the correction page: a reason is required and the privacy gate
reads the new text before it is saved."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from newsletter.forms.issues import ArticleForm
from newsletter.forms.past_issues import MissingPhotoForm
from stations.views.staff import add_service_errors, pk_param

from .. import permissions, privacy, services
from ..models import ArticlePhoto, Section
from ..rendering import (
    body_clean,
    body_to_lines,
    html_blocks,
    photo_number,
    plain,
    report_body_to_html,
)
from .common import error_text, newsletter_staff


def _back_to(article_or_issue_pk, article_pk=None):
    url = reverse("newsletter_staff:issue", args=[article_or_issue_pk])
    return redirect(f"{url}#article-{article_pk}" if article_pk else url)


@newsletter_staff
@require_http_methods(["GET", "POST"])
def article_new(request, pk):
    issue = permissions.get_issue_for_user(request.user, pk, write=True)
    if issue.is_published:
        messages.error(request, _("这一期已经发布，不能再添加文章。"))
        return redirect("newsletter_staff:issue", issue.pk)
    data = request.POST if request.method == "POST" else None
    initial = {}
    section_pk = pk_param(request.GET.get("section", ""))
    if section_pk:
        initial["section"] = section_pk
    form = ArticleForm(data, issue=issue, with_section=True, initial=initial)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            article = services.article_create(
                issue=issue,
                section=d["section"],
                by=request.user,
                title=d["title"],
                subtitle=d["subtitle"],
                body=d["body"],
                county=d["county"],
                station=d["station"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("文章已添加。"))
            return _back_to(issue.pk, article.pk)
    return render(
        request,
        "newsletter/staff/article_form.html",
        {"form": form, "issue": issue, "article": None},
    )


def _photo_rows(article):
    """The article's photos and its report's photos not in it: what the photo
    table of the edit page lists."""
    photos = list(
        ArticlePhoto.objects.filter(article=article)
        .select_related("report_photo")
        .order_by("position", "pk")
    )
    unused = []
    if article.source_report_id:
        used = {p.report_photo_id for p in photos}
        unused = [
            p
            for p in article.source_report.photos.order_by("position", "pk")
            if p.pk not in used
        ]
    return photos, unused


# How much of the text around a missing picture its row quotes.
CONTEXT_CHARS = 40


def _missing_rows(article, photos):
    """The pictures a past issue's file named but did not hold, each with the
    end of the text before it and the start of the text after it, so the
    editor knows which picture of the paper belongs there."""
    missing = {p.position: p for p in photos if p.is_missing}
    if not missing:
        return []
    blocks = [plain(inner).strip() for _tag, inner in html_blocks(article.body)]
    rows, placed = [], set()
    for i, text in enumerate(blocks):
        number = photo_number(text)
        if number not in missing or number in placed:
            continue
        placed.add(number)
        before = next((t for t in reversed(blocks[:i]) if photo_number(t) is None), "")
        after = next((t for t in blocks[i + 1 :] if photo_number(t) is None), "")
        rows.append(
            {
                "photo": missing[number],
                "before": before[-CONTEXT_CHARS:],
                "before_cut": len(before) > CONTEXT_CHARS,
                "after": after[:CONTEXT_CHARS],
                "after_cut": len(after) > CONTEXT_CHARS,
            }
        )
    # One whose line was taken out of the text stands after the last paragraph.
    rows += [
        {"photo": p, "before": "", "after": ""}
        for n, p in sorted(missing.items())
        if n not in placed
    ]
    return rows


def _posted_photos(request, photos, unused):
    """The editor's photo choice from the form, in the order given; raises
    ValidationError on an order that is not a number."""
    rows = []
    for n, photo in enumerate(photos):
        if request.POST.get(f"keep-{photo.pk}"):
            rows.append(_row(request, f"{photo.pk}", photo, n))
    for n, photo in enumerate(unused, start=len(photos)):
        if request.POST.get(f"add-{photo.pk}"):
            rows.append(_row(request, f"r{photo.pk}", photo, n))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


def _row(request, key, photo, n):
    raw = request.POST.get(f"order-{key}", "").strip()
    order = pk_param(raw) if raw else n + 1
    if order is None:
        raise ValidationError(_("照片顺序应填写正整数。"))
    caption = request.POST.get(f"caption-{key}", "").strip()[:200]
    return (order, n, services.PhotoChoice(photo=photo, caption=caption))


def _diff(article):
    """Line by line, what the editor changed from the report, as
    (kind, text) pairs: "same", "added", "removed"."""
    if not article.source_report_id:
        return []
    before = [f"标题：{article.source_title}"]
    if article.source_subtitle:
        before.append(f"副标题：{article.source_subtitle}")
    before += body_to_lines(report_body_to_html(article.source_body)).split("\n\n")
    after = [f"标题：{article.title}"]
    if article.subtitle:
        after.append(f"副标题：{article.subtitle}")
    after += body_to_lines(article.body).split("\n\n")
    out = []
    for line in difflib.ndiff(before, after):
        code, text = line[:2], line[2:]
        if code == "  ":
            out.append(("same", text))
        elif code == "+ ":
            out.append(("added", text))
        elif code == "- ":
            out.append(("removed", text))
    return out


@newsletter_staff
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    """Edit a draft's article, or correct a published one. A county reviewer
    reading a draft sees the same page without the form."""
    article = permissions.get_article_for_user(request.user, pk)
    issue = article.issue
    can_edit = permissions.can_edit_issue(request.user, issue)
    if request.method == "POST" and not can_edit:
        # Readers may look; writing is a 404 like any other out-of-scope write.
        permissions.get_article_for_user(request.user, pk, write=True)
    photos, unused = _photo_rows(article)
    initial = {
        "title": article.title,
        "subtitle": article.subtitle,
        "body": body_to_lines(article.body),
        "county": article.county_id,
        "station": article.station_id,
        "version": article.updated_at.isoformat(),
    }
    data = request.POST if request.method == "POST" else None
    form = ArticleForm(data, issue=issue, initial=initial)
    blocked = conflict = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            chosen = (
                _posted_photos(request, photos, unused)
                if request.POST.get("photos-form")
                else None
            )
            services.article_update(
                article=article,
                by=request.user,
                title=d["title"],
                subtitle=d["subtitle"],
                body=d["body"],
                county=d["county"],
                station=d["station"],
                photos=chosen,
                correction_reason=d.get("correction_reason", ""),
                override_reason=d.get("override_reason", ""),
                request=request,
                expected_updated_at=d.get("version"),
            )
        except services.ArticleEditConflict as exc:
            form.add_error(None, exc)
            conflict = _conflict(exc.current, d)
            # The next save is a deliberate one, made after seeing the other's
            # version: it is checked against that version.
            form.data = form.data.copy()
            form.data["version"] = exc.current.updated_at.isoformat()
        except services.PrivacyBlocked as exc:
            form.add_error(None, exc)
            blocked = {
                "hits": exc.hits,
                "places": privacy.places_with_hits(
                    article, exc.hits, list(article.photos.all())
                ),
            }
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if issue.is_published:
                messages.success(
                    request, _("更正已保存，公开页面会注明更正时间和理由。")
                )
            else:
                messages.success(request, _("文章已保存。"))
            return _back_to(issue.pk, article.pk)
    return render(
        request,
        "newsletter/staff/article_form.html",
        {
            "form": form,
            "issue": issue,
            "article": article,
            "photos": photos,
            "unused": unused,
            "diff": _diff(article),
            "missing": _missing_rows(article, photos) if can_edit else [],
            "missing_form": MissingPhotoForm(),
            "can_edit": can_edit,
            "blocked": blocked,
            "conflict": conflict,
        },
    )


def _lines(title, subtitle, body_lines):
    out = [f"标题：{title}"]
    if subtitle:
        out.append(f"副标题：{subtitle}")
    return out + [line for line in body_lines.split("\n\n") if line.strip()]


def _conflict(current, posted):
    """What the other editor saved, and line by line how it differs from what
    this editor tried to save ("theirs" removed, "yours" added)."""
    theirs = _lines(current.title, current.subtitle, body_to_lines(current.body))
    yours = _lines(
        posted["title"], posted["subtitle"], body_to_lines(body_clean(posted["body"]))
    )
    diff = []
    for line in difflib.ndiff(theirs, yours):
        code, text = line[:2], line[2:]
        kind = {"  ": "same", "+ ": "added", "- ": "removed"}.get(code)
        if kind:
            diff.append((kind, text))
    return {
        "at": current.updated_at,
        "title": current.title,
        "subtitle": current.subtitle,
        "lines": body_to_lines(current.body).split("\n\n"),
        "diff": diff,
    }


@newsletter_staff
@require_POST
def article_move(request, pk):
    article = permissions.get_article_for_user(request.user, pk, write=True)
    section_pk = pk_param(request.POST.get("section", "")) or article.section_id
    section = get_object_or_404(Section, pk=section_pk, issue=article.issue_id)
    position = pk_param(request.POST.get("position", ""))
    if position is None:
        messages.error(request, _("位置应为正整数。"))
        return _back_to(article.issue_id, article.pk)
    try:
        services.article_move(
            article=article, section=section, position=position, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("《%(t)s》已移到“%(s)s”第 %(n)d 篇。")
            % {"t": article.title, "s": section.title, "n": article.position},
        )
    return _back_to(article.issue_id, article.pk)


@newsletter_staff
@require_POST
def article_delete(request, pk):
    article = permissions.get_article_for_user(request.user, pk, write=True)
    issue_pk, title = article.issue_id, article.title
    try:
        services.article_delete(
            article=article,
            by=request.user,
            correction_reason=request.POST.get("correction_reason", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        if article.issue.is_published:
            return redirect("newsletter_staff:article_edit", article.pk)
    else:
        messages.success(request, _("已删除《%(t)s》。") % {"t": title})
    return _back_to(issue_pk)
