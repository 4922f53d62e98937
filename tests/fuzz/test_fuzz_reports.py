"""Fuzzing the report forms: filing, editing, review comments, photo uploads
and the Word upload."""

import pytest
from hypothesis import given

from activities.models import ActivityReport, ReportPhoto, ReportTransition
from tests.fuzz.formfuzz import (
    check_post,
    fuzzed_data,
    hostile_files,
)
from tests.fuzz.pageforms import first_option, page_form


def test_fuzz_report_new(login, personas):
    client = login(personas.worker)
    url = "/staff/reports/new/"
    form = page_form(client, url)
    base = {
        "title": "开展关爱活动",
        "start_date": "2023-02-01",
        "kind": first_option(form, "kind"),
        "body": "活动正文。",
    }

    @given(fuzzed_data(form, base=base))
    def run(data):
        check_post(client, url, data, watch=[ActivityReport])

    run()


def _row(pk):
    return lambda: ActivityReport.objects.filter(pk=pk).values().get()


def test_fuzz_report_edit(login, personas, draft):
    client = login(personas.worker)
    url = f"/staff/reports/{draft.pk}/edit/"
    form = page_form(client, url)

    @given(fuzzed_data(form, skip=["version"]))
    def run(data):
        # Each example edits the form as first shown: drop the version so an
        # accepted earlier example does not make every later one stale.
        data.pop("version", None)
        check_post(client, url, data, state=_row(draft.pk))

    run()


def test_fuzz_review_comments(login, personas, make_report, net):
    report = make_report(personas.worker, net.a1, status="submitted")
    client = login(personas.reviewer)
    url = f"/staff/reports/{report.pk}/comment/"

    from hypothesis import strategies as st

    from tests.fuzz.formfuzz import text_values

    @given(st.fixed_dictionaries({"comment": text_values}))
    def run(data):
        check_post(client, url, data, watch=[ReportTransition])

    run()


@pytest.fixture
def photo_client(login, personas):
    return login(personas.worker)


def test_fuzz_photo_upload_stores_only_reencoded_jpegs(photo_client, draft, settings):
    url = f"/staff/reports/{draft.pk}/photos/"

    from hypothesis import strategies as st

    from tests.fuzz.formfuzz import text_values

    @given(
        st.fixed_dictionaries(
            {
                "photos": hostile_files,
                "caption": text_values,
                "shows_people": st.sampled_from(["", "on"]),
                "consent": st.sampled_from(["", "on"]),
            }
        )
    )
    def run(data):
        before = ReportPhoto.objects.count()
        check_post(photo_client, url, data, watch=[ReportPhoto])
        # Nothing hostile gets through: every stored photo is a JPEG the
        # pipeline wrote itself (refused files store nothing at all).
        for photo in ReportPhoto.objects.all()[before:]:
            for f in (photo.thumb, photo.web, photo.print_image):
                with f.open("rb") as handle:
                    assert handle.read(3) == b"\xff\xd8\xff"

    run()
    media = settings.MEDIA_ROOT
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert all(p.suffix == ".jpg" for p in stored), stored


def test_fuzz_word_upload(login, personas):
    client = login(personas.worker)
    url = "/staff/reports/new/from-word/"
    form = page_form(client, url)
    base = {"kind": first_option(form, "kind")}

    @given(fuzzed_data(form, base=base, files=hostile_files))
    def run(data):
        check_post(client, url, data, watch=[ActivityReport, ReportPhoto])

    run()


def test_fuzz_report_import(login, personas):
    # The back-fill of past reports from a spreadsheet (county reviewers).
    client = login(personas.reviewer)
    url = "/staff/reports/import/"
    form = page_form(client, url)

    @given(fuzzed_data(form, files=hostile_files))
    def run(data):
        check_post(client, url, data, watch=[ActivityReport, ReportTransition])

    run()
