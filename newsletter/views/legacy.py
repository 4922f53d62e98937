"""The legacy import screen under /staff/issues/import/: upload a past issue,
see the preview of what would be imported (sections, titles, the county or
station matched, counts, loose pairings, what was not matched, warnings), then
confirm. Editors of a city with a publication and superusers only; anyone else
gets a 404, like the other staff newsletter pages. A scan (read by OCR, seconds
a page) is held and read by a background job (newsletter/jobs.py,
``scan_read_job``) whose page shows its progress and links to the preview
(``issue_import_preview``) when done; any other file is previewed at once. Under
/staff/issues/import/archive/, a .zip of many issues goes to a background job
too."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from core.jobs import job_start
from core.models import HeldUpload
from core.uploads import upload_drop, upload_hold, upload_peek, upload_take
from newsletter import permissions
from newsletter.forms.legacy import ArchiveUploadForm, ImportUploadForm
from newsletter.jobs import ARCHIVE_IMPORT, IMPORT_PURPOSE, SCAN_READ, held_params
from newsletter.legacy import scan_pages, source
from newsletter.services.legacy import already_imported, issue_import
from newsletter.views.common import editor_only
from stations.permissions import unit_path_of

# The screen's name for the upload it holds between preview and confirmation.
PURPOSE = IMPORT_PURPOSE
TEMPLATE = "newsletter/staff/legacy/import.html"
ARCHIVE_TEMPLATE = "newsletter/staff/legacy/archive.html"


def _publications(user):
    return permissions.publications_editable_by(user).filter(is_active=True)


def _params(data: dict) -> dict:
    """The form's numbers as the service takes them."""
    return {
        "year": data.get("year"),
        "number": data.get("number"),
        "running_number": data.get("running_number"),
        "issue_date": data.get("issue_date"),
    }


@editor_only
@require_http_methods(["GET", "POST"])
def issue_import_upload(request):
    publications = _publications(request.user)
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        publications=publications,
    )
    context = {"form": form, "has_publications": publications.exists()}
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    upload = form.cleaned_data["file"]
    publication = form.cleaned_data["publication"]
    data = b"".join(upload.chunks())
    params = _params(form.cleaned_data)
    # A scan imported already gets its preview (saying so) at once, with no OCR.
    if source.is_scan(data) and already_imported(publication, data) is None:
        # OCR takes seconds a page: a background job reads the pages while
        # its page shows how far it has come, then links to the preview.
        token = _hold(request, upload.name, data, publication, params)
        job = job_start(
            kind=SCAN_READ,
            by=request.user,
            title=_("识别扫描件：%(name)s") % {"name": upload.name},
            params={"token": token, "publication": publication.pk},
            input_name=upload.name,
            unit=unit_path_of(publication.city_id),
        )
        return redirect(job)
    try:
        result = issue_import(
            publication=publication,
            source=data,
            filename=upload.name,
            by=request.user,
            dry_run=True,
            **params,
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return render(request, TEMPLATE, context, status=400)
    context["result"] = result
    if result.is_scan and not result.skipped:
        context["scan_pages"] = _scan_pages(data, result)
    # Held until this editor confirms it, with what the form said; a scan also
    # for its pages' pictures beside the text read from them.
    if result.ok or (result.is_scan and not result.skipped):
        context["token"] = _hold(request, upload.name, data, publication, params)
    return render(request, TEMPLATE, context, status=200 if result.ok else 400)


def _hold(request, name: str, data: bytes, publication, params: dict) -> str:
    """Hold the upload for this editor with what the form said; its token."""
    return upload_hold(
        user=request.user,
        purpose=PURPOSE,
        name=name,
        data=data,
        meta={
            "publication": publication.pk,
            **{k: v for k, v in params.items() if k != "issue_date"},
            "issue_date": params["issue_date"].isoformat()
            if params["issue_date"]
            else None,
        },
    )


@editor_only
@require_GET
def issue_import_preview(request, token):
    """The preview of the upload ``token`` the editor holds, as the upload
    renders it, with the confirm form: where the scan job's result links.
    The job left the lines OCR read in the cache; if the cache has lost them
    (a restart, a day gone by, or another web process when the cache is each
    process's memory, without Redis), the dry run here reads the pages again
    while the editor waits: correct, only slower. Only the editor who
    uploaded it sees it (404 else)."""
    held = upload_peek(user=request.user, purpose=PURPOSE, token=token)
    if held is None:
        if HeldUpload.objects.filter(token=token).exists():
            raise Http404
        messages.error(
            request,
            _("这份上传已经确认导入，或已超过一天被删除。请重新上传文件。"),
        )
        return redirect("newsletter_staff:legacy_import")
    publications = _publications(request.user)
    publication = get_object_or_404(publications, pk=held.meta.get("publication"))
    data = bytes(held.data)
    try:
        result = issue_import(
            publication=publication,
            source=data,
            filename=held.name,
            by=request.user,
            dry_run=True,
            **held_params(held.meta),
        )
    except ValidationError as exc:
        upload_drop(user=request.user, purpose=PURPOSE, token=token)
        messages.error(
            request,
            _("没有导入：%(reason)s") % {"reason": " ".join(exc.messages)},
        )
        return redirect("newsletter_staff:legacy_import")
    context = {
        "form": ImportUploadForm(
            publications=publications, initial={"publication": publication}
        ),
        "has_publications": True,
        "result": result,
        "token": token if result.ok or (result.is_scan and not result.skipped) else "",
    }
    if result.is_scan and not result.skipped:
        context["scan_pages"] = _scan_pages(data, result)
    return render(request, TEMPLATE, context)


def _scan_pages(data: bytes, result) -> list[dict]:
    """Each page of a scan with the paragraphs read from it."""
    try:
        count = scan_pages.page_count(data)
    except ValidationError:
        count = 0
    pages = [{"number": n, "lines": []} for n in range(1, count + 1)]
    for line in result.scan_lines:
        if line.page and line.page <= count:
            pages[line.page - 1]["lines"].append(line)
    return pages


@editor_only
@require_GET
def issue_import_page(request, token, number):
    """Page ``number`` of the scan the editor is previewing, as a JPEG small
    enough for a phone. Only the editor who uploaded it sees it (404 else)."""
    held = upload_peek(user=request.user, purpose=PURPOSE, token=token)
    if held is None:
        raise Http404
    try:
        jpeg = scan_pages.preview_jpeg(bytes(held.data), number)
    except ValidationError as exc:
        raise Http404 from exc
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@editor_only
@require_POST
def issue_import_confirm(request):
    # A token confirms once, whatever happens next.
    held = upload_take(
        user=request.user, purpose=PURPOSE, token=request.POST.get("token", "")
    )
    if held is None:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("newsletter_staff:legacy_import")
    publication = get_object_or_404(
        _publications(request.user), pk=held.meta["publication"]
    )
    try:
        result = issue_import(
            publication=publication,
            source=bytes(held.data),
            filename=held.name,
            by=request.user,
            request=request,
            **held_params(held.meta),
        )
    except ValidationError as exc:
        messages.error(
            request,
            _("没有导入：%(reason)s") % {"reason": " ".join(exc.messages)},
        )
        return redirect("newsletter_staff:legacy_import")
    if result.skipped:
        messages.warning(request, result.summary())
    elif result.held_back:
        # Kept as a draft: the editor's next step is the gate's list.
        messages.warning(request, _("已导入为草稿。") + result.summary())
        return redirect("newsletter_staff:privacy", result.issue.pk)
    elif result.is_scan:
        messages.warning(
            request,
            _("已导入为草稿。")
            + result.summary()
            + _("文字由扫描件识别读出，请对照原件逐篇核对，改好后再发布。"),
        )
    else:
        messages.success(request, _("已导入。") + result.summary())
    return redirect(result.issue.get_absolute_url())


@editor_only
@require_http_methods(["GET", "POST"])
def archive_upload(request):
    """A .zip of past issues: checked and imported by a background job, one
    issue per file; the answer is the job's page with a result per file."""
    publications = _publications(request.user)
    form = ArchiveUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        publications=publications,
    )
    context = {"form": form, "has_publications": publications.exists()}
    if request.method == "GET":
        return render(request, ARCHIVE_TEMPLATE, context)
    if not form.is_valid():
        return render(request, ARCHIVE_TEMPLATE, context, status=400)
    publication = form.cleaned_data["publication"]
    dry_run = form.cleaned_data["dry_run"]
    upload = form.cleaned_data["file"]
    title = (
        _("检查往期简报压缩包：%(name)s")
        if dry_run
        else _("导入往期简报压缩包：%(name)s")
    ) % {"name": upload.name}
    job = job_start(
        kind=ARCHIVE_IMPORT,
        by=request.user,
        title=title,
        params={
            "publication": publication.pk,
            "dry_run": dry_run,
            "run_title": _("导入往期简报压缩包：%(name)s") % {"name": upload.name},
        },
        input_file=upload,
        unit=unit_path_of(publication.city_id),
    )
    return redirect(job)
