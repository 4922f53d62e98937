"""Fuzzing forms posted in another charset than UTF-8: the login, a staff form
and the public search, each posted in GBK, GB18030, Big5, Latin-1 ... or
labelled with a charset no form can be read in, with DEBUG on and off.

A known charset reaches the page as the same text (the login shows the
username typed, the staff form saves the name typed); an unknown one gets the
400 page in Chinese and changes nothing (formfuzz.check_post_in_charset)."""

from axes.models import AccessAttempt
from django.test import override_settings
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from stations.models import Station
from tests.fuzz.formfuzz import (
    KNOWN_CHARSETS,
    UNKNOWN_CHARSETS,
    XSS,
    check_post_in_charset,
    csrf_client,
    text_in,
)
from tests.fuzz.pageforms import page_form, valid_data

charsets = st.sampled_from(KNOWN_CHARSETS + UNKNOWN_CHARSETS)


def _written_in(charset: str) -> str:
    # An unknown charset's body is written in GBK (check_post_in_charset).
    return charset if charset in KNOWN_CHARSETS else "gbk"


def test_fuzz_login_in_charsets(db):
    client, token = csrf_client()

    @given(st.data())
    def run(data):
        charset = data.draw(charsets, label="charset")
        username = data.draw(
            st.one_of(text_in(_written_in(charset), min_size=1), st.sampled_from(XSS)),
            label="username",
        )
        with_token = data.draw(st.booleans(), label="with_token")
        debug = data.draw(st.booleans(), label="debug")
        # The lock-out is not what is fuzzed here (test_fuzz_accounts.py).
        AccessAttempt.objects.all().delete()
        form = {"username": username, "password": "not-the-password"}
        if with_token:
            form["csrfmiddlewaretoken"] = token
        with override_settings(DEBUG=debug):
            response, html = check_post_in_charset(
                client,
                "/accounts/login/",
                form,
                charset,
                expect=(200,) if with_token else (403,),
            )
        if charset in KNOWN_CHARSETS and with_token:
            # The form is shown again with the username as it was typed.
            assert f'value="{escape(username)}"' in html

    run()


def test_fuzz_staff_form_in_charsets(login, personas, net):
    client = login(personas.editor)
    url = f"/staff/stations/{net.a1.pk}/edit/"
    shown = valid_data(page_form(client, url))

    def row():
        return Station.objects.filter(pk=net.a1.pk).values().get()

    @given(st.data())
    def run(data):
        charset = data.draw(charsets, label="charset")
        # Letters only: a name the form keeps exactly as typed.
        name = data.draw(
            text_in(_written_in(charset), min_size=2, ascii_=False), label="name"
        )
        debug = data.draw(st.booleans(), label="debug")
        with override_settings(DEBUG=debug):
            response, _html = check_post_in_charset(
                client,
                url,
                {**shown, "name": name},
                charset,
                expect=(302,),
                state=row,
            )
        if charset in KNOWN_CHARSETS:
            assert Station.objects.get(pk=net.a1.pk).name == name

    run()


def test_fuzz_public_search_in_charsets(db):
    client, token = csrf_client()

    @given(st.data())
    def run(data):
        charset = data.draw(charsets, label="charset")
        terms = data.draw(
            st.one_of(text_in(_written_in(charset)), st.sampled_from(XSS)),
            label="q",
        )
        with_token = data.draw(st.booleans(), label="with_token")
        debug = data.draw(st.booleans(), label="debug")
        form = {"q": terms, "county": "", "year": ""}
        if with_token:
            form["csrfmiddlewaretoken"] = token
        with override_settings(DEBUG=debug):
            # The search is a GET form: a POST that passes the CSRF check is
            # refused by the view (405); one without a token by the check (403).
            check_post_in_charset(
                client,
                "/search/",
                form,
                charset,
                expect=(405,) if with_token else (403,),
            )

    run()
