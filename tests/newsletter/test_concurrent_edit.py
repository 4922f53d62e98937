"""Two editors on one article: the second save is refused
with a message and the other's version shown, nothing is overwritten, and a
save made after seeing it goes through."""

from django.test import Client

from newsletter import services
from stations import services as station_services
from stations.models import Role
from tests import factories


def _second_editor(net):
    user = factories.UserFactory(username="erin2")
    station_services.role_assign(user=user, role=Role.CITY_EDITOR, unit=net.city_a)
    client = Client()
    client.force_login(user)
    return client


def _form(page_html: str) -> str:
    marker = 'name="version" value="'
    return page_html.split(marker, 1)[1].split('"', 1)[0]


def _data(article, version, **changes):
    data = {
        "title": article.title,
        "subtitle": article.subtitle,
        "body": "第一段。\n第二段。",
        "county": article.county_id or "",
        "station": article.station_id or "",
        "version": version,
    }
    data.update(changes)
    return data


def test_second_save_of_a_stale_form_is_refused(draft, login, personas, net):
    article = draft.articles.order_by("pk").first()
    url = f"/staff/issues/articles/{article.pk}/"
    first = login(personas.editor)
    second = _second_editor(net)
    # Both open the article.
    v1 = _form(first.get(url).content.decode())
    v2 = _form(second.get(url).content.decode())
    assert v1 == v2 != ""

    # The first saves.
    response = first.post(url, _data(article, v1, body="甲编辑改写的第一段。"))
    assert response.status_code == 302
    article.refresh_from_db()
    saved_body, saved_at = article.body, article.updated_at

    # The second saves the form opened before: refused, nothing overwritten.
    response = second.post(
        url, _data(article, v2, title="乙编辑的标题", body="乙编辑的第一段。")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有保存" in page
    assert "已被其他人修改并保存" in page
    # The other's version is shown, with the difference line by line.
    assert "其他人保存的版本" in page
    assert "甲编辑改写的第一段。" in page
    assert 'class="nl-diff-removed"' in page and 'class="nl-diff-added"' in page
    # The second editor's text is still in the form, not lost.
    assert "乙编辑的第一段。" in page
    article.refresh_from_db()
    assert (article.body, article.updated_at) == (saved_body, saved_at)
    assert article.title != "乙编辑的标题"

    # Having seen it, the second editor saves again: the form now carries the
    # version they were shown, so the deliberate save goes through.
    v3 = _form(page)
    assert v3 != v2
    response = second.post(
        url, _data(article, v3, title="乙编辑的标题", body="合并后的第一段。")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "乙编辑的标题"


def test_the_service_refuses_a_stale_version(draft, personas):
    import pytest

    article = draft.articles.order_by("pk").first()
    opened = article.updated_at
    services.article_update(
        article=article, by=personas.editor, title="先保存", body="一。"
    )
    with pytest.raises(services.ArticleEditConflict) as caught:
        services.article_update(
            article=article,
            by=personas.editor,
            title="后保存",
            body="二。",
            expected_updated_at=opened,
        )
    assert caught.value.current.title == "先保存"
    article.refresh_from_db()
    assert article.title == "先保存"


def test_a_tampered_version_is_a_message_not_an_error(draft, login, personas):
    article = draft.articles.order_by("pk").first()
    url = f"/staff/issues/articles/{article.pk}/"
    client = login(personas.editor)
    for bad in ("yesterday", "2023-13-45T99:00:00", "2023-02-01T10:00:00", "<b>x</b>"):
        response = client.post(url, _data(article, bad, title="不该保存"))
        assert response.status_code == 200
        assert "页面已过期，请重新打开再编辑" in response.content.decode()
    article.refresh_from_db()
    assert article.title != "不该保存"
