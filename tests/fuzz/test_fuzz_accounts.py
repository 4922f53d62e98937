"""Fuzzing the login and password-change forms."""

from axes.models import AccessAttempt
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.formfuzz import check_post, text_values


def test_fuzz_login(client, db, settings):
    # Many failures in a row from one address: lock-out is part of the answer.
    @given(st.fixed_dictionaries({"username": text_values, "password": text_values}))
    def run(data):
        response, _page = check_post(client, "/accounts/login/", data)
        assert response.status_code in (200, 429)

    run()


def test_fuzz_password_change(login, personas):
    client = login(personas.worker)
    before = personas.worker.password

    @given(
        st.fixed_dictionaries(
            {
                "old_password": text_values,
                "new_password1": text_values,
                "new_password2": text_values,
            }
        )
    )
    def run(data):
        # Each wrong old password is a failed login, and five end the session
        # (tests/portal/test_password_throttle.py): each example starts signed
        # in with no failures, so every one reaches the form itself.
        AccessAttempt.objects.all().delete()
        client.force_login(personas.worker)
        response, _page = check_post(client, "/accounts/password_change/", data)
        assert response.status_code == 200
        personas.worker.refresh_from_db()
        # No fuzzed old password is the real one: nothing may change.
        assert personas.worker.password == before

    run()
