"""Fixtures of the beneficiary and case tests, built through the services.

``file_a1`` is a child's file kept by station a1 (whose members are the
``worker`` and ``head`` personas); ``file_a2`` is kept by a2 (``other_worker``).
ID numbers are made with a valid check digit by ``make_id_number``; they are
fictional."""

import datetime
import itertools

import pytest

from activities.models import BeneficiaryCategory
from beneficiaries.models import Beneficiary, Case
from beneficiaries.services import cases
from beneficiaries.services import files as services
from core.idcard import make_id_number

# The reports attendance is recorded on, as the activities tests make them.
from tests.activities.conftest import (  # noqa: F401
    draft,
    report_at,
    reports,
    villages,
)

D = datetime.date
_sequence = itertools.count(11)
CHILD_BIRTH = D(2014, 5, 6)


def new_id(birth=CHILD_BIRTH, male=True, area="445302") -> str:
    n = next(_sequence) % 500
    return make_id_number(area, birth, n * 2 + (1 if male else 0))


@pytest.fixture
def categories(db):
    return {c.name: c for c in BeneficiaryCategory.objects.all()}


@pytest.fixture
def make_file(categories):
    """make_file(by, station, categories=("困境儿童",), **fields) -> Beneficiary."""

    def _make(by, station, categories_=("困境儿童",), **fields):
        birth = fields.pop("birth_date", CHILD_BIRTH)
        data = {
            "name": "示例·张三",
            "gender": "男",
            "id_number": new_id(birth),
            "phone": "13812345678",
            "guardian_name": "示例·张奶奶",
            "guardian_relation": "祖母",
            "guardian_phone": "13987654321",
            "living_situation": Beneficiary.Living.GRANDPARENTS,
            "opened_on": D(2023, 1, 10),
        }
        data.update(fields)
        if data.get("id_number"):
            data.setdefault("birth_date", None)
        else:
            data["birth_date"] = birth
        from stations.models import Station

        station = Station.objects.with_place().get(pk=station.pk)
        return services.beneficiary_create(
            beneficiary=Beneficiary(**data),
            station=station,
            by=by,
            categories=[categories[n] for n in categories_],
        )

    return _make


@pytest.fixture
def file_a1(personas, net, make_file):
    return make_file(personas.worker, net.a1)


@pytest.fixture
def file_a2(personas, net, make_file):
    return make_file(
        personas.other_worker,
        net.a2,
        name="示例·李四",
        gender="女",
        id_number=new_id(D(2012, 1, 2), male=False),
    )


@pytest.fixture
def make_case(net):
    def _make(by, beneficiary, worker=None, title="学业支持个案", **fields):
        case = Case(
            beneficiary=beneficiary,
            worker=worker or net.worker_a1,
            title=title,
            opened_on=fields.pop("opened_on", D(2023, 2, 1)),
            assessment="祖母年迈，学习无人辅导。",
            goals="提高学习兴趣。",
            plan="每周一次课业辅导。",
            **fields,
        )
        return cases.case_open(case=case, by=by)

    return _make


@pytest.fixture
def case_a1(personas, file_a1, make_case):
    return make_case(personas.worker, file_a1)
