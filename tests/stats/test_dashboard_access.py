"""Who may open the dashboard and its export, at which unit; a county reviewer
never sees another county's figures; bad input gets a message, never a 500."""

import datetime

import pytest

from tests.stats.helpers import tiles

URL = "/staff/stats/"
PERIOD = {"from": "2023-01", "to": "2023-03"}


@pytest.mark.parametrize(
    ("persona", "label"),
    [
        ("worker", "甲一区东镇社工站"),
        ("head", "甲一区东镇社工站"),
        ("other_worker", "甲二县南镇社工站"),
        ("supervisor", "甲市甲一区"),
        ("reviewer", "甲市甲一区"),
        ("other_reviewer", "甲市甲二县"),
        ("editor", "甲市"),
        ("other_editor", "乙市"),
        # Two cities here: a superuser's broadest unit is the province.
        ("superuser", "全省（所有城市）"),
    ],
)
def test_each_role_gets_its_own_unit_by_default(login, personas, data, persona, label):
    response = login(getattr(personas, persona)).get(URL, PERIOD)
    assert response.status_code == 200
    assert response.context["unit"].label == label


def test_the_public_is_sent_to_log_in(client, data):
    for url in (URL, URL + "export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_role_is_refused(login, personas, data):
    client = login(personas.nobody)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.xlsx").status_code == 403


@pytest.mark.parametrize(
    ("persona", "unit"),
    [
        ("other_reviewer", "county:{county_a1}"),  # another county
        ("reviewer", "county:{county_a2}"),
        ("reviewer", "city:{city_a}"),  # wider than the county
        ("reviewer", "station:{a2}"),  # a station of another county
        ("worker", "station:{a1b}"),  # another station of the county
        ("worker", "county:{county_a1}"),
        ("supervisor", "county:{county_a2}"),
        ("editor", "city:{city_b}"),
        ("editor", "county:{county_b1}"),
        ("other_editor", "station:{a1}"),
        ("reviewer", "county:999999"),  # no such county
    ],
)
def test_a_unit_out_of_scope_is_404(login, personas, net, data, persona, unit):
    unit = unit.format(**{k: getattr(v, "pk", None) for k, v in vars(net).items()})
    client = login(getattr(personas, persona))
    assert client.get(URL, {"unit": unit, **PERIOD}).status_code == 404
    assert client.get(URL + "export.xlsx", {"unit": unit}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "unit", "label"),
    [
        ("reviewer", "station:{a1b}", "甲一区西镇社工站"),
        ("supervisor", "station:{a1}", "甲一区东镇社工站"),
        ("editor", "county:{county_a2}", "甲市甲二县"),
        ("editor", "station:{a2}", "甲二县南镇社工站"),
        ("superuser", "city:{city_b}", "乙市"),
    ],
)
def test_a_unit_within_scope_may_be_chosen(
    login, personas, net, data, persona, unit, label
):
    unit = unit.format(**{k: getattr(v, "pk", None) for k, v in vars(net).items()})
    response = login(getattr(personas, persona)).get(URL, {"unit": unit, **PERIOD})
    assert response.status_code == 200
    assert response.context["unit"].label == label
    # The chosen station is offered in the unit select even if not a default.
    assert unit in response.content.decode()


def test_county_reviewer_sees_nothing_of_another_county(login, personas, data):
    response = login(personas.reviewer).get(URL, PERIOD)
    html = response.content.decode()
    board = response.context["board"]
    assert tiles(board)["服务人次（人次）"] == "400"
    # 南镇 (county A2) and its 1000 person-times, 300 households, 800 persons
    # appear nowhere on the page, nor 乙市's.
    for text in ("南镇", "甲二县", "南村", "1000", "800", "乙市", "北镇"):
        assert text not in html, text
    for section in board.tables:
        for row in section.rows:
            assert "南镇" not in " ".join(str(c) for c in row)


def test_other_reviewer_sees_only_their_county(login, personas, data):
    board = login(personas.other_reviewer).get(URL, PERIOD).context["board"]
    assert tiles(board)["服务人次（人次）"] == "1000"
    assert tiles(board)["覆盖村（居）"] == "1 / 2 = 50%"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2023-13", "to": "2023-03"}, "月份格式不正确"),
        ({"from": "abc"}, "月份格式不正确"),
        ({"from": "2023-05", "to": "2023-01"}, "开始月份晚于结束月份"),
        ({"from": "2010-01", "to": "2023-01"}, "最长 60 个月"),
        ({"from": "1999-12", "to": "2000-01"}, "月份格式不正确"),
        ({"from": "2023-01\x00"}, "月份格式不正确"),
        ({"unit": "county:abc"}, "没有这个统计范围"),
        ({"unit": "nonsense"}, "没有这个统计范围"),
        ({"unit": "county:99999999999999999999999"}, "没有这个统计范围"),
    ],
)
def test_bad_input_gets_a_message_and_the_default(
    login, personas, data, params, message
):
    response = login(personas.reviewer).get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["unit"].label == "甲市甲一区"


def test_bad_period_falls_back_to_the_period_the_page_opens_on(login, personas, data):
    # The page opens on the latest year with an approved report in the unit
    # (county A1's latest is r3, 2023-02-03), and so does a period it cannot
    # read, with a message.
    response = login(personas.reviewer).get(URL, {"from": "bad"})
    period = response.context["period"]
    assert (period.start, period.end) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 1),
    )
    assert "月份格式不正确" in response.content.decode()


def test_the_page_states_the_rules(login, personas, data):
    html = login(personas.reviewer).get(URL, PERIOD).content.decode()
    assert "只统计审核通过的报告" in html
    assert "每个社工站每月应至少报送 2 篇活动报告" in html
    assert "次月 5 日（含）之前提交的为按时" in html
    assert "分别统计，从不相加" in html


def test_the_page_draws_a_chart_beside_each_of_its_tables(login, personas, data):
    html = login(personas.editor).get(URL, PERIOD).content.decode()
    for chart in (
        "chart-by-month",
        "chart-by-kind",
        "chart-by-unit",
        "chart-timeliness",
    ):
        assert f'<svg class="chart" id="{chart}"' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_put_is_not_allowed(login, personas, data):
    assert login(personas.reviewer).put(URL).status_code == 405
