"""Fuzzing the beneficiary file, case note and beneficiary import forms: the
most sensitive data in the portal."""

from hypothesis import given
from hypothesis import strategies as st

from beneficiaries.models import Beneficiary, CaseNote
from tests.fuzz.formfuzz import (
    check_post,
    date_strings,
    fuzzed_data,
    hostile_files,
    text_values,
)
from tests.fuzz.pageforms import page_form


def test_fuzz_beneficiary_new(login, personas):
    client = login(personas.worker)
    url = "/staff/beneficiaries/new/"
    form = page_form(client, url)
    base = {"name": "示例·李四", "gender": "女", "birth_date": "2015-03-04"}

    @given(fuzzed_data(form, base=base))
    def run(data):
        check_post(client, url, data, watch=[Beneficiary])

    run()


def test_fuzz_beneficiary_edit(login, personas, file_a1):
    client = login(personas.worker)
    url = f"/staff/beneficiaries/{file_a1.pk}/edit/"
    form = page_form(client, url)

    def row():
        return Beneficiary.objects.filter(pk=file_a1.pk).values().get()

    @given(fuzzed_data(form, skip=["version"]))
    def run(data):
        check_post(client, url, data, state=row)

    run()


def test_fuzz_case_note(login, personas, case_a1):
    client = login(personas.worker)
    url = f"/staff/cases/{case_a1.pk}/notes/new/"

    @given(
        st.fixed_dictionaries(
            {
                "date": date_strings(),
                "text": text_values,
                "corrects": st.sampled_from(["", "999999", "x"]),
            }
        )
    )
    def run(data):
        check_post(client, url, data, watch=[CaseNote])

    run()


def test_fuzz_beneficiary_import(login, personas):
    client = login(personas.worker)
    url = "/staff/beneficiaries/import/"
    form = page_form(client, url)

    @given(fuzzed_data(form, files=hostile_files))
    def run(data):
        check_post(client, url, data, watch=[Beneficiary])

    run()
