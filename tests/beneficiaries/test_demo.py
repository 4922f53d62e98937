"""`load_demo` adds fictional beneficiaries (names marked 演示·, ID numbers with a
valid check digit), visits, attendance on demo reports and a few cases; a rerun
changes nothing."""

import io

import pytest
from django.core.management import call_command

from beneficiaries import selectors
from beneficiaries.models import (
    Attendance,
    Beneficiary,
    Case,
    CaseNote,
    Referral,
    Visit,
)
from core.idcard import parse_id_number
from core.models import AuditEntry


def _snapshot():
    return {
        "files": list(
            Beneficiary.objects.order_by("pk").values_list("pk", "updated_at")
        ),
        "visits": Visit.objects.count(),
        "cases": list(Case.objects.order_by("pk").values_list("pk", "status")),
        "notes": CaseNote.objects.count(),
        "referrals": Referral.objects.count(),
        "attendance": Attendance.objects.count(),
        "audit": AuditEntry.objects.filter(
            target_type__in=["beneficiaries.beneficiary", "beneficiaries.case"]
        ).count(),
    }


@pytest.mark.django_db
def test_demo_beneficiaries_are_fictional_complete_and_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    files = list(Beneficiary.objects.select_related("station"))
    assert len(files) >= 10
    assert all(b.name.startswith("演示·") for b in files)
    assert all(
        not b.guardian_name or b.guardian_name.startswith("演示·") for b in files
    )
    for b in files:
        parse_id_number(b.id_number)  # a valid check digit, or it raises
    assert {b.station.name for b in files} >= {"安塘街道社工站", "富林镇社工站"}
    assert Visit.objects.count() >= 10
    assert Case.objects.count() >= 2 and CaseNote.objects.exists()
    assert Referral.objects.exists()
    assert Attendance.objects.exists()
    from django.contrib.auth import get_user_model

    worker = get_user_model().objects.get(username="worker")
    assert selectors.overdue_list(worker).exists()  # something to act on

    before = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == before
