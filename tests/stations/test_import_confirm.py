"""Confirming an import: the token confirms once, only for its user and kind, and
a confirm that no longer holds writes nothing."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from core.models import HeldUpload
from stations.models import Village
from tests import factories
from tests.stations.import_helpers import (
    CONFIRM_FORM,
    TEMPLATE_HEADERS,
    confirm,
    counts,
    csv_file,
    good_rows,
    pending_files,
    row_errors,
    statuses,
    text,
    upload,
)


def _preview_villages(client):
    response = upload(
        client,
        "villages",
        csv_file(
            TEMPLATE_HEADERS["villages"], [["甲一区", "东镇", "东一村", "村", ""]]
        ),
    )
    assert response.status_code == 200, row_errors(response)
    return response.context["token"]


def _assert_expired(response, before):
    assert response.redirect_chain[-1][0] == "/staff/import/villages/"
    assert "导入已失效，请重新上传文件。" in text(response)
    assert counts() == before


def test_confirm_with_unknown_token_writes_nothing(login, personas, net):
    client = login(personas.editor)
    _preview_villages(client)
    before = counts()
    _assert_expired(confirm(client, "villages", "0" * 32), before)
    _assert_expired(confirm(client, "villages", ""), before)


def test_confirm_with_someone_elses_token_writes_nothing(login, personas, net):
    token = _preview_villages(login(personas.editor))
    intruder = Client()
    intruder.force_login(personas.superuser)
    before = counts()
    _assert_expired(confirm(intruder, "villages", token), before)


def test_confirm_after_the_held_upload_expired_writes_nothing(login, personas, net):
    client = login(personas.editor)
    token = _preview_villages(client)
    HeldUpload.objects.filter(token=token).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    before = counts()
    _assert_expired(confirm(client, "villages", token), before)


def test_token_confirms_once(login, personas, net):
    client = login(personas.editor)
    token = _preview_villages(client)
    confirm(client, "villages", token)
    assert Village.objects.filter(name="东一村").count() == 1
    before = counts()
    _assert_expired(confirm(client, "villages", token), before)
    assert pending_files() == []


def test_token_is_bound_to_its_kind(login, personas, net):
    client = login(personas.editor)
    token = _preview_villages(client)
    before = counts()
    response = confirm(client, "towns", token)
    assert "导入已失效" in text(response)
    assert counts() == before


def test_a_new_preview_replaces_the_older_pending_one(login, personas, net):
    client = login(personas.editor)
    first = _preview_villages(client)
    second = _preview_villages(client)
    assert pending_files() == [second]
    before = counts()
    _assert_expired(confirm(client, "villages", first), before)


def test_data_changed_between_preview_and_confirm_writes_nothing(login, personas, net):
    client = login(personas.editor)
    middle = factories.TownFactory(county=net.county_a1, name="中镇")
    rows = [
        ["甲一区", "东镇", "东一村", "村", ""],
        ["甲一区", "中镇", "中一村", "村", ""],
    ]
    response = upload(client, "villages", csv_file(TEMPLATE_HEADERS["villages"], rows))
    assert statuses(response) == ["new", "new"]
    middle.delete()  # someone removes 中镇 before the editor confirms
    before = counts()
    response = confirm(client, "villages", response.context["token"])
    assert response.status_code == 400
    assert "检查之后数据发生了变化" in text(response)
    assert "未知的镇（街道）：“中镇”" in text(response)
    assert "未导入任何数据" in text(response)
    assert CONFIRM_FORM not in text(response)
    assert counts() == before
    assert not Village.objects.filter(name="东一村").exists()


def test_scope_lost_between_preview_and_confirm_writes_nothing(login, personas, net):
    client = login(personas.reviewer)
    response = upload(client, "workers", csv_file(*good_rows("workers", net)[:2]))
    token = response.context["token"]
    personas.reviewer.role_assignments.all().delete()
    before = counts()
    assert confirm(client, "workers", token, follow=False).status_code == 403
    assert counts() == before
