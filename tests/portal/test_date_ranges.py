"""Every form that records a date holds it to its range (core/dates.py):
nothing that has happened before PORTAL_EARLIEST_DATE or after today, deadlines
and project periods at most ten years ahead, planned sessions and draft issues a
year ahead, birth dates from 1900 and hire dates from 1950.

Each form is posted through its page, by a role allowed to use it, with a date
before its range, a date after it and the boundary date of the range: a bad
date gets its Chinese message and changes nothing; the boundary is saved. The
page draws the same range as the input's min and max."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities.models import ActivityReport, Project, TrainingSession
from activities.resources import import_reports
from beneficiaries.models import (
    Beneficiary,
    BeneficiaryTransfer,
    Case,
    CaseNote,
    Referral,
    Visit,
)
from beneficiaries.services import cases as case_services
from core.dates import years_from_today
from core.sheets import read_dataset
from newsletter import services as newsletter_services
from newsletter.models import Issue
from stations.models import (
    FollowUpItem,
    ServicePoint,
    SocialWorker,
    Standard,
    StandardsCheck,
    Station,
    SupervisionVisit,
)
from stations.services import quality as quality_services
from tests import factories
from tests.activities.report_resource_helpers import HEADERS, csv_bytes, row
from tests.activities.training_helpers import _training

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
EARLIEST = D(2000, 1, 1)  # PORTAL_EARLIEST_DATE's default
BASE = Path(__file__).resolve().parents[2]
SEED_ISSUE = BASE / "newsletter" / "data" / "seed_issue.txt"


def today():
    return timezone.localdate()


def chinese(day: D) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- The rules, as a user meets them ------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """The range of a kind of date: its first and last allowed day and the
    message for a date after the last."""

    first: object  # () -> date
    last: object  # () -> date
    too_late: str  # the message after the label, formatted with the last day

    def early_message(self, label):
        return f"{label}不能早于 {chinese(self.first())}。"

    def late_message(self, label):
        return f"{label}{self.too_late.format(date=chinese(self.last()))}"


PAST = Rule(lambda: EARLIEST, today, "不能晚于今天。")
BIRTH = Rule(lambda: D(1900, 1, 1), today, "不能晚于今天。")
HIRE = Rule(lambda: D(1950, 1, 1), today, "不能晚于今天。")
YEAR = Rule(
    lambda: EARLIEST, lambda: years_from_today(1), "不能晚于一年以后（{date}）。"
)
TEN_YEARS = Rule(
    lambda: EARLIEST, lambda: years_from_today(10), "不能晚于 10 年以后（{date}）。"
)


# --- The forms ----------------------------------------------------------------------
#
# Each builder gets the fixture lookup and returns where to post, the data with the
# date put in, what the database holds of that date (compared before and after),
# and the page that shows the form (for min and max).


def _report(fx, field):
    kinds = fx("kinds")

    def data(day):
        values = {
            "title": "开展关爱困境儿童活动",
            "start_date": "2023-02-25",
            "end_date": "",
            "kind": kinds["宣传"].pk,
            "body": "社工站开展活动。",
        }
        if field == "start_date":
            values["start_date"] = day
        else:
            values["end_date"] = day
        return values

    return SimpleNamespace(
        url="/staff/reports/new/",
        data=data,
        stored=lambda: list(ActivityReport.objects.values_list(field, flat=True)),
        page="/staff/reports/new/",
    )


def _project(fx, field):
    net = fx("net")

    def data(day):
        values = {
            "title": "关爱困境儿童项目",
            "funder": "团市委公益创投",
            "station": net.a1.pk,
            "start_date": "2023-01-01",
            "end_date": "2023-12-31",
            field: day,
        }
        if field == "start_date" and day > "2023-12-31":
            values["end_date"] = day  # the end may not come before the start
        return values

    return SimpleNamespace(
        url="/staff/projects/new/",
        data=data,
        stored=lambda: list(Project.objects.values_list(field, flat=True)),
        page="/staff/projects/new/",
    )


def _session(fx, field):
    net, personas = fx("net"), fx("personas")
    training = _training(personas.reviewer, net.city_a, net.county_a1, "甲一区培训")
    return SimpleNamespace(
        url=f"/staff/trainings/{training.pk}/sessions/new/",
        data=lambda day: {"date": day, "topic": "督导", "hours": "2"},
        stored=lambda: list(TrainingSession.objects.values_list("date", flat=True)),
        page=f"/staff/trainings/{training.pk}/sessions/new/",
    )


def _beneficiary(fx, field):
    fx("categories")

    def data(day):
        values = {"name": "示例·赵六", "gender": "男", "opened_on": "2023-03-01"}
        values[field] = day
        return values

    return SimpleNamespace(
        url="/staff/beneficiaries/new/",
        data=data,
        stored=lambda: list(Beneficiary.objects.values_list(field, flat=True)),
        page="/staff/beneficiaries/new/",
    )


def _visit(fx, field):
    file = fx("file_a1")

    def data(day):
        values = {"date": "2023-03-02", "kind": "home", "follow_up_due": ""}
        values[field] = day
        return values

    return SimpleNamespace(
        url=f"/staff/beneficiaries/{file.pk}/visits/new/",
        data=data,
        stored=lambda: list(Visit.objects.values_list(field, flat=True)),
        page=f"/staff/beneficiaries/{file.pk}/",
    )


def _transfer(fx, field):
    net, file = fx("net"), fx("file_a1")
    return SimpleNamespace(
        url=f"/staff/beneficiaries/{file.pk}/transfer/",
        data=lambda day: {"to_station": net.a2.pk, "reason": "随父母迁居", "on": day},
        stored=lambda: list(BeneficiaryTransfer.objects.values_list("on", flat=True)),
        page=f"/staff/beneficiaries/{file.pk}/transfer/",
    )


def _case(fx, field):
    net, file = fx("net"), fx("file_a1")
    return SimpleNamespace(
        url=f"/staff/beneficiaries/{file.pk}/cases/new/",
        data=lambda day: {
            "title": "入学适应个案",
            "worker": net.worker_a1.pk,
            "opened_on": day,
        },
        stored=lambda: list(Case.objects.values_list("opened_on", flat=True)),
        page=f"/staff/beneficiaries/{file.pk}/cases/new/",
    )


def _case_close(fx, field):
    case = fx("case_a1")
    return SimpleNamespace(
        url=f"/staff/cases/{case.pk}/close/",
        data=lambda day: {"closed_on": day, "summary": "目标达成"},
        stored=lambda: list(Case.objects.values_list("closed_on", flat=True)),
        page=f"/staff/cases/{case.pk}/",
    )


def _case_note(fx, field):
    case = fx("case_a1")
    return SimpleNamespace(
        url=f"/staff/cases/{case.pk}/notes/new/",
        data=lambda day: {"date": day, "text": "面谈一次"},
        stored=lambda: list(CaseNote.objects.values_list("date", flat=True)),
        page=f"/staff/cases/{case.pk}/",
    )


def _referral(fx, field):
    case = fx("case_a1")
    return SimpleNamespace(
        url=f"/staff/cases/{case.pk}/referrals/new/",
        data=lambda day: {
            "referred_on": day,
            "partner_other": "某某助学基金会",
            "purpose": "助学",
        },
        stored=lambda: list(Referral.objects.values_list("referred_on", flat=True)),
        page=f"/staff/cases/{case.pk}/",
    )


def _station(fx, field):
    net = fx("net")
    return SimpleNamespace(
        url=f"/staff/stations/{net.a1b.pk}/edit/",
        data=lambda day: {
            "town": net.a1b.town.pk,
            "name": "",
            "address": "新镇大道 1 号",
            "phone": "0766-1234567",
            "opened_on": day,
        },
        stored=lambda: list(Station.objects.values_list("opened_on", flat=True)),
        page=f"/staff/stations/{net.a1b.pk}/edit/",
    )


def _point(fx, field):
    net = fx("net")
    village = factories.VillageFactory(town=net.a1.town, name="东村二")
    return SimpleNamespace(
        url=f"/staff/stations/{net.a1.pk}/points/new/",
        data=lambda day: {
            "name": "新村服务点",
            "village": village.pk,
            "address": "",
            "opened_on": day,
        },
        stored=lambda: list(ServicePoint.objects.values_list("opened_on", flat=True)),
        page=f"/staff/stations/{net.a1.pk}/points/new/",
    )


def _worker(fx, field):
    net = fx("net")
    return SimpleNamespace(
        url="/staff/workers/new/",
        data=lambda day: {
            "real_name": "新社工",
            "gender": SocialWorker.Gender.FEMALE,
            "station": net.a1.pk,
            "post_type": SocialWorker.PostType.SERVICE,
            "qualification": SocialWorker.Qualification.ASSISTANT,
            "hire_date": day,
            "phone": "",
            "status": SocialWorker.Status.ACTIVE,
        },
        stored=lambda: list(SocialWorker.objects.values_list("hire_date", flat=True)),
        page="/staff/workers/new/",
    )


def _standards(fx, field):
    net = fx("net")

    def data(day):
        values = {"checked_on": day, "note": "第一季度"}
        for value in Standard.values:
            values[f"{value}_met"] = "on"
        return values

    return SimpleNamespace(
        url=f"/staff/stations/{net.a1.pk}/standards/new/",
        data=data,
        stored=lambda: list(
            StandardsCheck.objects.values_list("checked_on", flat=True)
        ),
        page=f"/staff/stations/{net.a1.pk}/standards/new/",
    )


def _supervision(fx, field):
    net, personas = fx("net"), fx("personas")

    def data(day):
        values = {
            "visited_on": "2023-03-02",
            "supervisors": [personas.supervisor.pk],
            "findings": "设备不全",
            "follow_up_1": "配齐办公设备",
            # After any valid visit date, as a deadline must be.
            "follow_up_1_due": (today() + datetime.timedelta(days=30)).isoformat(),
        }
        values[field] = day
        return values

    model = SupervisionVisit if field == "visited_on" else FollowUpItem
    column = "visited_on" if field == "visited_on" else "due_on"
    return SimpleNamespace(
        url=f"/staff/stations/{net.a1.pk}/visits/new/",
        data=data,
        stored=lambda: list(model.objects.values_list(column, flat=True)),
        page=f"/staff/stations/{net.a1.pk}/visits/new/",
    )


def _assemble(fx, field):
    publication, approve = fx("publication"), fx("approve")
    # A report approved today: a valid range that reaches today assembles it.
    approve("a1", "开展禁毒宣传", today())

    def data(day):
        # The other end of the range is today, or the same day when that would
        # put the range the wrong way round: only ``field`` is out of range.
        if field == "start":
            start, end = day, max(D.fromisoformat(day), today()).isoformat()
        else:
            start, end = min(D.fromisoformat(day), today()).isoformat(), day
        return {"publication": publication.pk, "start": start, "end": end}

    return SimpleNamespace(
        url="/staff/issues/assemble/",
        data=data,
        stored=lambda: list(Issue.objects.values_list(f"period_{field}", flat=True)),
        page="/staff/issues/assemble/",
    )


def _issue_meta(fx, field):
    publication, personas = fx("publication"), fx("personas")
    issue = newsletter_services.issue_create(
        publication=publication, by=personas.editor
    )
    return SimpleNamespace(
        url=f"/staff/issues/{issue.pk}/meta/",
        data=lambda day: {"issue_date": day, "editor_note": ""},
        stored=lambda: list(Issue.objects.values_list("issue_date", flat=True)),
        page=f"/staff/issues/{issue.pk}/",
    )


def _legacy_import(fx, field):
    publication = fx("publication")

    def data(day):
        return {
            "publication": publication.pk,
            "file": SimpleUploadedFile("seed.txt", SEED_ISSUE.read_bytes()),
            "year": D.fromisoformat(day).year,
            "number": 3,
            "issue_date": day,
        }

    return SimpleNamespace(
        url="/staff/issues/import/",
        data=data,
        stored=lambda: list(Issue.objects.values_list("issue_date", flat=True)),
        page="/staff/issues/import/",
        # The upload only previews; the issue is written on confirmation.
        confirm="/staff/issues/import/confirm/",
    )


@dataclass(frozen=True)
class DateForm:
    build: object
    field: str
    label: str
    rule: Rule
    persona: str


FORMS = {
    "report start": DateForm(_report, "start_date", "开始日期", PAST, "worker"),
    "report end": DateForm(_report, "end_date", "结束日期", PAST, "worker"),
    "project start": DateForm(_project, "start_date", "开始日期", TEN_YEARS, "head"),
    "project end": DateForm(_project, "end_date", "结束日期", TEN_YEARS, "head"),
    "training session": DateForm(_session, "date", "日期", YEAR, "reviewer"),
    "beneficiary birth": DateForm(
        _beneficiary, "birth_date", "出生日期", BIRTH, "worker"
    ),
    "beneficiary opened": DateForm(
        _beneficiary, "opened_on", "建档日期", PAST, "worker"
    ),
    "visit": DateForm(_visit, "date", "日期", PAST, "worker"),
    "visit follow-up": DateForm(
        _visit, "follow_up_due", "跟进截止日期", TEN_YEARS, "worker"
    ),
    "transfer": DateForm(_transfer, "on", "转移日期", PAST, "worker"),
    "case opened": DateForm(_case, "opened_on", "开案日期", PAST, "worker"),
    "case closed": DateForm(_case_close, "closed_on", "结案日期", PAST, "worker"),
    "case note": DateForm(_case_note, "date", "服务日期", PAST, "worker"),
    "referral": DateForm(_referral, "referred_on", "转介日期", PAST, "worker"),
    "station opened": DateForm(_station, "opened_on", "启用日期", PAST, "reviewer"),
    "service point opened": DateForm(_point, "opened_on", "启用日期", PAST, "head"),
    "worker hired": DateForm(_worker, "hire_date", "入职日期", HIRE, "reviewer"),
    "standards check": DateForm(
        _standards, "checked_on", "检查日期", PAST, "supervisor"
    ),
    "supervision visit": DateForm(
        _supervision, "visited_on", "督导日期", PAST, "supervisor"
    ),
    "supervision follow-up": DateForm(
        _supervision, "follow_up_1_due", "完成期限", TEN_YEARS, "supervisor"
    ),
    "assembly start": DateForm(_assemble, "start", "起始日期", PAST, "editor"),
    "assembly end": DateForm(_assemble, "end", "截止日期", YEAR, "editor"),
    "issue date": DateForm(_issue_meta, "issue_date", "出刊日期", YEAR, "editor"),
    "legacy issue date": DateForm(
        _legacy_import, "issue_date", "出刊日期", PAST, "editor"
    ),
}


@pytest.fixture
def target(request, personas, login):
    """The form under test, built, with a client logged in as its persona."""

    def _target(name):
        form = FORMS[name]
        built = form.build(request.getfixturevalue, form.field)
        client = login(getattr(personas, form.persona))
        return form, built, client

    return _target


def _post(client, built, day: D):
    return client.post(built.url, built.data(day.isoformat()), follow=True)


def _text(response) -> str:
    assert response.status_code < 500
    return response.content.decode()


@pytest.mark.parametrize("name", FORMS)
def test_date_before_the_range_is_refused_and_changes_nothing(target, name):
    form, built, client = target(name)
    before = built.stored()
    too_early = form.rule.first() - ONE_DAY
    page = _text(_post(client, built, too_early))
    assert form.rule.early_message(form.label) in page
    assert built.stored() == before


@pytest.mark.parametrize("name", FORMS)
def test_date_after_the_range_is_refused_and_changes_nothing(target, name):
    form, built, client = target(name)
    before = built.stored()
    too_late = form.rule.last() + ONE_DAY
    page = _text(_post(client, built, too_late))
    assert form.rule.late_message(form.label) in page
    assert built.stored() == before


@pytest.mark.parametrize("name", FORMS)
def test_date_at_the_edge_of_the_range_is_saved(target, name):
    form, built, client = target(name)
    # The inner end of the range: today for what has happened, the last
    # allowed day for what is planned, the first for births and hires.
    edge = form.rule.first() if form.rule in (BIRTH, HIRE) else form.rule.last()
    response = _post(client, built, edge)
    if getattr(built, "confirm", None):
        token = response.context["token"]
        response = client.post(built.confirm, {"token": token}, follow=True)
    _text(response)
    assert edge in built.stored()


@pytest.mark.parametrize("name", FORMS)
def test_date_input_offers_only_the_range(target, name):
    form, built, client = target(name)
    page = _text(client.get(built.page))
    [tag] = re.findall(rf'<input[^>]*name="{form.field}"[^>]*>', page)
    assert f'min="{form.rule.first().isoformat()}"' in tag
    assert f'max="{form.rule.last().isoformat()}"' in tag


# --- Birth dates, the setting, the services -------------------------------------------


def test_birth_date_goes_back_to_1900_and_no_further(login, personas, categories):
    client = login(personas.worker)
    data = {"name": "示例·老人", "gender": "女", "opened_on": "2023-03-01"}
    refused = client.post(
        "/staff/beneficiaries/new/", {**data, "birth_date": "1899-12-31"}
    )
    assert "出生日期不能早于 1900年1月1日。" in refused.content.decode()
    assert not Beneficiary.objects.exists()
    client.post("/staff/beneficiaries/new/", {**data, "birth_date": "1900-01-01"})
    assert Beneficiary.objects.get().birth_date == D(1900, 1, 1)


def test_the_setting_moves_the_earliest_date(settings, login, personas, case_a1):
    settings.PORTAL_EARLIEST_DATE = D(2020, 1, 1)
    client = login(personas.worker)
    url = f"/staff/cases/{case_a1.pk}/notes/new/"
    page = client.post(url, {"date": "2019-12-31", "text": "面谈"}, follow=True)
    assert "服务日期不能早于 2020年1月1日。" in page.content.decode()
    assert not CaseNote.objects.exists()
    client.post(url, {"date": "2020-01-01", "text": "面谈"})
    assert CaseNote.objects.get().date == D(2020, 1, 1)
    page = client.get(f"/staff/cases/{case_a1.pk}/").content.decode()
    assert 'min="2020-01-01"' in page
    # Dates before 2020 that were fine under the default are refused now too.
    with pytest.raises(ValidationError) as caught:
        case_services.referral_add(
            case=case_a1,
            by=personas.worker,
            purpose="助学",
            partner_other="某某助学基金会",
            referred_on=D(2015, 6, 1),
        )
    assert caught.value.message_dict["referred_on"] == [
        "转介日期不能早于 2020年1月1日。"
    ]


def test_services_refuse_out_of_range_dates_whoever_calls_them(personas, net):
    far = D(2999, 12, 31)
    with pytest.raises(ValidationError) as caught:
        quality_services.supervision_visit_record(
            station=net.a1,
            by=personas.supervisor,
            visited_on=D(2023, 3, 2),
            supervisors=[personas.supervisor],
            follow_ups=[{"description": "配齐办公设备", "due_on": far}],
        )
    assert "完成期限不能晚于 10 年以后" in caught.value.message_dict["due_on"][0]
    assert not SupervisionVisit.objects.exists()


# --- Spreadsheet imports ----------------------------------------------------------


def test_report_import_refuses_out_of_range_dates_row_by_row(net, personas, kinds):
    tomorrow = (today() + ONE_DAY).isoformat()
    rows = [
        row(**{"标题": "好的一行"}),
        row(**{"标题": "太早", "开始日期": "1999-12-31"}),
        row(**{"标题": "太晚", "开始日期": "2023-03-01", "结束日期": tomorrow}),
    ]
    dataset = read_dataset("reports.csv", csv_bytes(rows, HEADERS))
    report = import_reports(dataset, user=personas.reviewer, dry_run=False)
    errors = {r.line: r.errors for r in report.error_rows}
    assert errors == {
        3: ["开始日期：开始日期不能早于 2000年1月1日。"],
        4: ["结束日期：结束日期不能晚于今天。"],
    }
    # All or nothing: the good row waits for the file to be corrected.
    assert not ActivityReport.objects.exists()


def test_beneficiary_import_refuses_out_of_range_dates_row_by_row(login, personas, net):
    tomorrow = (today() + ONE_DAY).isoformat()
    rows = [
        "姓名,性别,出生日期,建档日期",
        "示例·好,男,1900-01-01,2023-01-01",
        "示例·早,男,1899-12-31,2023-01-01",
        f"示例·晚,女,2015-01-01,{tomorrow}",
    ]
    upload = SimpleUploadedFile(
        "files.csv", "\n".join(rows).encode("utf-8-sig"), content_type="text/csv"
    )
    response = login(personas.worker).post(
        "/staff/beneficiaries/import/", {"file": upload}
    )
    assert response.status_code == 400
    report = response.context["report"]
    errors = {r.line: r.errors for r in report.rows if r.errors}
    assert errors == {
        3: ["出生日期：出生日期不能早于 1900年1月1日。"],
        4: ["建档日期：建档日期不能晚于今天。"],
    }
    assert "token" not in response.context
    assert not Beneficiary.objects.exists()
