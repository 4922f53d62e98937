"""The overdue list: active files whose latest visit (or opening, if never
visited) is older than the shortest period their categories ask for, per
station, the longest-waiting first."""

import datetime

import pytest

from activities.models import BeneficiaryCategory
from beneficiaries import selectors
from beneficiaries.services import files as services

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def _visit(by, b, days):
    services.visit_add(beneficiary=b, by=by, kind="home", date=ago(days))


def _names(user, **kwargs):
    return [b.name for b in selectors.overdue_list(user, **kwargs)]


def test_periods_come_from_the_migration(categories):
    assert categories["困境儿童"].visit_every_days == 30
    assert categories["低保对象"].visit_every_days == 90
    assert categories["老年人"].visit_every_days is None


def test_overdue_by_latest_visit_or_opening(personas, net, make_file):
    w = personas.worker
    late = make_file(w, net.a1, name="示例·久未走访", opened_on=ago(400))
    _visit(w, late, 45)
    recent = make_file(w, net.a1, name="示例·刚走访", opened_on=ago(400))
    _visit(w, recent, 45)
    _visit(w, recent, 3)
    never = make_file(w, net.a1, name="示例·从未走访", opened_on=ago(31))
    make_file(w, net.a1, name="示例·新建档", opened_on=ago(5))
    assert _names(w) == ["示例·久未走访", "示例·从未走访"]
    rows = {b.name: b for b in selectors.overdue_list(w)}
    assert rows["示例·久未走访"].period == 30
    assert rows["示例·从未走访"].last_contact == never.opened_on


def test_shortest_period_of_several_categories_counts(personas, net, make_file):
    w = personas.worker
    both = make_file(
        w, net.a1, ("低保对象", "困境儿童"), name="示例·两类", opened_on=ago(400)
    )
    _visit(w, both, 60)
    poor = make_file(w, net.a1, ("低保对象",), name="示例·低保", opened_on=ago(400))
    _visit(w, poor, 60)
    assert _names(w) == ["示例·两类"]


def test_no_category_asking_for_visits_is_never_overdue(personas, net, make_file):
    make_file(personas.worker, net.a1, ("老年人",), opened_on=ago(900))
    make_file(personas.worker, net.a1, (), name="示例·无类别", opened_on=ago(900))
    assert _names(personas.worker) == []


def test_period_edited_in_the_list_applies(personas, net, make_file):
    b = make_file(personas.worker, net.a1, ("老年人",), opened_on=ago(20))
    BeneficiaryCategory.objects.filter(name="老年人").update(visit_every_days=14)
    assert _names(personas.worker) == [b.name]


def test_closed_files_are_not_overdue(personas, net, make_file):
    b = make_file(personas.worker, net.a1, opened_on=ago(100))
    services.beneficiary_set_status(
        beneficiary=b, status="closed", reason="已成年", by=personas.worker
    )
    assert _names(personas.worker) == []


def test_per_station_oldest_first_and_in_scope(personas, net, make_file):
    make_file(personas.worker, net.a1, name="示例·甲一", opened_on=ago(40))
    make_file(personas.worker, net.a1, name="示例·甲二", opened_on=ago(200))
    make_file(personas.other_worker, net.a2, name="示例·南镇", opened_on=ago(300))
    assert _names(personas.editor) == ["示例·甲二", "示例·甲一", "示例·南镇"]
    assert _names(personas.editor, station_id=net.a2.pk) == ["示例·南镇"]
    assert _names(personas.reviewer) == ["示例·甲二", "示例·甲一"]
    assert _names(personas.other_editor) == []


def test_overdue_page_shows_days_late(login, personas, net, make_file):
    make_file(personas.worker, net.a1, name="示例·逾期", opened_on=ago(45))
    response = login(personas.head).get("/staff/beneficiaries/overdue/")
    row = response.context["page"][0]
    assert (row.waited, row.period, row.late_by) == (45, 30, 15)
    assert "示例·逾期" in response.content.decode()
