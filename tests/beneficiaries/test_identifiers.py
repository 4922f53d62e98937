"""The contract the newsletter's publishing check relies on."""

import pytest

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import (
    Identifier,
    beneficiary_identifiers_in_city,
)
from core.idcard import make_id_number

pytestmark = pytest.mark.django_db


def test_identifiers_of_city_files_in_one_query(net, django_assert_num_queries):
    station_a1, station_b1 = net.a1, net.b1
    import datetime

    idn = make_id_number("445302", datetime.date(2015, 3, 4), 21)
    kept = Beneficiary.objects.create(
        station=station_a1,
        name="示例·张三",
        gender="男",
        id_number=idn,
        phone="13800001234",
        guardian_name="示例·张奶奶",
        guardian_phone="13900005678",
        status="closed",
        status_reason="测试",
    )
    Beneficiary.objects.create(station=station_a1, name="示例·李四", gender="女")
    Beneficiary.objects.create(station=station_b1, name="示例·外市", gender="女")
    with django_assert_num_queries(1):
        found = beneficiary_identifiers_in_city(station_a1.town.county.city_id)
    assert Identifier("id_number", idn, kept.pk) in found
    assert Identifier("phone", "13900005678", kept.pk) in found
    assert Identifier("name", "示例·张奶奶", kept.pk) in found
    names = {i.value for i in found if i.kind == "name"}
    assert names == {"示例·张三", "示例·张奶奶", "示例·李四"}
    assert all(i.value for i in found)
