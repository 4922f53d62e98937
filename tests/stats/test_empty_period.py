"""A period without approved reports says where the unit's reports are, instead
of leaving the reader with a page of zeros."""

import re

from tests.stats.test_dashboard_queries import PERIOD, URL


def test_empty_period_points_to_the_months_with_reports(login, personas, data):
    page = login(personas.reviewer).get(URL, {"from": "2030-01", "to": "2030-03"})
    html = page.content.decode()
    assert page.context["board"].data_span is not None
    link = re.search(r'href="(/staff/stats/\?[^"]+)">查看该期间', html)
    assert link, "the empty period offers the months that hold reports"
    follow = login(personas.reviewer).get(link.group(1).replace("&amp;", "&"))
    assert follow.context["board"].data_span is None
    assert follow.context["board"].tiles[0].value > 0


def test_period_with_reports_offers_nothing(login, personas, data):
    page = login(personas.reviewer).get(URL, PERIOD)
    assert page.context["board"].data_span is None
    assert "查看该期间" not in page.content.decode()


def test_unit_without_any_report_offers_nothing(login, personas, net):
    page = login(personas.other_reviewer).get(URL, {"from": "2030-01"})
    assert page.status_code == 200
    assert page.context["board"].data_span is None
