"""Notifications: one path for every event that puts an item on someone's list
(see sending.py). Apps call ``notify``; the org units above core hand it their
group robots as ``RobotTarget``s."""

from ..models import Event
from .inbox import mark_read
from .preferences import email_choices, email_choices_set
from .robots import DINGTALK, WECOM, RobotTarget, validate_webhook
from .sending import absolute, deliver, notify

__all__ = [
    "DINGTALK",
    "WECOM",
    "Event",
    "RobotTarget",
    "absolute",
    "deliver",
    "email_choices",
    "email_choices_set",
    "mark_read",
    "notify",
    "validate_webhook",
]
