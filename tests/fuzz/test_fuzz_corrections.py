"""Fuzzing the correction of a published issue: whatever the reason and the
editor's note, a clear answer and no server error. A reason under four
characters once raised ValueError (the service named a field the form does not
have)."""

import pytest
from hypothesis import given

from newsletter import services
from newsletter.models import Issue, IssueCorrection
from tests.fuzz.formfuzz import check_post, fuzzed_data
from tests.fuzz.pageforms import page_form


@pytest.fixture
def published(three_levels, assemble, personas):
    issue = assemble()
    return services.issue_publish(issue=issue, by=personas.editor)


@pytest.mark.parametrize("reason", ["", " ", "abc", "改错", "错 字"])
def test_a_short_reason_is_a_message_on_the_form(login, personas, published, reason):
    client = login(personas.editor)
    response = client.post(
        f"/staff/issues/{published.pk}/correct/",
        {"editor_note": "本期更正。", "reason": reason},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "更正理由" in html and 'class="errorlist' in html
    published.refresh_from_db()
    assert published.editor_note == "" and not IssueCorrection.objects.exists()


def test_fuzz_issue_correct(login, personas, published):
    client = login(personas.editor)
    url = f"/staff/issues/{published.pk}/correct/"
    form = page_form(client, url)

    def row():
        return Issue.objects.filter(pk=published.pk).values().get()

    @given(fuzzed_data(form))
    def run(data):
        check_post(client, url, data, state=row, watch=[IssueCorrection])

    run()
