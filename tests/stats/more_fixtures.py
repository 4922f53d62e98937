"""Fixtures of the network (workers, trainings, six-standard checks) and of the
people served (files, visits, attendance, cases), on top of conftest.py's
reports; imported by conftest.py."""

import datetime
from types import SimpleNamespace

import pytest

from activities import services
from stations.models import SocialWorker, Standard
from stations.services import quality as quality_services
from tests import factories
from tests.activities.training_helpers import _session, _training

D = datetime.date


ALL_MET = {value: {"met": True} for value in Standard.values}


@pytest.fixture
def network_data(net, personas):
    """Workers, a training in the period and six-standard checks.

    Active workers of county A1: 甲一社工 and 西镇社工 (service post, no
    qualification, from ``net``), 甲一站长 (administrative, 社会工作师), plus
    one who left (not counted). Station a1 meets all six standards (its latest
    check; an older one met none); a1b's latest check meets five; a2 was never
    checked. A city training in February: 甲一社工 and 西镇社工 attend a 4-hour
    session, 甲一社工 also a 3-hour one; 甲二社工 (county A2) attends the first;
    a December session is outside the period."""
    factories.SocialWorkerFactory(
        station=net.a1,
        real_name="甲一站长",
        post_type=SocialWorker.PostType.ADMINISTRATIVE,
        qualification=SocialWorker.Qualification.SOCIAL_WORKER,
    )
    factories.SocialWorkerFactory(
        station=net.a1, real_name="离岗社工", status=SocialWorker.Status.LEFT
    )
    editor = personas.editor
    training = _training(editor, net.city_a)
    december = _session(training, editor, D(2022, 12, 5), 8, "岗前培训")
    first = _session(training, editor, D(2023, 2, 10), 4, "个案救助")
    second = _session(training, editor, D(2023, 2, 24), 3, "小组工作")
    services.training_attendance_set(
        session=december, workers=[net.worker_a1, net.worker_a1b], by=editor
    )
    services.training_attendance_set(
        session=first,
        workers=[net.worker_a1, net.worker_a1b, net.worker_a2],
        by=editor,
    )
    services.training_attendance_set(session=second, workers=[net.worker_a1], by=editor)
    reviewer = personas.reviewer
    none_met = {value: {"met": False} for value in Standard.values}
    quality_services.standards_check_record(
        station=net.a1, by=reviewer, checked_on=D(2022, 6, 1), note="", items=none_met
    )
    quality_services.standards_check_record(
        station=net.a1, by=reviewer, checked_on=D(2023, 1, 5), note="", items=ALL_MET
    )
    five = dict(ALL_MET, rules={"met": False})
    quality_services.standards_check_record(
        station=net.a1b, by=reviewer, checked_on=D(2023, 1, 6), note="", items=five
    )
    return training


@pytest.fixture
def people_data(net, personas, data, west_worker):
    """Beneficiary files, visits, attendance and cases (through the services of
    beneficiaries/services/), on top of ``data``'s reports.

    a1: F1 困境儿童 (visited at home 15 Jan, by phone 10 Feb; attended r1, r2;
        case opened 1 Feb), F2 困境儿童 and 留守儿童 (visited at home 1 April;
        attended r1; a December case closed 1 March), F3 低保对象 (never
        visited; attended r4, which is not approved).
    a1b: F5 困境儿童 (visited at home 30 March; attended r6; case opened 20
        January, in progress).
    a2: F6 困境儿童 (visited 9 January; attended r8).
    On 20 April, F1 (70 days since its last visit, 30 asked) and F3 (100 days
    since it was opened, 90 asked) are overdue."""
    from activities.models import BeneficiaryCategory
    from beneficiaries.models import Beneficiary, Case, Visit
    from beneficiaries.services import attendance, cases, files
    from core.idcard import make_id_number

    category = {c.name: c for c in BeneficiaryCategory.objects.all()}
    serial = iter(range(101, 200, 2))

    def open_file(by, station, name, categories, opened):
        return files.beneficiary_create(
            beneficiary=Beneficiary(
                name=name,
                gender="男",
                id_number=make_id_number("445302", D(2014, 5, 6), next(serial)),
                opened_on=opened,
            ),
            station=station,
            by=by,
            categories=[category[c] for c in categories],
        )

    def visit(by, file, kind, day):
        files.visit_add(beneficiary=file, by=by, kind=kind, date=day)

    p = personas
    f = SimpleNamespace()
    f.f1 = open_file(p.worker, net.a1, "示例·甲", ["困境儿童"], D(2023, 1, 10))
    f.f2 = open_file(
        p.worker, net.a1, "示例·乙", ["困境儿童", "留守儿童"], D(2023, 1, 10)
    )
    f.f3 = open_file(p.worker, net.a1, "示例·丙", ["低保对象"], D(2023, 1, 10))
    f.f5 = open_file(west_worker, net.a1b, "示例·戊", ["困境儿童"], D(2023, 1, 5))
    f.f6 = open_file(p.other_worker, net.a2, "示例·己", ["困境儿童"], D(2023, 1, 8))
    visit(p.worker, f.f1, Visit.Kind.HOME, D(2023, 1, 15))
    visit(p.worker, f.f1, Visit.Kind.PHONE, D(2023, 2, 10))
    visit(p.worker, f.f2, Visit.Kind.HOME, D(2023, 4, 1))
    visit(west_worker, f.f5, Visit.Kind.HOME, D(2023, 3, 30))
    visit(p.other_worker, f.f6, Visit.Kind.HOME, D(2023, 1, 9))
    r = data
    attendance.attendance_set(report=r.r1, beneficiaries=[f.f1, f.f2], by=p.worker)
    attendance.attendance_set(report=r.r2, beneficiaries=[f.f1], by=p.worker)
    attendance.attendance_set(report=r.r4, beneficiaries=[f.f3], by=p.worker)
    attendance.attendance_set(report=r.r6, beneficiaries=[f.f5], by=west_worker)
    attendance.attendance_set(report=r.r8, beneficiaries=[f.f6], by=p.other_worker)
    cases.case_open(
        case=Case(
            beneficiary=f.f1,
            title="个案一",
            worker=net.worker_a1,
            opened_on=D(2023, 2, 1),
        ),
        by=p.worker,
    )
    closed = cases.case_open(
        case=Case(
            beneficiary=f.f2,
            title="个案二",
            worker=net.worker_a1,
            opened_on=D(2022, 12, 1),
        ),
        by=p.worker,
    )
    cases.case_close(
        case=closed, by=p.worker, summary="目标达成", closed_on=D(2023, 3, 1)
    )
    serving = cases.case_open(
        case=Case(
            beneficiary=f.f5,
            title="个案五",
            worker=net.worker_a1b,
            opened_on=D(2023, 1, 20),
        ),
        by=west_worker,
    )
    serving.status = Case.Status.IN_PROGRESS
    cases.case_update(case=serving, by=west_worker)
    return f
