"""Resident ID numbers (GB 11643-1999) and the masking every list, export and log
line uses.

An 18-character number is 6 digits of area code, 8 of birth date (YYYYMMDD), 3 of
sequence (odd for men, even for women) and a check digit computed over the first
17 (ISO 7064 MOD 11-2, where 10 is written X).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import dates
from core.dates import BIRTH_EARLIEST

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_SHAPE_RE = re.compile(r"^\d{17}[\dX]$")
MALE = "男"
FEMALE = "女"


def normalize_id_number(value: str | None) -> str:
    """Strip spaces and full-width characters people paste from Word; upper-case x."""
    if not value:
        return ""
    text = str(value).strip().replace(" ", "").replace("\u3000", "")
    text = text.translate(str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX"))
    return text.upper()


def check_digit(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdFacts:
    """What an ID number says about its holder."""

    birth_date: datetime.date
    gender: str  # 男 or 女


def parse_id_number(value: str, *, today: datetime.date | None = None) -> IdFacts:
    """Validate an ID number and return the birth date and gender it encodes.
    Raises ValidationError with a Chinese message naming what is wrong."""
    number = normalize_id_number(value)
    if not ID_SHAPE_RE.match(number):
        raise ValidationError(
            _("身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X。"),
            code="id_shape",
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号中的出生日期（第 7–14 位）不是有效日期。"), code="id_birth"
        ) from None
    today = today or dates.today()
    # The earliest birth date any form takes (core/dates.py).
    if birth > today or birth < BIRTH_EARLIEST:
        raise ValidationError(
            _("身份证号中的出生日期（第 7–14 位）不在合理范围内。"), code="id_birth"
        )
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("身份证号校验位不正确，请核对是否抄错。"), code="id_checksum"
        )
    gender = MALE if int(number[16]) % 2 == 1 else FEMALE
    return IdFacts(birth_date=birth, gender=gender)


def validate_id_number(value: str) -> None:
    """Model field validator: empty values are allowed (people without an ID on
    file); anything else must be a valid 18-character number."""
    if value:
        parse_id_number(value)


def mask_id_number(value: str | None) -> str:
    """4453**********123X: the first four and last four characters, stars between,
    the length unchanged. Short values are starred whole."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****1234: the first three and last four digits of a mobile number. Other
    numbers keep at most their last four digits."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def make_id_number(area: str, birth: datetime.date, sequence: int) -> str:
    """A number with a valid check digit: for demo data and tests, never for real
    people. ``sequence`` 0–999; odd means male."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
