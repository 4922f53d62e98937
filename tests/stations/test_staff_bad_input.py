"""Bad input on the staff pages never causes a 500: odd query strings and empty
posts get the page or the form back."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/staff/workers/?station=²",
        "/staff/workers/?station=99999999999999999999999",
        "/staff/workers/?station=-1",
        "/staff/workers/?page=abc",
        "/staff/workers/?page=-1",
        "/staff/workers/?q=%00",
        "/staff/workers/new/?station=²",
        "/staff/workers/new/?station=99999999999999999999999",
        "/staff/stations/?page=999999",
        "/staff/stations/?q=%00",
        "/staff/stations/?q=" + "镇" * 200,
    ],
)
def test_odd_query_strings_do_not_break_pages(login, personas, url):
    assert login(personas.reviewer).get(url).status_code == 200


def test_empty_post_re_renders_forms(login, personas, net):
    client = login(personas.reviewer)
    for url in [
        "/staff/stations/new/",
        f"/staff/stations/{net.a1.pk}/edit/",
        f"/staff/stations/{net.a1.pk}/points/new/",
        f"/staff/points/{net.point_a1.pk}/edit/",
        "/staff/workers/new/",
        f"/staff/workers/{net.worker_a1.pk}/edit/",
    ]:
        assert client.post(url, {}).status_code == 200, url
    net.point_a1.refresh_from_db()
    assert net.point_a1.name == "东村服务点"
