"""Group robots: a 企业微信 (WeCom) group robot and a 钉钉 (DingTalk) custom robot,
each posted a markdown message in its documented format.

- 企业微信: POST ``{"msgtype": "markdown", "markdown": {"content": …}}`` to
  ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``.
- 钉钉: POST ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`` to
  ``https://oapi.dingtalk.com/robot/send?access_token=…``; with 加签 (a secret
  starting ``SEC``) the URL also carries ``timestamp`` (milliseconds) and
  ``sign``: HMAC-SHA256 of ``"{timestamp}\\n{secret}"`` keyed with the secret,
  base64, then URL-encoded.

Both answer HTTP 200 with ``{"errcode": 0, …}`` when the message went out;
any other errcode is a failure. The org units that own robots live above core
and hand their targets to ``notify`` as ``RobotTarget``s.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WECOM = "wecom"
DINGTALK = "dingtalk"

# Where each vendor's webhooks live; anything else is refused unless
# NOTIFICATIONS_ALLOW_LOCAL_ROBOTS is on (tests and local receivers).
VENDOR_ENDPOINTS = {
    WECOM: ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send", "key"),
    DINGTALK: ("oapi.dingtalk.com", "/robot/send", "access_token"),
}


@dataclass(frozen=True)
class RobotTarget:
    kind: str  # WECOM or DINGTALK
    url: str
    secret: str = ""


class RobotError(Exception):
    """The robot did not take the message (HTTP error or a non-zero errcode)."""


def validate_webhook(kind: str, url: str) -> None:
    """Refuse a webhook URL that is not the vendor's own HTTPS endpoint with its
    key, so a configured robot cannot be pointed at another machine. With
    ``NOTIFICATIONS_ALLOW_LOCAL_ROBOTS`` any http(s) URL is taken."""
    parts = urllib.parse.urlsplit(url or "")
    if getattr(settings, "NOTIFICATIONS_ALLOW_LOCAL_ROBOTS", False):
        if parts.scheme in ("http", "https") and parts.hostname:
            return
        raise ValidationError(_("请填写以 http:// 或 https:// 开头的完整地址。"))
    host, path, key = VENDOR_ENDPOINTS[kind]
    query = urllib.parse.parse_qs(parts.query)
    if (
        parts.scheme != "https"
        or parts.hostname != host
        or parts.port not in (None, 443)
        or parts.path != path
        or not query.get(key, [""])[0].strip()
    ):
        raise ValidationError(
            _("请填写机器人的 Webhook 地址，形如 https://%(host)s%(path)s?%(key)s=…")
            % {"host": host, "path": path, "key": key}
        )


def message(kind: str, title: str, url: str) -> dict:
    """The JSON body for ``kind``: the title and a link, nothing else."""
    if kind == WECOM:
        return {
            "msgtype": "markdown",
            "markdown": {"content": f"**{title}**\n[{_('打开查看')}]({url})"},
        }
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": title,
            "text": f"#### {title}\n\n[{_('打开查看')}]({url})",
        },
    }


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: base64 HMAC-SHA256 of "timestamp\\nsecret", URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(target: RobotTarget, *, now: float | None = None) -> str:
    if target.kind != DINGTALK or not target.secret:
        return target.url
    timestamp = int((time.time() if now is None else now) * 1000)
    joiner = "&" if urllib.parse.urlsplit(target.url).query else "?"
    sign = dingtalk_sign(target.secret, timestamp)
    return f"{target.url}{joiner}timestamp={timestamp}&sign={sign}"


def post(target: RobotTarget, title: str, url: str) -> None:
    """Send one message; raise RobotError (or an OSError) when it did not go."""
    validate_webhook(target.kind, target.url)
    body = json.dumps(message(target.kind, title, url), ensure_ascii=False).encode()
    request = urllib.request.Request(
        signed_url(target),
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    timeout = getattr(settings, "NOTIFICATIONS_ROBOT_TIMEOUT", 5)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise RobotError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        # The reason only: the URL (with the robot's key) stays out of the log.
        reason = getattr(exc, "reason", exc)
        raise RobotError(f"{type(exc).__name__}: {reason}") from None
    try:
        data = json.loads(answer)
    except ValueError:
        raise RobotError(_("机器人返回的不是 JSON")) from None
    if not isinstance(data, dict) or data.get("errcode") != 0:
        code = data.get("errcode") if isinstance(data, dict) else None
        msg = data.get("errmsg", "") if isinstance(data, dict) else ""
        raise RobotError(f"errcode {code}: {str(msg)[:200]}")
