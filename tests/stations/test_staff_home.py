"""The staff home (/staff/): the greeting, each role with its scope, the links
offered by role, and what the page costs."""

import re

import pytest
from django.utils.html import strip_tags

from core.models import Job
from newsletter.jobs import ISSUE_WORD
from stations import services
from stations.models import Role
from tests.stations.staff_helpers import _html


def test_staff_home_query_count_is_fixed(
    login, personas, net, django_assert_num_queries
):
    client = login(personas.reviewer)
    # 9 = session + user + scope + the role assignments with their units joined +
    # the user's own worker record (for the greeting) + the user's latest
    # background jobs (the second size has some) + the to-do lists of a county
    # reviewer: the bureau's returned and draft reports and the review queue
    # (tests/portal/test_staff_home.py pins each role's lists at two sizes).
    with django_assert_num_queries(9):
        client.get("/staff/")
    services.role_assign(user=personas.reviewer, role=Role.SOCIAL_WORKER, unit=net.b1)
    services.role_assign(
        user=personas.reviewer, role=Role.SUPERVISOR, unit=net.county_a2
    )
    services.role_assign(user=personas.reviewer, role=Role.CITY_EDITOR, unit=net.city_b)
    for n in range(3):
        Job.objects.create(
            kind=ISSUE_WORD, title=f"任务{n}", started_by=personas.reviewer
        )
    # 19: the same, and the lists of the roles added: a station member's
    # overdue files (two), follow-ups and quiet cases; a supervisor's follow-ups
    # due and stations below the six standards; a city editor's four lists.
    with django_assert_num_queries(19):
        response = client.get("/staff/")
    assert len(response.context["assignments"]) == 4
    assert len(response.context["recent_jobs"]) == 3


def _role_lines(html):
    """The "role：scope" lines of the staff home, whitespace collapsed."""
    block = re.search(r'<ul class="roles">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [re.sub(r"\s+", "", strip_tags(item)) for item in items]


@pytest.mark.parametrize(
    ("persona", "lines"),
    [
        ("worker", ["社工：甲一区东镇社工站"]),
        ("head", ["站长：甲一区东镇社工站"]),
        ("other_worker", ["社工：甲二县南镇社工站"]),
        ("supervisor", ["社工督导：甲市甲一区"]),
        ("reviewer", ["县区审核员：甲市甲一区"]),
        ("other_reviewer", ["县区审核员：甲市甲二县"]),
        ("editor", ["市级编辑：甲市"]),
        ("other_editor", ["市级编辑：乙市"]),
        ("nobody", []),
        ("superuser", []),
    ],
)
def test_staff_home_greets_with_role_and_scope(login, personas, persona, lines):
    user = getattr(personas, persona)
    response = login(user).get("/staff/")
    assert response.status_code == 200
    html = _html(response)
    assert f"{user.username}，您好" in html
    assert _role_lines(html) == lines


def test_staff_home_tells_superuser_they_manage_everything(login, personas):
    html = _html(login(personas.superuser).get("/staff/"))
    assert "您是系统管理员" in html
    assert "还没有被授予任何角色" not in html
    assert 'href="/staff/import/"' in html


def test_staff_home_greets_worker_by_real_name(login, personas, net):
    worker = net.worker_a1
    worker.user = personas.worker
    services.worker_save(worker=worker, by=personas.superuser)
    html = _html(login(personas.worker).get("/staff/"))
    assert "甲一社工，您好" in html


def test_staff_home_links_by_role(login, personas):
    html = _html(login(personas.worker).get("/staff/"))
    assert 'href="/staff/stations/"' in html and 'href="/staff/workers/"' in html
    assert 'href="/staff/import/"' not in html
    assert "查看本站信息、社工点和督导记录" in html
    html = _html(login(personas.reviewer).get("/staff/"))
    assert 'href="/staff/import/"' in html
    assert "查看和维护社工站、社工点" in html
    assert 'href="/admin/"' not in html


def test_staff_home_lists_every_role_of_a_user(login, personas, net):
    services.role_assign(user=personas.reviewer, role=Role.SUPERVISOR, unit=net.a2)
    html = _html(login(personas.reviewer).get("/staff/"))
    assert _role_lines(html) == ["县区审核员：甲市甲一区", "社工督导：甲二县南镇社工站"]


@pytest.mark.parametrize(
    "persona, editing, importing",
    [
        ("editor", True, True),
        ("reviewer", True, False),
        ("worker", False, False),
        ("supervisor", False, False),
    ],
)
def test_newsletter_links_follow_the_role(login, personas, persona, editing, importing):
    html = _html(login(getattr(personas, persona)).get("/staff/"))
    assert ('href="/staff/issues/"' in html) is editing
    assert ('href="/staff/issues/import/"' in html) is importing


@pytest.mark.parametrize("persona", ["editor", "reviewer", "worker", "supervisor"])
def test_every_role_finds_the_statistics(login, personas, persona):
    html = _html(login(getattr(personas, persona)).get("/staff/"))
    assert 'href="/staff/stats/"' in html
