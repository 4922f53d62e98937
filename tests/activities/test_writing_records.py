"""Figures for writing against the records: a report's counts and the villages
it reached out of its town's, its project's progress and its trainings; and
where the checks show (report page, project page, the check page)."""

import datetime

import pytest

from activities import services
from activities.models import Training
from activities.writing import text_figure_checks
from stations.models import Village
from tests import factories
from tests.activities.project_helpers import _project
from tests.activities.test_writing_parse import SEED_PROJECT, SEED_TRAINING

D = datetime.date


@pytest.fixture
def fourteen(net):
    """Fourteen villages in station a1's town (its service point's is one)."""
    for n in range(13):
        factories.VillageFactory(town=net.a1.town, name=f"平台{n:02d}村")
    own = list(Village.objects.filter(town=net.a1.town).order_by("pk"))
    assert len(own) == 14
    return own


@pytest.fixture
def seed_report(net, personas, fourteen, file_report):
    """The seed's mid-term article as a station report reaching 8 of the 14
    villages, linked to its project, with the seed's counts."""
    project = _project(personas.head, net.a1, target_activities=5, target_cases=2)
    report = file_report(
        personas.worker,
        net.a1,
        "项目",
        D(2023, 2, 25),
        reviewer=personas.reviewer,
        reached=fourteen[:8],
        title="平台镇社工站项目中期总结",
        body=SEED_PROJECT,
        person_times=1057,
        households=152,
        persons=18,
    )
    services.project_link_report(project=project, report=report, by=personas.head)
    report.refresh_from_db()
    return report


def _by_text(checks):
    return {m.text: m for m in checks.mentions}


def test_the_seed_coverage_claim_is_flagged_against_8_of_14(seed_report):
    checks = text_figure_checks(seed_report.body, report=seed_report)
    mentions = _by_text(checks)
    assert mentions["60%"].status == "contradiction"
    assert mentions["60%"].message == "正文写 60%，记录为 8/14 = 57%"
    assert "60%" in [m.text for m in checks.contradictions]
    # What the records support, shown beside the text.
    shown = {(r.label, r.display) for r in checks.records}
    assert ("村（居）覆盖率", "8/14 = 57%") in shown
    assert ("覆盖的村（居）", "8个村（居）") in shown


def test_the_seed_figures_the_records_hold_are_supported(seed_report):
    mentions = _by_text(text_figure_checks(seed_report.body, report=seed_report))
    for text in ("14条行政村", "8条行政村", "1057人次", "18人"):
        assert mentions[text].status == "supported", text
    # 5 activities and 2 cases: the project has one linked report, no case.
    assert mentions["5场"].status == "contradiction"
    assert mentions["5场"].record.display == "1场"
    assert mentions["个案2个"].status == "contradiction"
    # Partial figures no record covers are left to the editor.
    assert mentions["952人次"].status == "unverified"
    assert mentions["3户"].status == "unverified"


def test_a_corrected_text_has_no_contradiction(seed_report):
    text = "平台镇14条行政村中共8条行政村已覆盖，覆盖率达57%，项目活动人次达1057人次。"
    checks = text_figure_checks(text, report=seed_report)
    assert checks.contradictions == []
    assert len(checks.supported) == 4


def test_a_training_linked_to_the_report_supports_the_seed_training_text(
    series, net, personas, file_report
):
    training, _sessions, _workers = series
    report = file_report(
        personas.editor,
        net.city_a,
        "培训",
        D(2023, 2, 28),
        reviewer=personas.editor,
        body=SEED_TRAINING,
    )
    training.report = report
    services.training_update(training=training, by=personas.editor)
    checks = text_figure_checks(report.body, report=report)
    # The series has 3 sessions, 5 trainees, 8 sign-ins and 18 hours: the seed's
    # 5 期, 465 人, 390 小时 and 3260 人次 all contradict this small series.
    assert {m.text: m.record.display for m in checks.contradictions} == {
        "5期": "3期",
        "465人": "5人",
        "390小时": "18小时",
        "3260人次": "8人次",
    }
    assert Training.objects.filter(report=report).count() == 1


def test_project_records_alone(seed_report):
    project = seed_report.project
    checks = text_figure_checks("目前开展活动1场，服务1057人次。", project=project)
    assert [m.status for m in checks.mentions] == ["supported", "supported"]


def test_report_page_flags_the_contradiction(login, personas, seed_report):
    response = login(personas.reviewer).get(f"/staff/reports/{seed_report.pk}/")
    html = response.content.decode()
    assert "正文写 60%，记录为 8/14 = 57%" in html
    assert "数字核对" in html
    assert f"/staff/stats/figures/?report={seed_report.pk}" in html


def test_project_page_shows_the_figures_its_records_support(
    login, personas, seed_report
):
    project = seed_report.project
    response = login(personas.head).get(f"/staff/projects/{project.pk}/")
    html = response.content.decode()
    assert "8/14 = 57%" in html
    assert f"/staff/stats/figures/?project={project.pk}" in html


# --- The check page -----------------------------------------------------------------


def test_check_page_checks_pasted_text_against_a_report(login, personas, seed_report):
    client = login(personas.editor)
    url = "/staff/stats/figures/"
    response = client.get(url, {"report": seed_report.pk})
    assert response.status_code == 200
    assert "8/14 = 57%" in response.content.decode()  # the records, before any text
    response = client.post(url, {"report": seed_report.pk, "text": "覆盖率达60%"})
    assert "正文写 60%，记录为 8/14 = 57%" in response.content.decode()


def test_check_page_against_a_project(login, personas, seed_report):
    response = login(personas.head).post(
        "/staff/stats/figures/",
        {"project": seed_report.project_id, "text": "覆盖率达60%"},
    )
    assert "正文写 60%，记录为 8/14 = 57%" in response.content.decode()


@pytest.mark.parametrize("persona", ["other_worker", "other_reviewer", "other_editor"])
def test_check_page_of_a_report_out_of_scope_is_404(
    login, personas, seed_report, persona
):
    client = login(getattr(personas, persona))
    response = client.get("/staff/stats/figures/", {"report": seed_report.pk})
    assert response.status_code == 404
    response = client.post(
        "/staff/stats/figures/", {"project": seed_report.project_id, "text": "1人"}
    )
    assert response.status_code == 404


def test_check_page_refuses_the_public_and_roleless(client, login, personas):
    response = client.get("/staff/stats/figures/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(personas.nobody).get("/staff/stats/figures/").status_code == 403


def test_check_page_bad_input_is_a_message_not_an_error(login, personas, seed_report):
    client = login(personas.worker)
    response = client.post("/staff/stats/figures/", {"text": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    response = client.post(
        "/staff/stats/figures/", {"report": "abc", "text": "x" * 20001}
    )
    assert response.status_code == 200
    assert "20000" in response.content.decode()
    response = client.post("/staff/stats/figures/", {"text": "共走访12个村"})
    assert "12个村" in response.content.decode()


def test_the_coverage_meant_is_the_one_whose_total_the_text_gives(
    net, personas, file_report
):
    """As in the demo: the town has only the 8 villages the seed names (8 of 8 =
    100% for the report), the project's target is 14 (8 of 14 = 57%). The text
    gives 14 as the total, so its 60% is checked against the project's."""
    eight = [factories.VillageFactory(town=net.a1.town) for _ in range(7)]
    eight.append(Village.objects.get(points=net.point_a1))
    project = _project(personas.head, net.a1, target_villages=14)
    report = file_report(
        personas.worker,
        net.a1,
        "项目",
        D(2023, 2, 25),
        reviewer=personas.reviewer,
        reached=eight,
        body=SEED_PROJECT,
        person_times=1057,
    )
    services.project_link_report(project=project, report=report, by=personas.head)
    report.refresh_from_db()
    mentions = _by_text(text_figure_checks(report.body, report=report))
    assert mentions["14条行政村"].record.label == "项目计划的村（居）总数"
    assert mentions["60%"].message == "正文写 60%，记录为 8/14 = 57%"
    # Without the total in the text, two coverages (100% and 57%) could be
    # meant: the number is left for the editor rather than flagged wrongly.
    checks = text_figure_checks("覆盖率达60%。", report=report)
    assert checks.mentions[0].status == "unverified"
