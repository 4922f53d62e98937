"""A report sent back and submitted again: what it said when it was returned is
kept, the review queue marks it 再次提交, and its page shows those who review it
what changed since, marked up so that the change reads without colour."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from activities import services
from activities.models import ActivityReport, ReportReviewSnapshot
from activities.review_changes import report_changes
from tests.activities.test_report_detail_view import add_photo

BODY = "社工站开展关爱活动。\n一、开展安全教育\n活动中，社工讲解安全知识。"


@pytest.fixture
def returned(personas, net, make_report, villages):
    report = make_report(
        personas.worker,
        net.a1,
        title="东镇开展关爱活动",
        body=BODY,
        village=villages["dongcun"],
        status="returned",
        reviewer=personas.reviewer,
    )
    add_photo(report, personas.worker, 1, caption="社工讲解")
    return report


def _edit(report, by, **fields):
    report = ActivityReport.objects.get(pk=report.pk)
    for name, value in fields.items():
        setattr(report, name, value)
    return services.report_update(report=report, by=by)


def _resubmit(report, by, **fields):
    _edit(report, by, **fields)
    report = ActivityReport.objects.get(pk=report.pk)
    services.report_submit(report=report, by=by)
    return report


def _changes_section(html):
    match = re.search(r'<section class="review-changes".*?</section>', html, re.S)
    return match.group(0) if match else None


# --- The snapshot ----------------------------------------------------------------


def test_return_keeps_what_the_report_said(returned, personas):
    snapshot = ReportReviewSnapshot.objects.get(report=returned)
    assert snapshot.transition.action == "return"
    assert snapshot.transition.comment == "请补充活动照片"
    fields = snapshot.content["fields"]
    assert fields["title"] == "东镇开展关爱活动"
    assert fields["place"] == "东镇东村"
    assert fields["villages"] == "东镇东村"
    assert fields["person_times"] == "21"
    assert fields["dates"] == "2023年2月25日"
    assert snapshot.content["body"] == BODY.splitlines()
    # The photo was added after the return: the snapshot is what was returned.
    assert snapshot.content["captions"] == []


def test_withdrawal_keeps_a_snapshot_too(personas, net, make_report):
    report = make_report(
        personas.worker, net.a1, status="approved", reviewer=personas.reviewer
    )
    services.report_withdraw(report=report, by=personas.reviewer, comment="数字有误")
    snapshot = ReportReviewSnapshot.objects.get(report=report)
    assert snapshot.transition.action == "withdraw"


def test_approval_and_comments_keep_no_snapshot(personas, net, make_report):
    report = make_report(
        personas.worker, net.a1, status="approved", reviewer=personas.reviewer
    )
    services.report_comment(report=report, by=personas.supervisor, comment="很好")
    assert not ReportReviewSnapshot.objects.filter(report=report).exists()


def test_a_refused_return_keeps_nothing(personas, net, make_report):
    report = make_report(personas.worker, net.a1, status="submitted")
    with pytest.raises(ValidationError):
        services.report_return(report=report, by=personas.reviewer, comment="  ")
    assert not ReportReviewSnapshot.objects.exists()


# --- The queue --------------------------------------------------------------------


def test_queue_marks_a_resubmitted_report(login, returned, personas, net, make_report):
    first = make_report(personas.worker, net.a1, status="submitted", title="初次提交")
    _resubmit(returned, personas.worker, title="东镇开展关爱活动（修改）")
    html = login(personas.reviewer).get("/staff/review/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    by_title = {
        strip_tags(re.search(r"<a [^>]*>(.*?)</a>", row).group(1)): row
        for row in rows
        if "<a " in row
    }
    assert "再次提交" in by_title["东镇开展关爱活动（修改）"]
    assert f'href="/staff/reports/{returned.pk}/#changes-title"' in html
    assert "再次提交" not in by_title[first.title]


# --- The diff on the report page ----------------------------------------------------


def test_reviewer_sees_what_changed_since_the_return(login, returned, personas):
    add_photo(returned, personas.worker, 2, caption="合影")
    _resubmit(
        returned,
        personas.worker,
        title="东镇开展关爱困境儿童活动",
        person_times=25,
        body=BODY.replace("讲解安全知识", "讲解防溺水知识") + "\n活动受到家长好评。",
    )
    html = (
        login(personas.reviewer).get(f"/staff/reports/{returned.pk}/").content.decode()
    )
    section = _changes_section(html)
    assert section is not None
    assert "再次提交：自上次退回以来的修改" in section
    assert "请补充活动照片" in section  # the comment it answers
    text = re.sub(r"\s+", "", strip_tags(section))
    # Each change named in words, not only by colour.
    assert "标题修改" in text and "服务人次修改" in text
    assert "第3段修改" in text and "第4段新增" in text
    assert "照片张数修改" in text
    assert "第1张照片的说明新增" in text and "第2张照片的说明新增" in text
    # Inserted and deleted text inside <ins>/<del>, labelled for screen readers.
    assert re.search(r"<del><span class=\"visually-hidden\">［删除：</span>21", section)
    assert re.search(r"<ins><span class=\"visually-hidden\">［新增：</span>25", section)
    assert '<ins><span class="visually-hidden">［新增：</span>困境儿童' in section
    assert '<del><span class="visually-hidden">［删除：</span>安全' in section
    assert "其余2段未改动" in text
    # Unchanged fields are not listed.
    assert "活动日期" not in section


def test_unchanged_resubmission_says_so(login, returned, personas):
    _resubmit(returned, personas.worker)
    # The photo added after the return is the only change.
    html = (
        login(personas.reviewer).get(f"/staff/reports/{returned.pk}/").content.decode()
    )
    section = _changes_section(html)
    assert "照片张数" in section and "共 2 处修改" in section


def test_text_of_the_report_is_escaped_in_the_diff():
    before = {"fields": {"title": "<b>标题</b>"}, "body": [], "captions": []}
    after = {"fields": {"title": "<b>新标题</b>"}, "body": [], "captions": []}
    html = str(report_changes(before, after).fields[0].html)
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_no_diff_before_resubmission_or_after_the_decision(login, returned, personas):
    client = login(personas.reviewer)
    html = client.get(f"/staff/reports/{returned.pk}/").content.decode()
    assert _changes_section(html) is None  # returned, not yet submitted again
    report = _resubmit(returned, personas.worker, title="改过的标题")
    services.report_approve(report=report, by=personas.reviewer)
    html = client.get(f"/staff/reports/{returned.pk}/").content.decode()
    assert _changes_section(html) is None


@pytest.mark.parametrize(
    ("persona", "status", "sees_diff"),
    [
        ("reviewer", 200, True),
        ("editor", 200, True),
        ("supervisor", 200, True),
        ("superuser", 200, True),
        # The author reads the report but has the reviewer's comment already.
        ("worker", 200, False),
        ("head", 200, False),
        ("other_worker", 404, False),
        ("other_reviewer", 404, False),
        ("other_editor", 404, False),
        ("nobody", 403, False),  # no role: no staff page at all
    ],
)
def test_who_sees_the_review_page_and_its_diff(
    login, returned, personas, persona, status, sees_diff
):
    _resubmit(returned, personas.worker, title="改过的标题")
    response = login(getattr(personas, persona)).get(f"/staff/reports/{returned.pk}/")
    assert response.status_code == status
    if status == 200:
        assert (_changes_section(response.content.decode()) is not None) is sees_diff
        if not sees_diff:
            assert "改过的标题" in response.content.decode()


def test_queue_and_page_for_anonymous_go_to_login(client, returned):
    for url in ("/staff/review/", f"/staff/reports/{returned.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_diff_costs_no_query_of_its_own(
    login, returned, personas, django_assert_num_queries
):
    client = login(personas.reviewer)
    _resubmit(returned, personas.worker, title="改过的标题")
    # 12 = session + user + scope + the report with its units, place, kind and
    # author + its categories, partners, villages reached with their towns,
    # photos and history (with the snapshot each step kept, joined; no project)
    # + the count of beneficiaries whose attendance is recorded + the town's
    # village count + the trainings linked to it. The diff reads the history
    # and lists as loaded.
    with django_assert_num_queries(12):
        small = client.get(f"/staff/reports/{returned.pk}/")
    assert "标题" in _changes_section(small.content.decode())
    # Sent back and resubmitted twice more, with ten paragraphs changed.
    report = ActivityReport.objects.get(pk=returned.pk)
    services.report_return(report=report, by=personas.reviewer, comment="再改")
    long_body = "\n".join(f"第{n}段原文。" for n in range(10))
    report = _resubmit(report, personas.worker, body=long_body)
    services.report_return(report=report, by=personas.reviewer, comment="还要改")
    _resubmit(report, personas.worker, body=long_body.replace("原文", "改写后的文字"))
    with django_assert_num_queries(12):
        large = client.get(f"/staff/reports/{returned.pk}/")
    section = _changes_section(large.content.decode())
    assert "还要改" in section  # the latest return, not the first
    assert "第10段" in section
