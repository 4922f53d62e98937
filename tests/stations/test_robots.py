"""Group robots (企业微信, 钉钉) configured on a county or city bureau: the address
check, which robot hears of which event, each vendor's message format and
DingTalk's signature, retries, a receiver that is down, and no beneficiary data
in anything that leaves the portal. Sent to a local receiver started here."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import services as reports
from beneficiaries.models import Beneficiary
from beneficiaries.services import files as beneficiary_services
from core.idcard import make_id_number
from core.models import Delivery
from core.notifications import deliver
from stations.selectors import robots_for

WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=abc123"


class Receiver:
    """An HTTP server on a free local port that records each POST and answers
    with the next of ``answers`` (status, JSON body), the last one repeating."""

    def __init__(self):
        self.posts = []
        self.answers = [(200, {"errcode": 0, "errmsg": "ok"})]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                receiver.posts.append(
                    {
                        "path": parts.path,
                        "query": urllib.parse.parse_qs(parts.query),
                        "content_type": self.headers.get("Content-Type"),
                        "raw": body.decode(),
                        "json": json.loads(body),
                    }
                )
                n = len(receiver.posts) - 1
                status, answer = receiver.answers[min(n, len(receiver.answers) - 1)]
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address
        self.base = f"http://{host}:{port}"

    def url(self, path="/cgi-bin/webhook/send?key=test-key"):
        return self.base + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.NOTIFICATIONS_ALLOW_LOCAL_ROBOTS = True
    server = Receiver()
    yield server
    server.close()


def configure(unit, kind, url, secret=""):
    unit.robot_kind, unit.robot_webhook, unit.robot_secret = kind, url, secret
    unit.full_clean()
    unit.save()


def submit(report, by, capture):
    with capture(execute=True):
        reports.report_submit(report=report, by=by)


# --- The address check --------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,url",
    [
        ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
        (
            "wecom",
            "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k",
        ),
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"),
        ("wecom", DINGTALK_URL),
        ("dingtalk", WECOM_URL),
        ("dingtalk", "https://127.0.0.1/robot/send?access_token=k"),
    ],
)
def test_only_the_vendors_own_address_is_taken(net, kind, url):
    with pytest.raises(ValidationError) as caught:
        configure(net.county_a1, kind, url)
    assert "Webhook" in caught.value.message_dict["robot_webhook"][0]
    net.county_a1.refresh_from_db()
    assert net.county_a1.robot_kind == ""


def test_vendor_addresses_are_taken_and_a_secret_is_dingtalks_only(net):
    configure(net.county_a1, "wecom", WECOM_URL)
    configure(net.city_a, "dingtalk", DINGTALK_URL, secret="SECabc")
    with pytest.raises(ValidationError) as caught:
        configure(net.county_a2, "wecom", WECOM_URL, secret="SECabc")
    assert "钉钉" in caught.value.message_dict["robot_secret"][0]
    with pytest.raises(ValidationError) as caught:
        configure(net.county_a2, "wecom", "")
    assert "Webhook" in caught.value.message_dict["robot_webhook"][0]


def test_local_receivers_only_with_the_setting(net, settings):
    local = "http://127.0.0.1:9/hook"
    with pytest.raises(ValidationError):
        configure(net.county_a1, "wecom", local)
    settings.NOTIFICATIONS_ALLOW_LOCAL_ROBOTS = True
    configure(net.county_a1, "wecom", local)
    with pytest.raises(ValidationError):
        configure(net.county_a1, "wecom", "ftp://127.0.0.1/hook")


def test_admin_edits_a_robot_with_chinese_labels(client, personas, net):
    client.force_login(personas.superuser)
    url = f"/admin/stations/county/{net.county_a1.pk}/change/"
    page = client.get(url).content.decode()
    assert "群机器人" in page and "钉钉加签密钥" in page
    data = {
        "city": net.city_a.pk,
        "name": net.county_a1.name,
        "code": net.county_a1.code,
        "kind": net.county_a1.kind,
        "short_name": net.county_a1.short_name or "甲一",
        "aliases": "",
        "display_order": 0,
        "robot_kind": "wecom",
        "robot_webhook": "https://example.com/hook",
        "robot_secret": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请填写机器人的 Webhook 地址" in response.content.decode()
    net.county_a1.refresh_from_db()
    assert net.county_a1.robot_kind == ""
    response = client.post(url, {**data, "robot_webhook": WECOM_URL})
    assert response.status_code == 302
    net.county_a1.refresh_from_db()
    assert net.county_a1.robot_webhook == WECOM_URL


# --- Which robot hears of what ------------------------------------------------------


def test_robots_for_the_rule(net):
    configure(net.county_a1, "wecom", WECOM_URL)
    configure(net.city_a, "dingtalk", DINGTALK_URL)
    assert [r.url for r in robots_for(net.a1)] == [WECOM_URL]
    assert [r.url for r in robots_for(net.county_a1)] == [WECOM_URL]
    assert [r.url for r in robots_for(net.city_a)] == [DINGTALK_URL]
    # A county without a robot is not passed up to the city's.
    assert robots_for(net.a2) == [] and robots_for(net.county_a2) == []


def test_wecom_message_format(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks, settings
):
    configure(net.county_a1, "wecom", receiver.url())
    report = make_report(personas.worker, net.a1, title="开展敬老活动")
    submit(report, personas.worker, django_capture_on_commit_callbacks)
    [post] = receiver.posts
    assert post["path"] == "/cgi-bin/webhook/send"
    assert post["query"] == {"key": ["test-key"]}
    assert post["content_type"].startswith("application/json")
    assert set(post["json"]) == {"msgtype", "markdown"}
    assert post["json"]["msgtype"] == "markdown"
    content = post["json"]["markdown"]["content"]
    assert "开展敬老活动" in content
    assert f"({settings.PORTAL_BASE_URL}{report.get_absolute_url()})" in content
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_dingtalk_message_format_and_signature(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks
):
    secret = "SEC0123456789abcdef"
    configure(
        net.city_a, "dingtalk", receiver.url("/robot/send?access_token=tok"), secret
    )
    before = int(timezone.now().timestamp() * 1000)
    report = make_report(personas.editor, net.city_a, title="市局开展培训")
    submit(report, personas.editor, django_capture_on_commit_callbacks)
    [post] = receiver.posts
    assert post["path"] == "/robot/send"
    assert post["query"]["access_token"] == ["tok"]
    timestamp = post["query"]["timestamp"][0]
    assert int(timestamp) >= before - 1000
    expected = base64.b64encode(
        hmac.new(
            secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    # parse_qs has undone the URL encoding: what is left is the base64 itself.
    assert post["query"]["sign"] == [expected]
    # The raw query carried it URL-encoded (a base64 "+" or "/" would otherwise
    # reach DingTalk changed).
    body = post["json"]
    assert body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"title", "text"}
    assert "市局开展培训" in body["markdown"]["title"]
    assert report.get_absolute_url() in body["markdown"]["text"]


def test_dingtalk_without_secret_has_no_signature(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks
):
    configure(net.city_a, "dingtalk", receiver.url("/robot/send?access_token=tok"))
    report = make_report(personas.editor, net.city_a)
    submit(report, personas.editor, django_capture_on_commit_callbacks)
    assert set(receiver.posts[0]["query"]) == {"access_token"}


def test_a_500_is_retried(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, {"error": "busy"}), (200, {"errcode": 0})]
    configure(net.county_a1, "wecom", receiver.url())
    report = make_report(personas.worker, net.a1)
    submit(report, personas.worker, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.last_error == "RobotError: HTTP 500"
    assert deliver(now=timezone.now() + datetime.timedelta(minutes=2))["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and delivery.attempts == 2
    assert (
        len(receiver.posts) == 2
        and receiver.posts[0]["json"] == (receiver.posts[1]["json"])
    )


def test_a_nonzero_errcode_is_a_failure(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks
):
    receiver.answers = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    configure(net.county_a1, "wecom", receiver.url())
    report = make_report(personas.worker, net.a1)
    submit(report, personas.worker, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert "93000" in delivery.last_error


def test_the_action_succeeds_when_the_receiver_is_down(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks
):
    configure(net.county_a1, "wecom", receiver.url())
    receiver.close()  # nothing listens on its port any more
    report = make_report(personas.worker, net.a1)
    submit(report, personas.worker, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == "submitted"
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING and delivery.attempts == 1
    assert delivery.last_error
    # The robot's key is not written into the error.
    assert "test-key" not in delivery.last_error
    receiver.server = _Closed()


class _Closed:
    def shutdown(self):
        pass

    def server_close(self):
        pass


def test_no_beneficiary_data_leaves_the_portal(
    receiver, net, personas, make_report, django_capture_on_commit_callbacks
):
    """A file with a name, ID number, phone and address in scope; a transfer of
    it and a report's whole review: nothing sent names the person."""
    from activities.models import BeneficiaryCategory

    configure(net.county_a1, "wecom", receiver.url())
    for user in (personas.worker, personas.head, personas.reviewer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    secret_bits = {
        "name": "示例·王小明",
        "id_number": make_id_number("445302", datetime.date(2014, 5, 6), 7),
        "phone": "13812345678",
        "address": "东镇幸福村三巷8号",
        "guardian_name": "示例·王奶奶",
        "guardian_phone": "13987654321",
    }
    with django_capture_on_commit_callbacks(execute=True):
        person = beneficiary_services.beneficiary_create(
            beneficiary=Beneficiary(
                gender="男",
                guardian_relation="祖母",
                living_situation=Beneficiary.Living.GRANDPARENTS,
                opened_on=datetime.date(2023, 1, 10),
                **secret_bits,
            ),
            station=net.a1,
            by=personas.worker,
            categories=list(BeneficiaryCategory.objects.all()[:1]),
        )
    with django_capture_on_commit_callbacks(execute=True):
        beneficiary_services.beneficiary_transfer(
            beneficiary=person, to_station=net.a1b, reason="搬家", by=personas.worker
        )
    report = make_report(personas.worker, net.a1, title="入户走访困境儿童")
    submit(report, personas.worker, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_return(
            report=report,
            by=personas.reviewer,
            comment=f"请删去{secret_bits['name']}的电话{secret_bits['phone']}",
        )
    sent = [p["raw"] for p in receiver.posts] + [
        f"{m.subject}\n{m.body}" for m in mail.outbox
    ]
    assert len(receiver.posts) == 3  # transfer, submit, return
    assert len(mail.outbox) >= 2
    for text in sent:
        decoded = json.loads(text) if text.startswith("{") else text
        text = json.dumps(decoded, ensure_ascii=False)
        for value in secret_bits.values():
            assert value not in text
