"""The report workflow (DESIGN.md §4, §5): every transition by every role, through
the services and through the staff pages; the history; the e-mails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services
from activities.models import ActivityReport, ReportTransition, Status

Action = ReportTransition.Action

PERSONAS = [
    "worker",
    "head",
    "other_worker",
    "supervisor",
    "reviewer",
    "other_reviewer",
    "editor",
    "other_editor",
    "nobody",
    "superuser",
]
ACTIONS = ["submit", "approve", "return", "withdraw", "comment"]
DECIDERS = {
    # A station report is decided by its county's reviewer or the city editor.
    "station": {"reviewer", "editor", "superuser"},
    # County- and city-bureau reports only by the city editor.
    "county": {"editor", "superuser"},
    "city": {"editor", "superuser"},
}
ALLOWED = {
    ("station", "submit"): {"worker", "head", "superuser"},
    ("station", "comment"): {"supervisor", "reviewer", "editor", "superuser"},
    ("county", "submit"): {"reviewer", "superuser"},
    ("county", "comment"): {"editor", "superuser"},
    ("city", "submit"): {"editor", "superuser"},
    ("city", "comment"): {"editor", "superuser"},
}
for _level, _deciders in DECIDERS.items():
    for _action in ("approve", "return", "withdraw"):
        ALLOWED[(_level, _action)] = _deciders

# The state a report must be in for the action, and the state it leaves it in.
STARTS = {
    "submit": "draft",
    "approve": "submitted",
    "return": "submitted",
    "withdraw": "approved",
    "comment": "submitted",
}
ENDS = {
    "submit": Status.SUBMITTED,
    "approve": Status.APPROVED,
    "return": Status.RETURNED,
    "withdraw": Status.RETURNED,
    "comment": Status.SUBMITTED,
}
RECORDED = {
    "submit": Action.SUBMIT,
    "approve": Action.APPROVE,
    "return": Action.RETURN,
    "withdraw": Action.WITHDRAW,
    "comment": Action.COMMENT,
}
SERVICES = {
    "submit": services.report_submit,
    "approve": services.report_approve,
    "return": services.report_return,
    "withdraw": services.report_withdraw,
    "comment": services.report_comment,
}


@pytest.fixture
def report_at(net, personas, make_report):
    """report_at(level, status): a report filed by the unit's own filer (a1's worker,
    A1's reviewer as the county bureau, A's editor as the city bureau)."""
    filers = {
        "station": (personas.worker, net.a1, personas.reviewer),
        "county": (personas.reviewer, net.county_a1, personas.editor),
        "city": (personas.editor, net.city_a, personas.editor),
    }

    def _at(level, status):
        by, unit, decider = filers[level]
        return make_report(by, unit, status=status, reviewer=decider)

    return _at


def _history(report):
    return list(
        ReportTransition.objects.filter(report=report)
        .order_by("at", "pk")
        .values_list("action", "from_status", "to_status", "by__username", "comment")
    )


def _call(action, report, user):
    kwargs = {} if action == "submit" else {"comment": "请补充活动照片"}
    return SERVICES[action](report=report, by=user, **kwargs)


# --- The matrix, through the services -------------------------------------------------


@pytest.mark.parametrize("level", ["station", "county", "city"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_service_matrix(personas, report_at, level, action, persona):
    report = report_at(level, STARTS[action])
    before = _history(report)
    user = getattr(personas, persona)
    if persona in ALLOWED[(level, action)]:
        _call(action, report, user)
        report.refresh_from_db()
        assert report.status == ENDS[action]
        step = _history(report)[-1]
        assert step[0] == RECORDED[action]
        assert step[3] == user.username
    else:
        with pytest.raises(PermissionDenied):
            _call(action, report, user)
        report.refresh_from_db()
        assert report.status == STARTS[action]
        assert _history(report) == before


# --- The matrix, through the staff pages ------------------------------------------------


@pytest.mark.parametrize("level", ["station", "county", "city"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_view_matrix(personas, login, report_at, level, action, persona):
    report = report_at(level, STARTS[action])
    before = _history(report)
    user = getattr(personas, persona)
    response = login(user).post(
        f"/staff/reports/{report.pk}/{action}/", {"comment": "请补充活动照片"}
    )
    report.refresh_from_db()
    if persona in ALLOWED[(level, action)]:
        assert response.status_code == 302
        assert response["Location"] == f"/staff/reports/{report.pk}/"
        assert report.status == ENDS[action]
        assert _history(report)[-1][:4] == (
            RECORDED[action],
            STARTS[action],
            ENDS[action],
            user.username,
        )
    else:
        # A report out of the user's scope, or one they may read but not act on,
        # is a 404 (ids leak nothing); a user with no role at all is refused
        # every staff page with 403.
        assert response.status_code == (403 if persona == "nobody" else 404)
        assert report.status == STARTS[action]
        assert _history(report) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_is_sent_to_login(client, report_at, action):
    report = report_at("station", STARTS[action])
    response = client.post(f"/staff/reports/{report.pk}/{action}/", {"comment": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    report.refresh_from_db()
    assert report.status == STARTS[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refuse_get(login, personas, report_at, action):
    report = report_at("station", STARTS[action])
    response = login(personas.superuser).get(f"/staff/reports/{report.pk}/{action}/")
    assert response.status_code == 405


# --- The rules of each transition -------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_return_without_comment_is_refused(
    login, personas, report_at, comment, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("station", "submitted")
    before = _history(report)
    client = login(personas.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/reports/{report.pk}/return/", {"comment": comment}, follow=True
        )
    assert response.status_code == 200
    assert "请填写退回或撤回的理由" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert _history(report) == before
    assert mailoutbox == []


def test_return_without_comment_is_refused_by_the_service(personas, report_at):
    report = report_at("station", "submitted")
    with pytest.raises(ValidationError) as info:
        services.report_return(report=report, by=personas.reviewer, comment=" ")
    assert "理由" in info.value.messages[0]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_withdraw_without_comment_is_refused(login, personas, report_at):
    report = report_at("station", "approved")
    response = login(personas.reviewer).post(
        f"/staff/reports/{report.pk}/withdraw/", {"comment": ""}, follow=True
    )
    assert "请填写退回或撤回的理由" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.APPROVED


def test_withdraw_after_publication_is_refused(login, personas, report_at):
    report = report_at("station", "approved")
    # The newsletter sets published_at when an issue carrying the report is
    # published; that service is not ours, so the test sets the field itself.
    ActivityReport.objects.filter(pk=report.pk).update(
        published_at=datetime.datetime(2023, 3, 31, tzinfo=datetime.UTC)
    )
    before = _history(report)
    response = login(personas.reviewer).post(
        f"/staff/reports/{report.pk}/withdraw/", {"comment": "数字有误"}, follow=True
    )
    assert response.status_code == 200
    assert "已在已发布的简报中刊登，不能撤回" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert report.approved_by == personas.reviewer
    assert _history(report) == before
    # And the page no longer offers it.
    page = login(personas.reviewer).get(f"/staff/reports/{report.pk}/")
    assert f"/staff/reports/{report.pk}/withdraw/" not in page.content.decode()


@pytest.mark.parametrize(
    ("action", "start"),
    [
        ("submit", "submitted"),
        ("submit", "approved"),
        ("approve", "draft"),
        ("approve", "approved"),
        ("approve", "returned"),
        ("return", "draft"),
        ("return", "approved"),
        ("withdraw", "submitted"),
        ("withdraw", "returned"),
    ],
)
def test_transition_from_wrong_state_is_refused(
    login, personas, report_at, action, start
):
    report = report_at("station", start)
    before = _history(report)
    user = personas.worker if action == "submit" else personas.reviewer
    response = login(user).post(
        f"/staff/reports/{report.pk}/{action}/", {"comment": "再看看"}, follow=True
    )
    assert response.status_code == 200
    assert "报告当前状态为" in response.content.decode()
    report.refresh_from_db()
    assert report.status == start
    assert _history(report) == before


def test_submit_without_body_is_refused(login, personas, net, make_report):
    report = make_report(personas.worker, net.a1, body="")
    response = login(personas.worker).post(
        f"/staff/reports/{report.pk}/submit/", follow=True
    )
    assert "正文不能为空" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_comment_without_text_is_refused(login, personas, report_at):
    report = report_at("station", "submitted")
    before = _history(report)
    response = login(personas.supervisor).post(
        f"/staff/reports/{report.pk}/comment/", {"comment": " "}, follow=True
    )
    assert "评论不能为空" in response.content.decode()
    assert _history(report) == before


def test_too_long_comment_is_refused(login, personas, report_at):
    report = report_at("station", "submitted")
    response = login(personas.reviewer).post(
        f"/staff/reports/{report.pk}/return/", {"comment": "长" * 2001}, follow=True
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_supervisor_comment_changes_nothing_but_the_history(login, personas, report_at):
    report = report_at("station", "submitted")
    login(personas.supervisor).post(
        f"/staff/reports/{report.pk}/comment/", {"comment": "建议补充服务对象反馈"}
    )
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert _history(report)[-1] == (
        Action.COMMENT,
        "submitted",
        "submitted",
        "sam",
        "建议补充服务对象反馈",
    )


# --- A full round: returned, edited, resubmitted, approved -----------------------------


def _form_data(report, **changes):
    data = {
        "title": report.title,
        "subtitle": report.subtitle,
        "start_date": report.start_date.isoformat(),
        "end_date": "",
        "place_text": report.place_text,
        "kind": report.kind_id,
        "body": report.body,
        "person_times": report.person_times or "",
    }
    data.update(changes)
    return data


def test_returned_report_round_trip(login, personas, net, report_at):
    report = report_at("station", "submitted")
    reviewer = login(personas.reviewer)
    reviewer.post(
        f"/staff/reports/{report.pk}/return/",
        {"comment": "请补充活动照片和服务人数"},
    )

    # The author sees why it came back, prominently, on the report page.
    author = login(personas.worker)
    page = author.get(f"/staff/reports/{report.pk}/").content.decode()
    note = page.split('class="returned-note"', 1)[1].split("</section>", 1)[0]
    assert "请补充活动照片和服务人数" in note
    assert "carol" in note
    assert f"/staff/reports/{report.pk}/edit/" in page
    assert "重新提交审核" in page

    # The author edits and resubmits.
    response = author.post(
        f"/staff/reports/{report.pk}/edit/",
        _form_data(report, body="已补充。\n一、活动内容\n共服务 15 人。", persons="15"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert report.persons == 15
    author.post(f"/staff/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED

    # The note is gone once the report is back in review.
    page = author.get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'class="returned-note"' not in page

    reviewer = login(personas.reviewer)
    reviewer.post(f"/staff/reports/{report.pk}/approve/", {"comment": "很好"})
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert report.approved_by == personas.reviewer

    assert _history(report) == [
        (Action.CREATE, "", "draft", "alice", ""),
        (Action.SUBMIT, "draft", "submitted", "alice", ""),
        (Action.RETURN, "submitted", "returned", "carol", "请补充活动照片和服务人数"),
        (Action.SUBMIT, "returned", "submitted", "alice", ""),
        (Action.APPROVE, "submitted", "approved", "carol", "很好"),
    ]

    # The page lists every step with who did it and what they said.
    page = login(personas.worker).get(f"/staff/reports/{report.pk}/").content.decode()
    history = page.split('class="history"', 1)[1].split("</ol>", 1)[0]
    assert history.count("<li") == 5
    for text in (
        "创建",
        "提交审核",
        "退回修改",
        "审核通过",
        "请补充活动照片和服务人数",
    ):
        assert text in history
    assert history.count("alice") == 3
    assert history.count("carol") == 2
    assert "待审核 → 已退回" in history


def test_withdrawn_report_shows_why_to_its_author(login, personas, report_at):
    report = report_at("station", "approved")
    login(personas.editor).post(
        f"/staff/reports/{report.pk}/withdraw/", {"comment": "服务人数与附件不符"}
    )
    page = login(personas.head).get(f"/staff/reports/{report.pk}/").content.decode()
    note = page.split('class="returned-note"', 1)[1].split("</section>", 1)[0]
    assert "服务人数与附件不符" in note
    assert "撤回" in note
    report.refresh_from_db()
    assert report.approved_at is None and report.approved_by is None


def test_returned_note_is_for_those_who_fix_it(login, personas, report_at):
    report = report_at("station", "returned")
    page = login(personas.supervisor).get(f"/staff/reports/{report.pk}/")
    assert 'class="returned-note"' not in page.content.decode()
    # They still find the comment in the history.
    assert "请补充活动照片" in page.content.decode()


# --- Another station's report: 404 for reading and writing ---------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "approved"])
def test_worker_of_other_station_gets_404(login, personas, net, make_report, status):
    report = make_report(
        personas.worker, net.a1, status=status, reviewer=personas.editor
    )
    before = _history(report)
    client = login(personas.other_worker)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
    assert client.get(f"/staff/reports/{report.pk}/edit/").status_code == 404
    response = client.post(
        f"/staff/reports/{report.pk}/edit/", _form_data(report, title="改掉")
    )
    assert response.status_code == 404
    assert client.post(f"/staff/reports/{report.pk}/submit/").status_code == 404
    report.refresh_from_db()
    assert report.title != "改掉"
    assert report.status == status
    assert _history(report) == before


def test_unknown_report_is_404(login, personas):
    client = login(personas.superuser)
    assert client.get("/staff/reports/999999/").status_code == 404
    assert client.post("/staff/reports/999999/approve/").status_code == 404


# --- E-mail: the next person in line hears of it ---------------------------------------


@pytest.fixture
def emails(personas):
    for name in PERSONAS:
        user = getattr(personas, name)
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return personas


def test_submit_mails_the_county_reviewer(
    login, emails, report_at, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("station", "draft")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.worker).post(f"/staff/reports/{report.pk}/submit/")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["carol@example.org"]
    assert report.title in mail.subject
    assert "/staff/review/" in mail.body


def test_county_report_submit_mails_the_city_editor(
    login, emails, report_at, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("county", "draft")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.reviewer).post(f"/staff/reports/{report.pk}/submit/")
    assert [m.to for m in mailoutbox] == [["erin@example.org"]]


@pytest.mark.parametrize(
    ("action", "subject"), [("approve", "已通过"), ("return", "被退回")]
)
def test_decision_mails_the_author(
    login,
    emails,
    report_at,
    mailoutbox,
    django_capture_on_commit_callbacks,
    action,
    subject,
):
    report = report_at("station", "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.reviewer).post(
            f"/staff/reports/{report.pk}/{action}/", {"comment": "请补充照片"}
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.org"]
    assert subject in mail.subject
    assert "请补充照片" in mail.body
    assert f"/staff/reports/{report.pk}/" in mail.body


def test_refused_action_sends_no_mail(
    login, emails, report_at, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_at("station", "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        login(emails.other_reviewer).post(
            f"/staff/reports/{report.pk}/approve/", {"comment": ""}
        )
        login(emails.reviewer).post(f"/staff/reports/{report.pk}/return/")
    assert mailoutbox == []
