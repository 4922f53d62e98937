"""Fuzzing the network forms (stations, workers), the spreadsheet import, the
statistics period and the figure check."""

from hypothesis import given
from hypothesis import strategies as st

from stations.models import County, SocialWorker, Station, Town
from tests.fuzz.formfuzz import (
    check_get,
    check_post,
    date_strings,
    fuzzed_data,
    hostile_files,
    text_values,
)
from tests.fuzz.pageforms import page_form


def test_fuzz_station_edit(login, personas, net):
    client = login(personas.editor)
    url = f"/staff/stations/{net.a1.pk}/edit/"
    form = page_form(client, url)

    def row():
        return Station.objects.filter(pk=net.a1.pk).values().get()

    @given(fuzzed_data(form))
    def run(data):
        check_post(client, url, data, state=row)

    run()


def test_fuzz_worker_new(login, personas, net):
    client = login(personas.editor)
    url = "/staff/workers/new/"
    form = page_form(client, url)

    @given(fuzzed_data(form, base={"real_name": "示例·王五"}))
    def run(data):
        check_post(client, url, data, watch=[SocialWorker])

    run()


def test_fuzz_network_import(login, personas, net):
    client = login(personas.editor)
    url = "/staff/import/stations/"
    form = page_form(client, url)

    @given(fuzzed_data(form, files=hostile_files))
    def run(data):
        check_post(client, url, data, watch=[Station, Town, County])

    run()


def test_fuzz_statistics_period(login, personas):
    client = login(personas.reviewer)

    @given(
        st.fixed_dictionaries(
            {
                "from": st.one_of(date_strings(), text_values),
                "to": st.one_of(date_strings(), text_values),
                "unit": text_values,
            }
        )
    )
    def run(params):
        check_get(client, "/staff/stats/", params)

    run()


def test_fuzz_figure_check(login, personas):
    client = login(personas.reviewer)

    @given(
        st.fixed_dictionaries(
            {"text": text_values, "report": st.sampled_from(["", "x", "-1", "999999"])}
        )
    )
    def run(data):
        check_post(client, "/staff/stats/figures/", data)

    run()
