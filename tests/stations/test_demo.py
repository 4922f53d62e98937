"""`load_demo` builds the network CONTRACT.md promises, is idempotent, and every
demo user can log in and use the home page, the directory and the staff home."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stations.models import (
    City,
    Commendation,
    County,
    RoleAssignment,
    ServicePoint,
    SocialWorker,
    Station,
    Town,
    Village,
)

DEMO_USERS = {
    "admin": "系统管理员",
    "editor": "市级编辑",
    "reviewer": "县区审核员",
    "reviewer_yunan": "县区审核员",
    "supervisor": "社工督导",
    "head": "站长",
    "worker": "社工",
    "worker_fulin": "社工",
}


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            City,
            County,
            Town,
            Village,
            Station,
            ServicePoint,
            SocialWorker,
            RoleAssignment,
            Commendation,
            get_user_model(),
        )
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_builds_the_yunfu_network(demo):
    counts = _counts()
    assert counts["City"] == 1
    assert counts["County"] == 5
    assert counts["Town"] == 63
    assert counts["Station"] == 63
    assert counts["Village"] == 11  # the villages the seed names
    assert counts["Commendation"] == 9  # the seed's nine 2022 优秀社工 of 云城区
    assert list(
        County.objects.order_by("display_order").values_list("name", flat=True)
    ) == [
        "云城区",
        "云安区",
        "新兴县",
        "罗定市",
        "郁南县",
    ]
    assert ServicePoint.objects.filter(
        name="夏卢服务点", village__name="夏卢村"
    ).exists()


def test_demo_is_idempotent(demo):
    before = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _counts() == before


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_user_can_use_the_portal(demo, client, username):
    response = client.post(
        "/accounts/login/", {"username": username, "password": "yunfu-demo-2023"}
    )
    assert response.status_code == 302, "demo password must work"
    assert client.get("/").status_code == 200
    assert client.get("/stations/").status_code == 200
    staff = client.get("/staff/")
    assert staff.status_code == 200
    html = staff.content.decode()
    if username == "admin":
        assert "系统管理员" in html
    else:
        assert DEMO_USERS[username] in html
