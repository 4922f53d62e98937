"""Password change and reset under the login's lock-out limits
(portal/accounts.py): a wrong old password is a failed login of that user in
axes' records; reset requests and reset links are counted per e-mail and per
address. The limit and period are axes' own settings, read here, not repeated."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import factories

PASSWORD = "yunfu-demo-2023"
NEW_PASSWORD = "a-new-long-passphrase-77"
WRONG = "not-my-password-9"
HERE = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def _user(username, email=""):
    user = factories.UserFactory(username=username, email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def alice(db):
    return _user("alice", "alice@example.org")


@pytest.fixture
def bob(db):
    return _user("bob", "bob@example.org")


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def cool_off(settings):
    return settings.AXES_COOLOFF_TIME


def _client(ip=HERE) -> Client:
    return Client(REMOTE_ADDR=ip)


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _signed_in(username, ip=HERE) -> Client:
    client = _client(ip)
    assert _login(client, username).status_code == 302
    return client


def _change(client, old, new=NEW_PASSWORD):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def _is_signed_in(client) -> bool:
    return client.get(reverse("staff:home")).status_code == 200


def _attempt(username, ip=HERE):
    return AccessAttempt.objects.filter(username=username, ip_address=ip).first()


def _age_attempts(by):
    AccessAttempt.objects.update(attempt_time=timezone.now() - by)


# --- Password change ----------------------------------------------------------------


def test_wrong_old_passwords_up_to_the_limit_sign_out_and_lock(alice, limit):
    client = _signed_in("alice")
    for _ in range(limit - 1):
        response = _change(client, WRONG)
        assert response.status_code == 200
        assert "密码没有修改" in response.content.decode()
        assert _is_signed_in(client)

    response = _change(client, WRONG)

    # The login's lock-out page, and the session is over.
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已被暂时锁定" in page
    assert f"{limit} 次" in page
    assert not _is_signed_in(client)
    # Locked as failed logins lock: the right password is refused from here.
    response = _login(_client(), "alice")
    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_lock_is_axes_own_record(alice, limit):
    client = _signed_in("alice")
    for _ in range(limit):
        _change(client, WRONG)

    attempt = _attempt("alice")
    assert attempt is not None
    assert attempt.failures_since_start == limit
    failures = AccessFailureLog.objects.filter(username="alice", ip_address=HERE)
    assert failures.count() == limit
    assert {f.path_info for f in failures} == {reverse("password_change")}
    assert failures.filter(locked_out=True).count() == 1
    # And it is listed in the admin's lock-out section, where it can be lifted.
    admin = Client()
    admin.force_login(
        factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    )
    page = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "alice" in page.content.decode()


def test_wrong_old_passwords_and_failed_logins_count_together(alice, limit):
    client = _signed_in("alice")
    # Someone at the same address tries alice's password at the login page.
    for _ in range(limit - 2):
        assert _login(_client(), "alice", WRONG).status_code == 200
    assert _change(client, WRONG).status_code == 200
    assert _change(client, WRONG).status_code == 429
    assert not _is_signed_in(client)


def test_one_wrong_old_password_short_of_the_limit_then_the_right_one(alice, limit):
    client = _signed_in("alice")
    for _ in range(limit - 1):
        _change(client, WRONG)

    response = _change(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert _is_signed_in(client)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # Cleared as a successful login clears it.
    assert _attempt("alice") is None


def test_failures_older_than_the_cool_off_no_longer_count(alice, limit, cool_off):
    client = _signed_in("alice")
    for _ in range(limit - 1):
        _change(client, WRONG)
    _age_attempts(cool_off + timedelta(minutes=1))

    assert _change(client, WRONG).status_code == 200

    assert _is_signed_in(client)
    assert _attempt("alice").failures_since_start == 1


def test_failures_within_the_cool_off_still_count(alice, limit, cool_off):
    client = _signed_in("alice")
    for _ in range(limit - 1):
        _change(client, WRONG)
    _age_attempts(cool_off - timedelta(minutes=1))

    assert _change(client, WRONG).status_code == 429

    assert not _is_signed_in(client)


def test_the_lock_ends_with_the_cool_off(alice, limit, cool_off):
    client = _signed_in("alice")
    for _ in range(limit):
        _change(client, WRONG)
    assert _login(_client(), "alice").status_code == 429
    _age_attempts(cool_off + timedelta(minutes=1))

    assert _login(_client(), "alice").status_code == 302


def test_another_user_is_not_affected(alice, bob, limit):
    alice_client = _signed_in("alice")
    bob_client = _signed_in("bob")  # the same office, the same address
    for _ in range(limit):
        _change(alice_client, WRONG)

    assert not _is_signed_in(alice_client)
    assert _is_signed_in(bob_client)
    assert _attempt("bob") is None
    assert _login(_client(), "bob").status_code == 302
    # Nor is alice from another address.
    assert _login(_client(ELSEWHERE), "alice").status_code == 302


def test_a_successful_change_keeps_other_counters(alice, bob, limit):
    for _ in range(limit - 1):
        _login(_client(), "bob", WRONG)
        _login(_client(ELSEWHERE), "alice", WRONG)
    client = _signed_in("alice")

    assert _change(client, PASSWORD).status_code == 302

    # Bob's failures at this address, and whoever is guessing alice's password
    # from another, keep counting.
    assert _attempt("bob").failures_since_start == limit - 1
    assert _attempt("alice", ELSEWHERE).failures_since_start == limit - 1


def test_a_user_locked_out_meanwhile_is_signed_out_at_the_form(alice, limit):
    client = _signed_in("alice")
    for _ in range(limit):
        _login(_client(), "alice", WRONG)

    response = _change(client, PASSWORD)

    assert response.status_code == 429
    assert "登录已被暂时锁定" in response.content.decode()
    assert not _is_signed_in(client)
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_refused_new_password_is_no_failure(alice, limit):
    client = _signed_in("alice")
    for _ in range(limit + 1):
        response = _change(client, PASSWORD, new="short")
        assert response.status_code == 200
    assert _is_signed_in(client)
    assert _attempt("alice") is None


# --- Password reset: the request -------------------------------------------------------


def _ask_reset(email, ip=HERE):
    return _client(ip).post(reverse("password_reset"), {"email": email})


def test_reset_requests_are_limited_per_email(alice, limit):
    # Each from another address: only the e-mail is the same.
    for n in range(limit):
        response = _ask_reset("alice@example.org", ip=f"10.0.1.{n}")
        assert response.status_code == 302
    assert len(mail.outbox) == limit

    response = _ask_reset("ALICE@example.org", ip="10.0.1.99")

    assert response.status_code == 429
    page = response.content.decode()
    assert "重设密码的操作过于频繁" in page
    assert "30 分钟" in page
    assert len(mail.outbox) == limit


def test_reset_requests_are_limited_per_address(alice, bob, limit):
    for n in range(limit):
        assert _ask_reset(f"nobody{n}@example.org").status_code == 302

    # Refused for a registered address too, and for an unknown one alike: the
    # answer says nothing about which addresses have an account.
    assert _ask_reset("bob@example.org").status_code == 429
    assert _ask_reset("nobody-else@example.org").status_code == 429
    assert mail.outbox == []
    # Another address is not concerned.
    assert _ask_reset("bob@example.org", ip=ELSEWHERE).status_code == 302
    assert len(mail.outbox) == 1


def test_reset_requests_are_accepted_again_after_the_cool_off(
    alice, limit, cool_off, monkeypatch
):
    for _ in range(limit):
        _ask_reset("alice@example.org")
    assert _ask_reset("alice@example.org").status_code == 429
    later = time.time() + cool_off.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)

    assert _ask_reset("alice@example.org").status_code == 302


def test_a_malformed_email_is_refused_without_counting(db, limit):
    for _ in range(limit + 1):
        response = _ask_reset("not an address")
        assert response.status_code == 200
        assert "请按下面的提示更正" in response.content.decode()
    assert _ask_reset("alice@example.org").status_code == 302


# --- Password reset: the link and the set-new-password form ----------------------------


def _link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


def _bad_link(n=0) -> str:
    return reverse("password_reset_confirm", args=["MQ", f"bad-token-{n}"])


def test_bad_reset_links_are_limited_per_address(alice, limit):
    client = _client()
    for n in range(limit):
        response = client.get(_bad_link(n))
        assert response.status_code == 200
        assert "这个重设链接无效" in response.content.decode()

    # Then even a valid link is refused from this address for the period.
    response = client.get(_link(alice))
    assert response.status_code == 429
    assert "重设密码的操作过于频繁" in response.content.decode()
    response = client.post(
        _bad_link(), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 429
    # From another address the valid link still works.
    other = _client(ELSEWHERE)
    response = other.get(_link(alice))
    assert response.status_code == 302
    response = other.post(
        response["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_the_form_address_without_a_link_is_not_counted(alice, limit):
    # Where Django moves a checked link: no token in the address, nothing guessed.
    client = _client()
    url = reverse("password_reset_confirm", args=["MQ", "set-password"])
    for _ in range(limit + 1):
        assert client.get(url).status_code == 200
    assert client.get(_link(alice)).status_code == 302


def test_refused_new_passwords_on_a_valid_link_are_not_counted(alice, limit):
    client = _client()
    form_url = client.get(_link(alice))["Location"]
    for _ in range(limit + 1):
        response = client.post(
            form_url, {"new_password1": "short", "new_password2": "short"}
        )
        assert response.status_code == 200
        assert "密码没有修改" in response.content.decode()

    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_the_admin_password_change_page_sends_to_the_counted_one(db):
    admin = Client()
    admin.force_login(
        factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    )
    response = admin.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
