"""Two members of a station editing the same draft report:
the second save of a form opened before the first save is refused, and the
message leads to the report as it is now."""

from django.test import Client

from tests.activities.test_report_edit_view import _edit_data


def _version(client, url) -> str:
    page = client.get(url).content.decode()
    return page.split('name="version" value="', 1)[1].split('"', 1)[0]


def test_stale_report_form_is_refused(personas, draft):
    url = f"/staff/reports/{draft.pk}/edit/"
    worker, head = Client(), Client()
    worker.force_login(personas.worker)
    head.force_login(personas.head)
    v_worker, v_head = _version(worker, url), _version(head, url)
    assert v_worker == v_head != ""

    response = head.post(
        url, _edit_data(draft, body="站长改过的正文。", version=v_head)
    )
    assert response.status_code == 302

    response = worker.post(
        url,
        _edit_data(draft, body="社工的正文。", title="社工的标题", version=v_worker),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已被其他人修改并保存" in page
    assert f'href="/staff/reports/{draft.pk}/"' in page
    assert "社工的正文。" in page  # the worker's text stays in the form
    draft.refresh_from_db()
    assert draft.body == "站长改过的正文。"
    assert draft.title != "社工的标题"

    # Reopened, the form carries the new version and saves.
    response = worker.post(
        url,
        _edit_data(draft, body="合并后的正文。", version=_version(worker, url)),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "合并后的正文。"


def test_garbage_version_is_a_message(login, personas, draft):
    client = login(personas.worker)
    url = f"/staff/reports/{draft.pk}/edit/"
    response = client.post(url, _edit_data(draft, title="不该保存", version="<script>"))
    assert response.status_code == 200
    assert "页面已过期" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title != "不该保存"
