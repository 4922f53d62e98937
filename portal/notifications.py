"""The signed-in user's notifications (core/notifications/): the list, newest
first, with the unread marked; opening one (marks it read and goes to its
link); marking one or all read; and the choice of which events come by e-mail.
Every lookup is through ``request.user.notifications``: another user's
notification is a 404. Routes under /staff/notifications/."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.models import Event
from core.notifications import email_choices, email_choices_set, mark_read

from .templatetags.notifications import unread_notifications

PAGE_SIZE = 20

app_name = "notifications"


@login_required
@require_GET
def notification_list(request):
    notes = request.user.notifications.only(
        "pk", "recipient", "event", "title", "created_at", "read_at"
    )
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/notifications/list.html",
        {"page": page, "unread": unread_notifications(request.user)},
    )


@login_required
@require_GET
def notification_open(request, pk):
    """Mark the notification read and go to what it is about."""
    note = get_object_or_404(request.user.notifications, pk=pk)
    if note.read_at is None:
        mark_read(user=request.user, ids=[note.pk])
    target = note.path
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notifications_read(request):
    """Mark one notification read (``id``) or all of them."""
    back = reverse("notifications:list")
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"?page={page}"
    raw = request.POST.get("id")
    if raw is None:
        marked = mark_read(user=request.user)
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": marked})
        return redirect(back)
    if not raw.isdigit():
        messages.error(request, _("没有找到这条通知。"))
        return redirect(back)
    get_object_or_404(request.user.notifications, pk=int(raw))
    mark_read(user=request.user, ids=[int(raw)])
    return redirect(back)


class EmailChoicesForm(forms.Form):
    """One box per event: ticked, the event also comes by e-mail."""

    def __init__(self, *args, initial_choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for event in Event:
            self.fields[event.value] = forms.BooleanField(
                label=event.label,
                required=False,
                initial=initial_choices.get(event.value, True),
            )

    def enabled(self) -> set[str]:
        return {name for name, on in self.cleaned_data.items() if on}


EMAIL_HELP = gettext_lazy("站内通知总会显示；勾选的事件同时发送邮件到您账号的邮箱。")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    choices = email_choices(request.user)
    # An empty POST (every box cleared) is a choice too: bind it.
    data = request.POST if request.method == "POST" else None
    form = EmailChoicesForm(data, initial_choices=choices)
    if request.method == "POST" and form.is_valid():
        email_choices_set(user=request.user, enabled=form.enabled())
        messages.success(request, _("邮件通知设置已保存。"))
        return redirect("notifications:preferences")
    return render(
        request,
        "portal/notifications/preferences.html",
        {"form": form, "email": request.user.email, "help": EMAIL_HELP},
    )


urlpatterns = [
    path("", notification_list, name="list"),
    path("<int:pk>/", notification_open, name="open"),
    path("read/", notifications_read, name="read"),
    path("settings/", notification_preferences, name="preferences"),
]
