"""Supervision follow-ups falling due: the station's head(s) and its supervisors
are told once per item, on the day it falls due (or at the first run after)."""

import datetime

import pytest
from django.core.management import call_command

from core.models import Event, Notification
from stations.models import FollowUpItem, Role
from stations.services import quality, role_assign
from tests import factories

D = datetime.date


@pytest.fixture
def visit(personas, net):
    return quality.supervision_visit_record(
        station=net.a1,
        by=personas.supervisor,
        visited_on=D(2026, 11, 20),
        supervisors=[personas.supervisor],
        follow_ups=[
            {"description": "完善个案档案", "due_on": D(2026, 12, 7)},
            {"description": "补齐制度上墙", "due_on": D(2026, 12, 20)},
        ],
    )


def told(today):
    return quality.followups_notify_due(today=today)


def test_told_once_when_due(visit, personas, net):
    assert told(D(2026, 12, 6)) == 0
    assert told(D(2026, 12, 7)) == 1
    notes = Notification.objects.filter(event=Event.FOLLOWUP_DUE)
    # The head (not the worker) and the county's supervisor, once each.
    assert sorted(n.recipient.username for n in notes) == ["hana", "sam"]
    assert notes.first().path == f"/staff/stations/{net.a1.pk}/"
    assert "今天" in notes.first().title
    # The next runs do not tell it again.
    assert told(D(2026, 12, 7)) == 0
    assert told(D(2026, 12, 8)) == 0
    assert notes.count() == 2


def test_a_later_due_date_is_told_again_and_done_items_never(visit):
    told(D(2026, 12, 7))
    item = FollowUpItem.objects.get(description="完善个案档案")
    item.due_on = D(2026, 12, 15)
    item.save()
    assert told(D(2026, 12, 10)) == 0
    assert told(D(2026, 12, 15)) == 1
    other = FollowUpItem.objects.get(description="补齐制度上墙")
    other.status = FollowUpItem.Status.DONE
    other.done_on = D(2026, 12, 1)
    other.save()
    assert told(D(2026, 12, 30)) == 0


def test_overdue_items_are_told_once_at_the_first_run(visit):
    assert told(D(2027, 1, 5)) == 2
    titles = set(
        Notification.objects.filter(event=Event.FOLLOWUP_DUE).values_list(
            "title", flat=True
        )
    )
    assert titles == {"督导整改事项已逾期：甲一区东镇社工站"}


def test_station_assigned_supervisor_and_deputy_are_told(visit, net):
    deputy = factories.UserFactory(username="dora")
    role_assign(user=deputy, role=Role.DEPUTY_HEAD, unit=net.a1)
    assigned = factories.UserFactory(username="stan")
    role_assign(user=assigned, role=Role.SUPERVISOR, unit=net.a1)
    told(D(2026, 12, 7))
    names = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"dora", "stan", "hana", "sam"} <= names


def test_command(visit, capsys):
    call_command("notify_due_followups")
    assert "已提醒到期的整改事项" in capsys.readouterr().out
