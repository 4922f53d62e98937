"""The signed-in header, kept once per process and language with the user's
own parts put in per page (portal/templatetags/chrome.py), is the header its
template renders for that user, and its logout form carries a CSRF token the
site accepts."""

import re

import pytest
from django.middleware.csrf import get_token
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from core.models import Event
from core.notifications import notify

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _both(user):
    request = RequestFactory().get("/staff/")
    request.user = user
    get_token(request)
    kept = Template("{% load chrome %}{% site_header %}").render(
        RequestContext(request, {"user": user})
    )
    rendered = render_to_string(
        "portal/_site_header.html", {"user": user}, request=request
    )
    return kept, rendered


def _without_token(html):
    # A CSRF token is masked afresh each time it is asked for.
    assert len(TOKEN.findall(html)) == 1
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("unread", [0, 12])
def test_the_kept_header_is_the_rendered_one(personas, language, unread):
    user = personas.worker
    for i in range(unread):
        notify(Event.APPROVED, [user], f"已通过{i}", "/staff/")
    with translation.override(language):
        kept, rendered = _both(user)
    assert _without_token(kept) == _without_token(rendered)
    assert f'data-offline-user="{user.pk}"' in kept
    assert ('<span class="nav-count">12<' in kept) == bool(unread)
    assert "\x1f" not in kept


def test_two_users_get_their_own_header(personas):
    kept_worker, _ = _both(personas.worker)
    kept_reviewer, _ = _both(personas.reviewer)
    assert f'data-offline-user="{personas.worker.pk}"' in kept_worker
    assert f'data-offline-user="{personas.reviewer.pk}"' in kept_reviewer


def test_the_logout_form_of_a_staff_page_logs_out(login, personas):
    client = login(personas.worker)
    client.handler.enforce_csrf_checks = True
    page = client.get("/staff/").content.decode()
    token = TOKEN.search(page.split("</header>")[0]).group(1)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 302
