"""The import's own validation (ModelChecks, beneficiaries/import_checks.py)
against ``full_clean()``: the same errors, under the same columns, in the same
order, on good rows and on every kind of bad one; and a bad row among many
still refuses the whole file with its message."""

import copy
import datetime
import gc

import pytest
import tablib
from django.core.exceptions import ValidationError

from beneficiaries.models import Beneficiary
from beneficiaries.resources import BeneficiaryResource
from beneficiaries.services.imports import import_files
from core.idcard import make_id_number
from stations.models import Station
from stations.services.imports import _report_from_result
from tests import factories
from tests.beneficiaries.conftest import new_id

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "联系电话",
    "镇（街道）",
    "村（居）",
    "详细地址",
    "服务对象类别",
    "居住情况",
    "监护人姓名",
    "与监护人关系",
    "监护人电话",
    "建档日期",
    "备注",
]


class FullCleanResource(BeneficiaryResource):
    """The resource as it validated before ModelChecks: full_clean() per row."""

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | self.NOT_CLEANED
        try:
            instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _row(name="示例·好", **cells):
    birth = cells.pop("birth", D(2015, 1, 2))
    values = {
        "姓名": name,
        "性别": "男",
        "出生日期": birth.isoformat(),
        "身份证号": new_id(birth),
        "联系电话": "13812345678",
        "镇（街道）": "",
        "村（居）": "东村",
        "详细地址": "示例路 1 号",
        "服务对象类别": "困境儿童",
        "居住情况": "隔代抚养",
        "监护人姓名": "",
        "与监护人关系": "",
        "监护人电话": "",
        "建档日期": "2023-03-01",
        "备注": "",
    }
    values.update(cells)
    return [values[h] for h in HEADERS]


def _rows(file_a2, file_a1):
    good = new_id(D(2016, 2, 2))
    future = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    twin = new_id(D(2016, 4, 4))
    return [
        _row(),
        _row("示例·空白", **{"出生日期": "", "性别": "", "居住情况": ""}),
        _row(
            "示例·校验", **{"身份证号": good[:17] + ("0" if good[17] != "0" else "1")}
        ),
        _row("示例·位数", **{"身份证号": "12345"}),
        _row("示例·全角", **{"身份证号": new_id(D(2015, 1, 2)).replace("1", "１")}),
        _row("示例·生日", **{"出生日期": "2015-01-03"}),
        _row("示例·性别", **{"性别": "女"}),
        _row("示例·性别二", **{"性别": "未知"}),
        _row("示例·居住", **{"居住情况": "火星"}),
        _row("示例·日期", **{"建档日期": "2023-13-45"}),
        _row("示例·未来", **{"建档日期": future}),
        _row("示例·太早", **{"建档日期": "1999-01-01"}),
        _row(
            "示例·百岁",
            birth=D(1899, 12, 31),
            **{"身份证号": make_id_number("445302", D(1899, 12, 31), 11)},
        ),
        _row("示例·无证", **{"身份证号": "", "出生日期": "1890-01-01"}),
        _row("示例·无证无性别", **{"身份证号": "", "性别": ""}),
        _row("名" * 31),
        _row("", **{"身份证号": new_id(D(2015, 1, 2))}),
        _row("示例·地址", **{"详细地址": "路" * 201}),
        _row("示例·电话", **{"联系电话": "138-abc"}),
        _row("示例·监护人电话", **{"监护人电话": "1" * 21}),
        _row("示例·村", **{"村（居）": "不存在村"}),
        _row("示例·镇", **{"镇（街道）": "东镇", "村（居）": ""}),
        _row("示例·类别", **{"服务对象类别": "外星人、困境儿童"}),
        _row("示例·重号", **{"身份证号": file_a2.id_number}),
        _row(
            file_a1.name,
            birth=file_a1.birth_date,
            **{"身份证号": "", "出生日期": file_a1.birth_date.isoformat()},
        ),
        _row("示例·同文件", **{"身份证号": twin, "出生日期": ""}),
        _row("示例·同文件二", **{"身份证号": twin, "出生日期": ""}),
        _row(
            "示例·多错",
            **{"身份证号": "1" * 18, "性别": "女", "联系电话": "x", "建档日期": future},
        ),
        _row("示例·好二", **{"身份证号": good, "出生日期": "", "性别": ""}),
    ]


def _report(resource_class, station, user, rows):
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    resource = resource_class(user=user, station=station)
    result = resource.import_data(dataset, dry_run=True, raise_errors=False)
    report = _report_from_result(resource, dataset, result)
    return [(row.line, row.status, row.errors) for row in report.rows]


def test_the_import_says_what_full_clean_says(personas, net, file_a1, file_a2):
    factories.VillageFactory(town=net.a1.town, name="东村")
    station = Station.objects.with_place().get(pk=net.a1.pk)
    rows = _rows(file_a2, file_a1)
    fast = _report(BeneficiaryResource, station, personas.worker, copy.deepcopy(rows))
    slow = _report(FullCleanResource, station, personas.worker, copy.deepcopy(rows))
    assert fast == slow
    refused = {line for line, _status, errors in fast if errors}
    # Every row is refused, each for its own reason, but the good ones: the
    # first, the one the ID number completes, the full-width one, the first of
    # the twins and the last.
    assert refused == set(range(2, len(rows) + 2)) - {2, 3, 6, 27, len(rows) + 1}
    messages = " ".join(" ".join(errors) for _l, _s, errors in fast)
    for expected in (
        "校验位",
        "应为 18 位",
        "出生日期与身份证号不一致",
        "性别与身份证号不一致",
        "不能晚于今天",
        "不能早于",
        "电话号码只能包含",
        "未知的村（居）",
        "未知的服务对象类别",
        "系统中已有同一身份证号的档案",
        "本市已有同名、同出生日期的档案",
        "与第 27 行身份证号相同",
    ):
        assert expected in messages


def test_a_bad_row_among_many_refuses_the_file_with_its_message(personas, net, file_a1):
    factories.VillageFactory(town=net.a1.town, name="东村")
    station = Station.objects.with_place().get(pk=net.a1.pk)
    rows = [
        _row(
            f"示例·{i:03d}",
            **{"身份证号": make_id_number("445303", D(2015, 1, 2), i * 2 + 1)},
        )
        for i in range(300)
    ]
    good = rows[250][3]
    rows[250][3] = good[:17] + ("0" if good[17] != "0" else "1")
    before = Beneficiary.objects.count()
    report = import_files(
        tablib.Dataset(*rows, headers=HEADERS),
        user=personas.worker,
        station=station,
        dry_run=False,
    )
    assert not report.ok
    assert [row.line for row in report.error_rows] == [252]
    assert "身份证号：身份证号校验位不正确" in report.error_rows[0].errors[0]
    assert Beneficiary.objects.count() == before

    rows[250][3] = good
    report = import_files(
        tablib.Dataset(*rows, headers=HEADERS),
        user=personas.worker,
        station=station,
        dry_run=False,
    )
    assert report.ok
    assert Beneficiary.objects.count() == before + 300
    assert gc.isenabled()  # the import paused the cycle collector, no longer
