"""The notifications pages (/staff/notifications/) and the header's unread count:
a user sees and changes only their own notifications; the list's queries do not
grow with its rows; the count costs no query; public pages do not change."""

import pytest
from django.test import Client

from core.models import EmailPreference, Event, Notification
from core.notifications import notify

LIST = "/staff/notifications/"
READ = "/staff/notifications/read/"
SETTINGS = "/staff/notifications/settings/"


def tell(user, n=1, title="已通过：《开展敬老活动》", path="/staff/reports/1/"):
    notes = []
    for i in range(n):
        notes += notify(Event.APPROVED, [user], f"{title}{i}", path)
    return notes


@pytest.mark.parametrize(
    "url", [LIST, READ, SETTINGS, "/staff/notifications/1/"], ids=str
)
def test_anonymous_goes_to_the_login(client, db, url):
    response = client.post(url) if url == READ else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_sees_only_their_own(login, personas):
    tell(personas.worker, title="给社工的通知")
    tell(personas.reviewer, title="给审核员的通知")
    page = login(personas.worker).get(LIST).content.decode()
    assert "给社工的通知" in page and "给审核员的通知" not in page
    assert "未读" in page and "全部标为已读" in page


def test_newest_first_and_paginated(login, personas):
    tell(personas.worker, n=25, title="通知")
    client = login(personas.worker)
    page = client.get(LIST).content.decode()
    assert page.index("通知24") < page.index("通知23")
    assert "通知4<" not in page  # on page 2
    assert "通知4<" in client.get(LIST + "?page=2").content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_list_queries_do_not_grow(login, personas, django_assert_num_queries, rows):
    tell(personas.worker, n=rows)
    client = login(personas.worker)
    client.get(LIST)  # the first request after a login does its own upkeep
    # The session, the user (with the header's unread count in the same
    # query), the page's count and its rows.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.status_code == 200


def test_opening_one_marks_it_read_and_follows_its_link(login, personas):
    [note] = tell(personas.worker, path="/staff/reports/7/")
    response = login(personas.worker).get(f"/staff/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/staff/reports/7/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_off_the_site_is_not_followed(login, personas):
    [note] = tell(personas.worker, path="//evil.example/x")
    response = login(personas.worker).get(f"/staff/notifications/{note.pk}/")
    assert response["Location"] == LIST


def test_another_users_notification_is_a_404(login, personas):
    [note] = tell(personas.reviewer)
    client = login(personas.worker)
    assert client.get(f"/staff/notifications/{note.pk}/").status_code == 404
    assert client.post(READ, {"id": note.pk}).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_one_then_all_read(login, personas):
    first, second, third = tell(personas.worker, n=3)
    [others] = tell(personas.reviewer)
    client = login(personas.worker)
    response = client.post(READ, {"id": first.pk, "page": "1"})
    assert response.status_code == 302 and response["Location"] == LIST + "?page=1"
    unread = Notification.objects.filter(read_at__isnull=True)
    assert set(unread) == {second, third, others}
    client.post(READ)
    assert set(unread.all()) == {others}


def test_bad_id_changes_nothing(login, personas):
    tell(personas.worker)
    response = login(personas.worker).post(READ, {"id": "abc"}, follow=True)
    assert "没有找到这条通知" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_read_is_post_only(login, personas):
    assert login(personas.worker).get(READ).status_code == 405


def test_email_choices(login, personas):
    client = login(personas.worker)
    page = client.get(SETTINGS).content.decode()
    assert "还没有邮箱地址" in page
    # All on by default.
    assert page.count("checked") == len(Event.values)
    response = client.post(SETTINGS, {"approved": "on", "published": "on"})
    assert response.status_code == 302
    chosen = dict(
        EmailPreference.objects.filter(user=personas.worker).values_list(
            "event", "enabled"
        )
    )
    assert chosen == {e: e in ("approved", "published") for e in Event.values}
    # Every box cleared is a choice too.
    client.post(SETTINGS, {})
    assert not EmailPreference.objects.filter(enabled=True).exists()


def test_header_shows_the_unread_count_without_a_query(
    login, personas, django_assert_num_queries
):
    client = login(personas.worker)
    client.get(SETTINGS)  # the first request after a login does its own upkeep
    # The session, the user (and the count with it), the page's choices.
    with django_assert_num_queries(3):
        page = client.get(SETTINGS).content.decode()
    assert 'class="nav-count"' not in page
    tell(personas.worker, n=3)
    with django_assert_num_queries(3):
        page = client.get(SETTINGS).content.decode()
    assert '<span class="nav-count">3<' in page
    client.post(READ)
    assert 'class="nav-count"' not in client.get(SETTINGS).content.decode()


def test_public_pages_unchanged_for_anonymous_readers(personas, login):
    tell(personas.worker, n=2)
    anonymous = Client().get("/stations/").content.decode()
    assert "/staff/notifications/" not in anonymous and "nav-count" not in anonymous
    signed_in = login(personas.worker).get("/stations/").content.decode()
    assert "/staff/notifications/" in signed_in


def test_a_session_begun_under_the_plain_backend_still_shows_the_count(
    client, personas
):
    tell(personas.worker, n=2)
    client.force_login(
        personas.worker, backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(LIST).content.decode()
    assert '<span class="nav-count">2<' in page and "2 条未读" in page
