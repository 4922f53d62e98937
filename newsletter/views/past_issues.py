"""Staff actions that complete an imported past issue: set its running number
(on the issue page), and replace or remove a picture its file named but did
not hold (on the article's edit page). Each answers with a message and a
redirect back. The issue or photo is fetched among those the user may change:
anyone else gets a 404, as for every other write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..forms.past_issues import MissingPhotoForm, RunningNumberForm
from ..models import ArticlePhoto
from .common import error_text, newsletter_staff


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _photo_for_editor(user, pk) -> ArticlePhoto:
    return get_object_or_404(
        ArticlePhoto.objects.select_related("article__issue__publication__city").filter(
            article__issue__in=permissions.issues_editable_by(user)
        ),
        pk=pk,
    )


def _back_to_article(photo):
    url = reverse("newsletter_staff:article_edit", args=[photo.article_id])
    return redirect(f"{url}#missing-photos")


@newsletter_staff
@require_POST
def issue_running_number(request, pk):
    issue = permissions.get_issue_for_user(request.user, pk, write=True)
    form = RunningNumberForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        number = form.cleaned_data["running_number"]
        try:
            services.issue_set_running_number(
                issue=issue, by=request.user, running_number=number, request=request
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("已设为总第%(r)s期。") % {"r": number}
                if number
                else _("已清除总期号。"),
            )
    url = reverse("newsletter_staff:issue", args=[issue.pk])
    return redirect(f"{url}#running-number")


@newsletter_staff
@require_POST
def missing_photo_replace(request, pk):
    photo = _photo_for_editor(request.user, pk)
    form = MissingPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_article(photo)
    data = form.cleaned_data
    try:
        services.missing_photo_replace(
            photo=photo,
            by=request.user,
            file=data["photo"],
            caption=data["caption"],
            shows_people=data["shows_people"],
            consent=data["consent"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(
            request,
            _("图片没有换上：%(reason)s") % {"reason": error_text(exc)},
        )
    else:
        messages.success(
            request,
            _("已在照片%(n)d的位置换上新图片。") % {"n": photo.position},
        )
    return _back_to_article(photo)


@newsletter_staff
@require_POST
def missing_photo_remove(request, pk):
    photo = _photo_for_editor(request.user, pk)
    try:
        services.missing_photo_remove(photo=photo, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("已删除照片%(n)d的位置标记，前后文字已经接上；后面的照片依次前移。")
            % {"n": photo.position},
        )
    return _back_to_article(photo)
