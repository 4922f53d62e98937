"""The SVG charts (well-formed, labelled, escaped, no script) and the period
parsed from the query string."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from stats import charts
from stats.period import Period, default_period, period_from_params

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(str(svg))


def test_column_chart_draws_a_bar_and_its_number_per_month():
    svg = charts.column_chart(
        "c1",
        "各月报告数",
        [charts.Bar("1月", 3, "2023"), charts.Bar("2月", 0), charts.Bar("3月", 6)],
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "各月报告数"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["3", "1月", "2023", "0", "2月", "6", "3月"]
    bars = [r for r in root.iter(f"{SVG}rect")]
    assert len(bars) == 2  # no bar for zero
    assert float(bars[1].get("height")) == 2 * float(bars[0].get("height"))


def test_bar_chart_escapes_labels_and_has_no_script():
    svg = charts.bar_chart(
        "c2",
        "按类型",
        [charts.Bar("<script>alert(1)</script>", 2), charts.Bar("宣传", 4)],
    )
    assert "<script>" not in str(svg)
    root = _parse(svg)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels[0].startswith("<script>")  # shown as text, escaped in the markup
    assert labels[0].endswith("…")  # long labels are cut


def test_stacked_chart_tells_parts_apart_by_pattern_not_colour_only():
    svg = charts.stacked_bar_chart(
        "c3", "及时性", ["按时", "逾期", "缺报"], [charts.Stack("东镇", (3, 1, 2))]
    )
    root = _parse(svg)
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert "url(#c3-hatch)" in fills and "#fff" in fills
    assert "3/1/2" in [t.text for t in root.iter(f"{SVG}text")]


def test_charts_of_nothing_are_still_valid():
    for svg in (
        charts.column_chart("a", "空", []),
        charts.bar_chart("b", "空", []),
        charts.stacked_bar_chart("c", "空", ["x"], []),
    ):
        assert _parse(svg).tag == f"{SVG}svg"


TODAY = D(2023, 7, 15)


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({}, D(2023, 1, 1), D(2023, 7, 1)),
        ({"from": "2022-03", "to": "2022-05"}, D(2022, 3, 1), D(2022, 5, 1)),
        ({"from": "2022年3月", "to": "2022/5"}, D(2022, 3, 1), D(2022, 5, 1)),
        ({"from": "2023-02"}, D(2023, 2, 1), D(2023, 7, 1)),
        ({"to": "2022-05"}, D(2022, 1, 1), D(2022, 5, 1)),
        ({"from": "2024-02"}, D(2024, 2, 1), D(2024, 2, 1)),
    ],
)
def test_period_from_params(params, start, end):
    period, error = period_from_params(params, today=TODAY)
    assert error is None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2023-00"},
        {"from": "23-01"},
        {"to": "2023-1-1"},
        {"from": "2023-06", "to": "2023-05"},
        {"from": "2000-01", "to": "2023-01"},
    ],
)
def test_bad_periods_give_the_default_and_a_message(params):
    period, error = period_from_params(params, today=TODAY)
    assert period == default_period(TODAY)
    assert error


def test_period_months_and_labels():
    period = Period(D(2022, 11, 1), D(2023, 2, 1))
    assert period.months == [
        D(2022, 11, 1),
        D(2022, 12, 1),
        D(2023, 1, 1),
        D(2023, 2, 1),
    ]
    assert period.last_day == D(2023, 2, 28)
    assert period.after == D(2023, 3, 1)
    assert period.label == "2022年11月至2023年2月"
    assert Period(D(2023, 2, 1), D(2023, 2, 1)).label == "2023年2月"
    assert period.slug == "202211-202302"
