"""Opening, changing, transferring, closing and deleting files through the
services: validation against the ID number, duplicates, scope, audit rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beneficiaries.duplicates import DuplicateFile
from beneficiaries.models import Beneficiary, BeneficiaryTransfer, Visit
from beneficiaries.services import files as services
from core.models import AuditEntry
from stations.models import Station
from tests import factories
from tests.beneficiaries.conftest import new_id

pytestmark = pytest.mark.django_db
D = datetime.date


def _station(station):
    return Station.objects.with_place().get(pk=station.pk)


def _new(by, station, **fields):
    data = {"name": "示例·王五", "gender": "男"}
    data.update(fields)
    return services.beneficiary_create(
        beneficiary=Beneficiary(**data), station=_station(station), by=by
    )


def test_birth_date_and_gender_come_from_the_id_number(personas, net):
    number = new_id(D(2016, 9, 1), male=False)
    b = _new(personas.worker, net.a1, gender="", id_number=number.lower())
    assert b.birth_date == D(2016, 9, 1)
    assert b.gender == "女"
    assert b.id_number == number  # stored upper-case


def test_birth_date_contradicting_the_id_is_refused(personas, net):
    number = new_id(D(2016, 9, 1))
    with pytest.raises(ValidationError) as exc:
        _new(personas.worker, net.a1, id_number=number, birth_date=D(2016, 9, 2))
    assert "出生日期与身份证号不一致" in exc.value.message_dict["birth_date"][0]
    assert not Beneficiary.objects.exists()


def test_gender_contradicting_the_id_is_refused(personas, net):
    with pytest.raises(ValidationError) as exc:
        _new(personas.worker, net.a1, id_number=new_id(male=True), gender="女")
    assert "性别与身份证号不一致" in exc.value.message_dict["gender"][0]


def test_bad_check_digit_is_refused(personas, net):
    number = new_id()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        _new(personas.worker, net.a1, id_number=wrong)
    assert "校验位" in " ".join(exc.value.message_dict["id_number"])


def test_village_outside_the_station_county_is_refused(personas, net):
    far = factories.VillageFactory(town=net.b1.town, name="北村")
    with pytest.raises(ValidationError) as exc:
        _new(personas.worker, net.a1, village=far)
    assert "village" in exc.value.message_dict


def test_same_id_anywhere_is_a_duplicate_and_never_overridden(personas, net):
    number = new_id()
    first = _new(personas.other_worker, net.a2, id_number=number)
    with pytest.raises(DuplicateFile) as exc:
        services.beneficiary_create(
            beneficiary=Beneficiary(name="示例·另名", gender="男", id_number=number),
            station=_station(net.a1),
            by=personas.worker,
            confirm_distinct=True,
        )
    assert exc.value.by_id
    assert exc.value.matches == [first]
    assert Beneficiary.objects.count() == 1


def test_same_name_and_birth_date_in_the_city_offers_the_existing_file(personas, net):
    first = _new(personas.other_worker, net.a2, birth_date=D(1950, 1, 1))
    with pytest.raises(DuplicateFile) as exc:
        _new(personas.worker, net.a1, birth_date=D(1950, 1, 1))
    assert not exc.value.by_id
    assert exc.value.matches == [first]
    # Another person of the same name and birthday: the worker confirms it.
    second = services.beneficiary_create(
        beneficiary=Beneficiary(
            name="示例·王五", gender="男", birth_date=D(1950, 1, 1)
        ),
        station=_station(net.a1),
        by=personas.worker,
        confirm_distinct=True,
    )
    assert second.pk != first.pk
    row = AuditEntry.objects.filter(action="create", target_id=str(second.pk)).get()
    assert "已确认" in row.detail


def test_same_name_and_birth_date_in_another_city_is_not_a_duplicate(personas, net):
    worker_b = factories.UserFactory(username="worker_b")
    from stations import services as station_services
    from stations.models import Role

    station_services.role_assign(user=worker_b, role=Role.SOCIAL_WORKER, unit=net.b1)
    _new(worker_b, net.b1, birth_date=D(1950, 1, 1))
    _new(personas.worker, net.a1, birth_date=D(1950, 1, 1))
    assert Beneficiary.objects.count() == 2


@pytest.mark.parametrize(
    "persona",
    ["other_worker", "supervisor", "reviewer", "editor", "superuser", "nobody"],
)
def test_only_the_keeping_station_opens_files(personas, net, persona):
    with pytest.raises(PermissionDenied):
        _new(getattr(personas, persona), net.a1)
    assert not Beneficiary.objects.exists()


def test_update_names_the_changed_fields_not_their_values(personas, file_a1):
    file_a1.phone = "13700001111"
    file_a1.address = "示例路 1 号"
    services.beneficiary_update(beneficiary=file_a1, by=personas.head)
    row = AuditEntry.objects.filter(action="change").latest("pk")
    assert "联系电话" in row.detail and "详细地址" in row.detail
    assert "13700001111" not in row.detail + row.target_label


def test_county_reviewer_cannot_change_a_file(personas, file_a1):
    file_a1.address = "改"
    with pytest.raises(PermissionDenied):
        services.beneficiary_update(beneficiary=file_a1, by=personas.reviewer)


def test_transfer_moves_the_file_and_its_history(personas, net, file_a1):
    services.visit_add(
        beneficiary=file_a1, by=personas.worker, kind="home", date=D(2023, 3, 1)
    )
    services.beneficiary_transfer(
        beneficiary=file_a1, to_station=net.a2, reason="随父母迁居", by=personas.worker
    )
    file_a1.refresh_from_db()
    assert file_a1.station_id == net.a2.pk
    assert Visit.objects.filter(beneficiary=file_a1).count() == 1
    transfer = BeneficiaryTransfer.objects.get()
    assert (transfer.from_station_id, transfer.to_station_id) == (net.a1.pk, net.a2.pk)
    # The old station may no longer write; the new one may.
    with pytest.raises(PermissionDenied):
        services.visit_add(
            beneficiary=file_a1, by=personas.worker, kind="home", date=D(2023, 4, 1)
        )
    services.visit_add(
        beneficiary=file_a1, by=personas.other_worker, kind="home", date=D(2023, 4, 1)
    )


def test_transfer_to_another_county_clears_the_village(personas, net, make_file):
    village = factories.VillageFactory(town=net.a1.town, name="东村")
    b = make_file(personas.worker, net.a1, village=village)
    services.beneficiary_transfer(
        beneficiary=b, to_station=net.a1b, reason="迁居", by=personas.worker
    )
    b.refresh_from_db()
    assert b.village_id == village.pk  # a1b is in the same county
    services.beneficiary_transfer(
        beneficiary=b, to_station=net.a2, reason="迁居", by=_member_of(net.a1b)
    )
    b.refresh_from_db()
    assert b.village_id is None


def _member_of(station):
    from stations import services as station_services
    from stations.models import Role

    user = factories.UserFactory(username=f"member{station.pk}")
    station_services.role_assign(user=user, role=Role.SOCIAL_WORKER, unit=station)
    return user


def test_transfer_needs_a_reason_and_no_open_case(personas, net, file_a1, case_a1):
    with pytest.raises(ValidationError):
        services.beneficiary_transfer(
            beneficiary=file_a1, to_station=net.a2, reason=" ", by=personas.worker
        )
    with pytest.raises(ValidationError) as exc:
        services.beneficiary_transfer(
            beneficiary=file_a1, to_station=net.a2, reason="迁居", by=personas.worker
        )
    assert "未结案" in exc.value.messages[0]
    assert not BeneficiaryTransfer.objects.exists()


def test_closing_needs_a_reason_and_reopening_clears_it(personas, file_a1):
    with pytest.raises(ValidationError):
        services.beneficiary_set_status(
            beneficiary=file_a1, status="closed", reason="", by=personas.worker
        )
    services.beneficiary_set_status(
        beneficiary=file_a1, status="closed", reason="已成年", by=personas.worker
    )
    file_a1.refresh_from_db()
    assert (file_a1.status, file_a1.status_reason) == ("closed", "已成年")
    with pytest.raises(ValidationError):
        services.visit_add(
            beneficiary=file_a1, by=personas.worker, kind="home", date=D(2023, 4, 1)
        )
    services.beneficiary_set_status(
        beneficiary=file_a1, status="active", reason="", by=personas.worker
    )
    file_a1.refresh_from_db()
    assert (file_a1.status, file_a1.status_reason) == ("active", "")


def test_a_file_with_cases_is_never_deleted(personas, file_a1, case_a1):
    with pytest.raises(ValidationError) as exc:
        services.beneficiary_delete(
            beneficiary=file_a1, by=personas.worker, reason="误建"
        )
    assert "个案" in exc.value.messages[0]
    assert Beneficiary.objects.filter(pk=file_a1.pk).exists()


def test_delete_leaves_an_audit_row_with_the_reason(personas, file_a1):
    services.visit_add(
        beneficiary=file_a1, by=personas.worker, kind="phone", date=D(2023, 3, 1)
    )
    services.beneficiary_delete(
        beneficiary=file_a1, by=personas.worker, reason="重复录入，误建"
    )
    assert not Beneficiary.objects.exists()
    assert not Visit.objects.exists()
    row = AuditEntry.objects.get(action="delete")
    assert row.reason == "重复录入，误建"
    assert row.target_label == file_a1.audit_label
    assert file_a1.id_number not in row.target_label


def test_visit_worker_must_belong_to_the_station(personas, net, file_a1):
    with pytest.raises(ValidationError):
        services.visit_add(
            beneficiary=file_a1,
            by=personas.worker,
            kind="home",
            date=D(2023, 3, 1),
            worker=net.worker_a2,
        )
    with pytest.raises(ValidationError):
        services.visit_add(
            beneficiary=file_a1,
            by=personas.worker,
            kind="home",
            date=datetime.date.today() + datetime.timedelta(days=1),
        )
    assert not Visit.objects.exists()


def test_a_file_written_meanwhile_is_reported_as_a_duplicate(
    personas, net, file_a2, monkeypatch
):
    # The check found nothing (as if the other file was saved just after it);
    # the unique constraint then refuses the write, reported the same way.
    monkeypatch.setattr(services, "_check_duplicates", lambda *a, **k: None)
    with pytest.raises(DuplicateFile) as exc:
        _new(personas.worker, net.a1, gender="女", id_number=file_a2.id_number)
    assert exc.value.matches == [file_a2]
    assert Beneficiary.objects.count() == 1
