"""The rules behind the people figures that conftest.py's ``people_data`` does
not reach: files without any category, the shortest of a file's periods, no
category asking for visits; and the dashboard's overdue count is the file
list's (overdue_list in beneficiaries/selectors.py)."""

import datetime

import pytest

from activities.models import BeneficiaryCategory
from beneficiaries import selectors
from beneficiaries.models import Beneficiary, Visit
from beneficiaries.services import files
from core.idcard import make_id_number
from tests.stats.conftest import TODAY
from tests.stats.helpers import board_for, rows

D = datetime.date
OPENED = D(2022, 6, 1)


@pytest.fixture
def open_file(personas):
    serial = iter(range(301, 400, 2))

    def _open(station, name, categories, opened=OPENED, by=None):
        return files.beneficiary_create(
            beneficiary=Beneficiary(
                name=name,
                gender="男",
                id_number=make_id_number("445302", D(2013, 7, 8), next(serial)),
                opened_on=opened,
            ),
            station=station,
            by=by or personas.worker,
            categories=BeneficiaryCategory.objects.filter(name__in=categories),
        )

    return _open


def _visit(by, file, day, kind=Visit.Kind.HOME):
    files.visit_add(beneficiary=file, by=by, kind=kind, date=day)


def test_files_without_category_have_their_own_row(
    people_data, personas, net, open_file
):
    w = personas.worker
    visited = open_file(net.a1, "示例·无类别甲", [])
    _visit(w, visited, D(2023, 2, 1))
    closed = open_file(net.a1, "示例·无类别乙", [])
    _visit(w, closed, D(2023, 2, 2))
    files.beneficiary_set_status(
        beneficiary=closed, status="closed", reason="已迁居", by=w
    )
    open_file(net.a1, "示例·无类别丙", [])  # on file, not served
    by_category = rows(board_for(personas.reviewer), "categories")
    # On file: the two active ones; served: the two visited in the period,
    # the closed one too (served before it was closed).
    assert by_category["未分类"] == ["2", "2"]
    assert by_category["困境儿童"] == ["3", "3"]  # unchanged
    # people_data's 4 on file and 3 served, and these.
    assert by_category["合计"] == ["6", "5"]


def test_overdue_counts_the_shortest_period_of_a_file(
    people_data, personas, net, open_file, west_worker
):
    w = west_worker
    # 20 April is 50 days after 1 March: past 30 days, within 90.
    both = open_file(net.a1b, "示例·两类", ["低保对象", "困境儿童"], by=w)
    _visit(w, both, D(2023, 3, 1), Visit.Kind.PHONE)
    poor = open_file(net.a1b, "示例·低保", ["低保对象"], by=w)
    _visit(w, poor, D(2023, 3, 1), Visit.Kind.PHONE)
    # No category asking for visits: never overdue, however long unvisited.
    open_file(net.a1b, "示例·老人", ["老年人"], opened=D(2020, 1, 1), by=w)
    # 在册, 逾期, 从未走访, 入户, 电话, 来站, 被走访对象: F5 and these three.
    assert rows(board_for(personas.reviewer), "files")["西镇社工站"] == [
        "4",
        "1",
        "1",
        "1",
        "2",
        "0",
        "3",
    ]


def test_the_dashboards_overdue_files_are_the_overdue_lists(
    people_data, personas, net, open_file
):
    w = personas.worker
    for days, categories in (
        (29, ["困境儿童"]),
        (31, ["困境儿童"]),
        (95, ["低保对象"]),
    ):
        late = open_file(net.a1, f"示例·{days}天", categories)
        _visit(w, late, TODAY - datetime.timedelta(days=days))
    listed = selectors.overdue_list(personas.reviewer, today=TODAY)
    overdue = rows(board_for(personas.reviewer), "files")["合计"][1]
    # people_data's F1 and F3, and the files 31 and 95 days since their visit.
    assert int(overdue) == listed.count() == 4


def test_no_category_asking_for_visits_makes_none_overdue(people_data, personas):
    BeneficiaryCategory.objects.update(visit_every_days=None)
    # 在册, 逾期, 从未走访: F3 is still never visited.
    assert rows(board_for(personas.reviewer), "files")["合计"][:3] == ["4", "0", "1"]
    assert list(selectors.overdue_list(personas.reviewer, today=TODAY)) == []
