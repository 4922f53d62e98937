"""Cases: opened by the keeping station, notes append-only (a correction is a
new note), referrals to a listed partner or a named body, closing with a
summary."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Partner
from beneficiaries.models import Case, CaseNote, CaseNotesAppendOnly, Referral
from beneficiaries.services import cases
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
D = datetime.date


def test_opening_records_who_and_an_audit_row(personas, case_a1):
    assert case_a1.status == Case.Status.OPEN
    assert case_a1.opened_by == personas.worker
    row = AuditEntry.objects.get(action="create", target_type="beneficiaries.case")
    assert row.target_label.startswith("学业支持个案（示例·张三")


def test_worker_of_another_station_cannot_be_responsible(
    personas, net, make_case, file_a1
):
    with pytest.raises(ValidationError) as exc:
        make_case(personas.worker, file_a1, worker=net.worker_a2)
    assert "worker" in exc.value.message_dict


@pytest.mark.parametrize(
    "persona", ["other_worker", "supervisor", "reviewer", "editor", "superuser"]
)
def test_only_the_keeping_station_opens_cases(personas, make_case, file_a1, persona):
    with pytest.raises(PermissionDenied):
        make_case(getattr(personas, persona), file_a1)
    assert not Case.objects.exists()


def test_notes_are_append_only(personas, case_a1):
    note = cases.case_note_add(
        case=case_a1, by=personas.worker, text="首次面谈", date=D(2023, 2, 2)
    )
    note.text = "改写"
    with pytest.raises(CaseNotesAppendOnly):
        note.save()
    with pytest.raises(CaseNotesAppendOnly):
        note.delete()
    with pytest.raises(CaseNotesAppendOnly):
        CaseNote.objects.filter(pk=note.pk).update(text="改写")
    with pytest.raises(CaseNotesAppendOnly):
        CaseNote.objects.all().delete()
    note.refresh_from_db()
    assert note.text == "首次面谈"


def test_a_correction_is_a_new_note_naming_the_old_one(personas, case_a1):
    first = cases.case_note_add(case=case_a1, by=personas.worker, text="面谈 3 次")
    fix = cases.case_note_add(
        case=case_a1, by=personas.head, text="更正：面谈 2 次", corrects=first
    )
    assert fix.corrects == first
    assert CaseNote.objects.filter(case=case_a1).count() == 2
    assert fix.author_name  # kept as text


def test_a_note_cannot_correct_another_case(personas, file_a1, make_case, case_a1):
    other = make_case(personas.worker, file_a1, title="另一个案")
    note = cases.case_note_add(case=other, by=personas.worker, text="记录")
    with pytest.raises(ValidationError):
        cases.case_note_add(
            case=case_a1, by=personas.worker, text="更正", corrects=note
        )


def test_referral_to_a_partner_or_a_named_body(personas, case_a1):
    women = Partner.objects.get(name="妇联")
    cases.referral_add(
        case=case_a1, by=personas.worker, partner=women, purpose="申请助学"
    )
    cases.referral_add(
        case=case_a1, by=personas.worker, partner_other="某慈善会", purpose="物资"
    )
    assert [r.partner_name for r in Referral.objects.order_by("pk")] == [
        "妇联",
        "某慈善会",
    ]
    with pytest.raises(ValidationError):
        cases.referral_add(case=case_a1, by=personas.worker, purpose="未选单位")
    with pytest.raises(ValidationError):
        cases.referral_add(
            case=case_a1,
            by=personas.worker,
            partner=women,
            partner_other="两个",
            purpose="x",
        )
    assert Referral.objects.count() == 2


def test_closing_needs_a_summary_and_freezes_the_plan(personas, case_a1):
    with pytest.raises(ValidationError):
        cases.case_close(case=case_a1, by=personas.worker, summary=" ")
    cases.case_close(
        case=case_a1, by=personas.worker, summary="目标达成", closed_on=D(2023, 6, 1)
    )
    case_a1.refresh_from_db()
    assert case_a1.status == Case.Status.CLOSED
    case_a1.plan = "改"
    with pytest.raises(ValidationError):
        cases.case_update(case=case_a1, by=personas.worker)
    # Follow-ups after closing are still recorded as notes.
    cases.case_note_add(case=case_a1, by=personas.worker, text="结案后回访")


def test_closed_before_opened_is_refused(personas, case_a1):
    with pytest.raises(ValidationError):
        cases.case_close(
            case=case_a1, by=personas.worker, summary="x", closed_on=D(2020, 1, 1)
        )


def test_update_moves_a_case_in_progress(personas, case_a1):
    case_a1.status = Case.Status.IN_PROGRESS
    case_a1.plan = "每两周一次"
    cases.case_update(case=case_a1, by=personas.head)
    row = AuditEntry.objects.filter(
        action="change", target_type="beneficiaries.case"
    ).latest("pk")
    assert "状态" in row.detail and "服务计划" in row.detail
