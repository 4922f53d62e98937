"""Publishing tells each source report's author where it appeared (已刊登于
YYYY年第N期, linking to the public article), and each bureau's group robot."""

import pytest
from django.urls import reverse

from core.models import Delivery, Event, Notification
from newsletter import services
from newsletter.models import Article

WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=t1"


@pytest.fixture
def robots(net):
    for unit, kind, url in (
        (net.county_a1, "wecom", WECOM_URL),
        (net.city_a, "dingtalk", DINGTALK_URL),
    ):
        unit.robot_kind, unit.robot_webhook = kind, url
        unit.full_clean()
        unit.save()


def test_each_author_is_told_where_their_report_appeared(
    draft, personas, three_levels, robots, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    Delivery.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        services.issue_publish(issue=draft, by=personas.editor)
    assert callbacks  # the messages leave after the commit
    draft.refresh_from_db()
    issue_name = f"{draft.year}年第{draft.number}期"
    notes = Notification.objects.filter(event=Event.PUBLISHED)
    assert notes.count() == len(three_levels)
    report = three_levels["a1_early"]
    note = notes.get(recipient=personas.worker, title__contains=report.title)
    assert note.title == f"《{report.title}》已刊登于 {issue_name}"
    article = Article.objects.get(issue=draft, source_report=report)
    assert note.path == reverse(
        "newsletter:article", args=[*draft.public_args(), article.pk]
    )
    # Robots: the county bureau of 甲一区 (its stations' and its own reports),
    # none for 甲二县 (no robot), and the city bureau for the issue.
    robot_posts = Delivery.objects.exclude(channel=Delivery.Channel.EMAIL)
    by_address = {d.address: d.title for d in robot_posts}
    assert set(by_address) == {WECOM_URL, DINGTALK_URL}
    # 甲一区: a1_late, a1_early, a1b, county_a1.
    assert "甲一区的报告 4 篇" in by_address[WECOM_URL]
    assert issue_name in by_address[DINGTALK_URL]
    city_post = robot_posts.get(address=DINGTALK_URL)
    assert city_post.url.endswith(draft.get_absolute_url())
