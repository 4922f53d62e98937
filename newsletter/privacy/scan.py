"""What the privacy gate looks for in one text, and how a value it finds is
masked and recognised again.

- **ID numbers** by their shape, wherever they stand: 17 digits and a digit or
  X making up a whole number (however it is grouped), or any 18 characters
  inside a longer run of digits and letters whose check digit and birth date
  are valid (证号ID4453…). One that is on file is an ``id_number``, any other an
  ``id_shaped`` hit.
- **Phones** on file (the person's and the guardian's), with or without
  86/0086/+86, a landline with or without its area code; and any mobile-shaped
  number (1[3-9] and nine digits) that is not on file, as ``mobile``: a social
  worker's or a family's mobile has no place in a public article unless an
  editor says why (a station's published service line, say).
- **Home addresses** on file (详细地址) that name a house (a number, 号, 栋…).
- **Names** on file, with anything the normaliser drops between their
  characters, in simplified or traditional characters.

Numbers are matched in the number skeleton, names and addresses in the name
skeleton (``text.py``). A registered phone or a mobile shape is matched only
on the boundaries where a separator stood (``Skeleton.cuts``), so the digits of
two dates or of a longer number never make one up by accident.

A ``Found`` keeps the normalised value and never leaves the package; what
leaves is its kind, its offsets in the original text, the masked value and a
keyed digest (``value_digest``) that recognises the same value again when an
editor overrides it. The digest is an HMAC keyed by the project's secret key,
so stored overrides reveal nothing even to someone who reads the database and
can guess candidate names; rotating the key makes old overrides lapse (the gate
asks again), which is the safe direction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.idcard import check_digit, mask_id_number
from core.idcard import mask_phone as mask_phone_number

from ..models import PrivacyOverride
from .text import Skeleton, for_names, for_numbers, name_key, number_key

Kind = PrivacyOverride.Kind

NAME_MIN = 2
PHONE_MIN = 5
# A registered address is looked for only when it names a house: a shorter or
# vaguer one (a village) is what public articles name every day.
ADDRESS_MIN = 6
ADDRESS_TAIL_MIN = 8
_HOUSE_RE = re.compile(r"[0-9号栋幢室巷弄]")
# Where an address's administrative part ends: what follows (the village, the
# street and the house) is looked for on its own too, as articles write it.
_ADMIN_END_RE = re.compile(r"(?:省|市|区|县|镇|乡|街道)")

_RUN_RE = re.compile(r"[0-9X]+")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
# The first two digits of an ID number: the province (GB/T 2260).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def value_digest(kind: str, value: str) -> str:
    return salted_hmac(
        "newsletter.privacy.override", f"{kind}:{value}", algorithm="sha256"
    ).hexdigest()


# --- Masks (the beneficiary files' masks, DESIGN.md §6) ---------------------------


def mask_id(value: str) -> str:
    """4453**********123X."""
    return mask_id_number(number_key(value))


def mask_phone(value: str) -> str:
    """138****1234; a landline keeps its last four digits."""
    return mask_phone_number(number_key(value))


def mask_name(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1)


def mask_address(value: str) -> str:
    return value[:3] + "*" * min(len(value) - 3, 8)


MASKERS = {
    Kind.NAME: mask_name,
    Kind.ID_NUMBER: mask_id,
    Kind.ID_SHAPED: mask_id,
    Kind.PHONE: mask_phone,
    Kind.MOBILE: mask_phone,
    Kind.ADDRESS: mask_address,
}


# --- The registered values ----------------------------------------------------------


def _phone_keys(value: str) -> set[str]:
    """A phone on file as the forms it is written in: the digits, a mobile
    without its 86/0086, a landline without its area code too."""
    digits = re.sub(r"\D", "", number_key(value))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE_RE.fullmatch(digits[len(prefix) :]):
            digits = digits[len(prefix) :]
    keys = {digits} if len(digits) >= PHONE_MIN else set()
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        # Area codes: 010 and 02x have three digits, every other one four.
        area = 3 if digits.startswith(("010", "02")) else 4
        local = digits[area:]
        if len(local) >= 7:
            keys.add(local)
    return keys


def _address_keys(value: str) -> set[str]:
    key = name_key(value)
    keys = set()
    if len(key) >= ADDRESS_MIN and _HOUSE_RE.search(key):
        keys.add(key)
        for match in _ADMIN_END_RE.finditer(key):
            tail = key[match.end() :]
            if len(tail) >= ADDRESS_TAIL_MIN and _HOUSE_RE.search(tail):
                keys.add(tail)
    return keys


@dataclass(frozen=True)
class Identifiers:
    """The registered values of a city, normalised for matching."""

    names: frozenset = frozenset()
    ids: frozenset = frozenset()
    phones: frozenset = frozenset()
    # Addresses by their first two characters: a text is read once, looking up
    # the few addresses that start where it stands.
    addresses: dict = None  # type: ignore[assignment]
    name_lengths: tuple = ()

    @classmethod
    def build(cls, rows: Iterable) -> Identifiers:
        """From (kind, value, …) rows: kind name, id_number, phone or address."""
        names, ids, phones, addresses = set(), set(), set(), {}
        for kind, value, *_rest in rows:
            value = (value or "").strip()
            if not value:
                continue
            if kind == "name":
                key = name_key(value)
                if len(key) >= NAME_MIN:
                    names.add(key)
            elif kind == "id_number":
                ids.add(number_key(value))
            elif kind == "phone":
                phones |= _phone_keys(value)
            elif kind == "address":
                for key in _address_keys(value):
                    addresses.setdefault(key[:2], set()).add(key)
        return cls(
            frozenset(names),
            frozenset(ids),
            frozenset(phones),
            {k: tuple(sorted(v, key=len, reverse=True)) for k, v in addresses.items()},
            tuple(sorted({len(n) for n in names}, reverse=True)),
        )


EMPTY = Identifiers.build([])


# --- Scanning --------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A value found in one text: kind, offsets in the original text and the
    normalised value. Stays inside this package; a Hit is what leaves it."""

    kind: str
    start: int
    end: int
    value: str


def _plausible_id(value: str, today: datetime.date) -> bool:
    """An 18-character string whose province, birth date and check digit are
    those of a real ID number."""
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        return False
    if value[:2] not in _PROVINCES or check_digit(value[:17]) != value[17]:
        return False
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= today


def _id_shaped(value: str) -> bool:
    return value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")


class _Taken:
    """Original offsets already claimed by a hit: an ID number wins over a phone
    in the same digits, a longer name over a shorter one inside it."""

    def __init__(self, length: int):
        self.flags = [False] * length
        self.found: list[Found] = []

    def take(self, kind, start, end, value) -> bool:
        if any(self.flags[start:end]):
            return False
        for i in range(start, end):
            self.flags[i] = True
        self.found.append(Found(kind, start, end, value))
        return True


def _numbers(skeleton: Skeleton, ids: Identifiers, taken: _Taken, today) -> None:
    text, cuts = skeleton.text, skeleton.cuts
    for run in _RUN_RE.finditer(text):
        start, end = run.span()
        value = run.group()
        bounds = sorted(c for c in cuts if start < c < end)
        bounds = [start, *bounds, end]
        edges = set(bounds)
        # ID numbers: 18 characters between two boundaries of the run by their
        # shape; anywhere in it, a registered number or a plausible one.
        for i in range(end - start - 17):
            window = value[i : i + 18]
            left, right = start + i, start + i + 18
            if window in ids.ids:
                taken.take(Kind.ID_NUMBER, *skeleton.span(left, right), window)
            elif (
                left in edges and right in edges and _id_shaped(window)
            ) or _plausible_id(window, today):
                taken.take(Kind.ID_SHAPED, *skeleton.span(left, right), window)
        # Phones: between two boundaries of the run.
        for a, left in enumerate(bounds):
            for right in bounds[a + 1 :]:
                if right - left > 15:
                    break
                window = text[left:right]
                number = window
                for prefix in ("0086", "86"):
                    if window.startswith(prefix) and _MOBILE_RE.fullmatch(
                        window[len(prefix) :]
                    ):
                        number = window[len(prefix) :]
                        break
                if number in ids.phones or window in ids.phones:
                    hit = number if number in ids.phones else window
                    taken.take(Kind.PHONE, *skeleton.span(left, right), hit)
                elif _MOBILE_RE.fullmatch(number):
                    taken.take(Kind.MOBILE, *skeleton.span(left, right), number)


def _addresses(skeleton: Skeleton, ids: Identifiers, taken: _Taken) -> None:
    if not ids.addresses:
        return
    text = skeleton.text
    for i in range(len(text) - ADDRESS_MIN + 1):
        for key in ids.addresses.get(text[i : i + 2], ()):
            if text.startswith(key, i):
                taken.take(Kind.ADDRESS, *skeleton.span(i, i + len(key)), key)
                break


def _names(skeleton: Skeleton, ids: Identifiers, taken: _Taken) -> None:
    if not ids.names:
        return
    text = skeleton.text
    # Every substring of each length a registered name has: a set lookup per
    # position and length, whatever the number of names on file.
    for i in range(len(text)):
        for length in ids.name_lengths:
            piece = text[i : i + length]
            if len(piece) == length and piece in ids.names:
                if taken.take(Kind.NAME, *skeleton.span(i, i + length), piece):
                    break


def scan_text(text: str, ids: Identifiers = EMPTY) -> list[Found]:
    """Every registered name, ID number, phone and address, and every ID- or
    mobile-shaped number, in ``text``, in order, without overlaps."""
    text = text or ""
    if not text.strip():
        return []
    taken = _Taken(len(text))
    _numbers(for_numbers(text), ids, taken, timezone.localdate())
    names = for_names(text)
    _addresses(names, ids, taken)
    _names(names, ids, taken)
    return sorted(taken.found, key=lambda f: f.start)


def masked_spans(text: str, ids: Identifiers = EMPTY, only=None):
    """``text`` with the values the gate finds in it replaced by their masks
    (those whose ``(kind, digest)`` is in ``only``, when given), and for each
    value replaced, its ``Found`` and where its mask stands in the result."""
    text = text or ""
    out, spans, cursor, length = [], [], 0, 0
    for found in scan_text(text, ids):
        if (
            only is not None
            and (found.kind, value_digest(found.kind, found.value)) not in only
        ):
            continue
        before = text[cursor : found.start]
        mask = MASKERS[found.kind](found.value)
        out += [before, mask]
        length += len(before)
        spans.append((found, length, length + len(mask)))
        length += len(mask)
        cursor = found.end
    out.append(text[cursor:])
    return "".join(out), spans


def masked_text(text: str, ids: Identifiers = EMPTY, only=None) -> str:
    """``text`` with every value the gate finds in it replaced by its mask: for
    what must quote a text that may hold one (a correction's summary, an audit
    row's label, a finding's context)."""
    return masked_spans(text, ids, only)[0]


# --- Queries -------------------------------------------------------------------


_LANDLINE_RE = re.compile(r"0\d{2,3}\d{7,8}")


def personal_number_in(query: str) -> bool:
    """Whether a search query holds a number shaped like a mobile phone (with
    or without 86), an ID number, or a landline with its area code: such a
    query looks for a person, not for news. Short numbers (the 12345 hotline, a
    year) are not."""
    skeleton = for_numbers(query or "")
    for run in _RUN_RE.finditer(skeleton.text):
        digits = run.group()
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and _MOBILE_RE.fullmatch(
                digits[len(prefix) :]
            ):
                return True
        if _MOBILE_RE.fullmatch(digits) or _LANDLINE_RE.fullmatch(digits):
            return True
        if len(digits) >= 15 and len(digits) <= 18:
            # An ID number, whole or mistyped (the first generation had 15).
            return True
    return False
