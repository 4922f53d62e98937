"""Accounts: lock-out after repeated failures, password
rules, the idle timeout, and sessions that end when the password changes or the
account is disabled."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from portal.middleware import IdleSessionMiddleware
from tests import factories

PASSWORD = "yunfu-demo-2023"


@pytest.fixture
def alice(db):
    user = factories.UserFactory(username="alice")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _signed_in(client) -> bool:
    return client.get(reverse("staff:home")).status_code == 200


# --- Lock-out ---------------------------------------------------------------------


def test_login_with_the_right_password_works(client, alice):
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_five_failures_lock_the_username_from_that_address(client, alice):
    for _ in range(4):
        response = _login(client, "alice", "wrong-password-x")
        assert response.status_code == 200  # the form again, with its error
    response = _login(client, "alice", "wrong-password-x")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已被暂时锁定" in page
    assert "30 分钟" in page
    # Locked: even the right password is refused now, and nobody is signed in.
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    # Axes keeps its own log of the failures (admin: Axes).
    assert AccessAttempt.objects.filter(username="alice").exists()
    assert AccessFailureLog.objects.filter(username="alice").count() >= 5


def test_lock_out_is_per_username_and_address(client, alice):
    bob = factories.UserFactory(username="bob")
    bob.set_password(PASSWORD)
    bob.save()
    for _ in range(5):
        _login(client, "alice", "wrong-password-x")
    # Another user from the same address, and alice from another address, still
    # get in: one careless user does not lock out a whole station's office.
    assert _login(Client(), "bob", PASSWORD).status_code == 302
    assert _login(Client(), "alice", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_lock_out_for_good_says_no_time(client, alice, settings):
    # AXES_COOLOFF_TIME = None: locked until an administrator lifts it. The page
    # gives no time to wait rather than failing on the missing period.
    settings.AXES_COOLOFF_TIME = None
    for _ in range(5):
        response = _login(client, "alice", "wrong-password-x")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已被暂时锁定" in page and "分钟后再试" not in page
    assert "管理员也可以提前解除锁定" in page


def test_lock_out_ends_after_the_cool_off(client, alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(5):
        _login(client, "alice", "wrong-password-x")
    assert _login(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="alice").update(
        attempt_time=timezone.now() - timedelta(minutes=31)
    )
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(client, alice):
    for _ in range(4):
        _login(client, "alice", "wrong-password-x")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _login(client, "alice", "wrong-password-x").status_code == 200
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_axes_is_the_first_authentication_backend(settings):
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5


# --- Password rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["short-pw1", "password1234", "123456789012345", "liangxiaoming-2024"],
    ids=["too-short", "common", "numeric", "like-the-username"],
)
def test_weak_passwords_are_refused(db, password):
    user = factories.UserFactory(username="liangxiaoming")
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, user=user)


def test_the_demo_password_is_acceptable(alice):
    password_validation.validate_password(PASSWORD, user=alice)


# --- The password-change page -----------------------------------------------------


def test_password_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_password_change_page_is_linked_from_the_staff_home(login, alice):
    page = login(alice).get(reverse("staff:home")).content.decode()
    assert reverse("password_change") in page


def test_changing_the_password_ends_the_other_sessions(alice):
    here, elsewhere = Client(), Client()
    assert _login(here, "alice", PASSWORD).status_code == 302
    assert _login(elsewhere, "alice", PASSWORD, ip="10.0.0.9").status_code == 302
    page = here.get(reverse("password_change"))
    assert page.status_code == 200
    assert "修改密码" in page.content.decode()
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-77",
            "new_password2": "a-new-long-passphrase-77",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "密码已修改" in here.get(response["Location"]).content.decode()
    assert _signed_in(here)  # the session it was changed from stays
    assert not _signed_in(elsewhere)  # every other one has ended


def test_a_weak_new_password_is_refused_with_a_message(login, alice):
    client = login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    assert response.status_code == 200
    assert "密码没有修改" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# --- Disabled accounts ------------------------------------------------------------


def test_disabling_an_account_ends_all_its_sessions(alice):
    first, second = Client(), Client()
    _login(first, "alice", PASSWORD)
    _login(second, "alice", PASSWORD, ip="10.0.0.9")
    assert _signed_in(first) and _signed_in(second)
    alice.is_active = False
    alice.save()
    assert not _signed_in(first)
    assert not _signed_in(second)
    # Enabling the account again does not bring the old sessions back.
    alice.is_active = True
    alice.save()
    assert not _signed_in(first)
    assert not _signed_in(second)


def test_a_disabled_account_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save()
    assert _login(client, "alice", PASSWORD).status_code == 200
    assert not _signed_in(client)


# --- Idle timeout -----------------------------------------------------------------


def _age_session(client, seconds):
    session = client.session
    session[IdleSessionMiddleware.SESSION_KEY] -= seconds
    session.save()


def test_an_idle_staff_session_is_signed_out(client, alice, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    _login(client, "alice", PASSWORD)
    assert _signed_in(client)
    _age_session(client, 31 * 60)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "自动退出" in page
    assert not _signed_in(client)


def test_an_active_session_stays_signed_in(client, alice, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    _login(client, "alice", PASSWORD)
    _age_session(client, 29 * 60)
    assert _signed_in(client)
    # That request stamped the session again: another 29 minutes are fine too.
    _age_session(client, 29 * 60)
    assert _signed_in(client)


def test_public_readers_get_no_session(client, db):
    client.get(reverse("home"))
    assert "sessionid" not in client.cookies


def test_an_overlong_username_is_refused_not_an_error(client, alice):
    # Found by tests/fuzz on PostgreSQL: axes stored the whole "username".
    for _ in range(6):
        response = _login(client, "a" * 5000, "wrong-password-x")
        assert response.status_code in (200, 429)
    assert AccessAttempt.objects.filter(username="a" * 150).exists()
    assert _login(Client(), "alice", PASSWORD).status_code == 302
