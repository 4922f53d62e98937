"""The report workflow matrix (DESIGN.md §4, §5): every transition by every
role, through the services and through the staff pages, with its history."""

import pytest
from django.core.exceptions import PermissionDenied

from activities import services
from activities.models import Status
from tests.activities.workflow_helpers import PERSONAS, Action, _history

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
