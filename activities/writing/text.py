"""Numbers with their units in Chinese text, and how one is compared with a
record (the rules are in the package docstring). No database here."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Kinds of count a number in a text may be, by the unit written after it.
PERSON_TIMES, HOUSEHOLDS, PERSONS, HOURS = (
    "person_times",
    "households",
    "persons",
    "hours",
)
VILLAGES, PERCENT, ACTIVITIES, SESSIONS, CASES = (
    "villages",
    "percent",
    "activities",
    "sessions",
    "cases",
)

# Longest first: 人次 before 人, 个村（居）委 before 个村.
UNITS = [
    ("个村（居）委", VILLAGES),
    ("个村(居)委", VILLAGES),
    ("个村（居）", VILLAGES),
    ("个村(居)", VILLAGES),
    ("条行政村", VILLAGES),
    ("个行政村", VILLAGES),
    ("个村委会", VILLAGES),
    ("个村委", VILLAGES),
    ("个村居", VILLAGES),
    ("个社区", VILLAGES),
    ("个村", VILLAGES),
    ("条村", VILLAGES),
    ("人次", PERSON_TIMES),
    ("个小时", HOURS),
    ("小时", HOURS),
    ("学时", HOURS),
    ("%", PERCENT),
    ("户", HOUSEHOLDS),
    ("人", PERSONS),
    ("名", PERSONS),
    ("位", PERSONS),
    ("场", ACTIVITIES),
    ("期", SESSIONS),
    ("个个案", CASES),
    ("宗个案", CASES),
]
UNIT_KIND = dict(UNITS)
UNIT_WORD = {
    PERSON_TIMES: "人次",
    HOUSEHOLDS: "户",
    PERSONS: "人",
    HOURS: "小时",
    VILLAGES: "个村（居）",
    PERCENT: "%",
    ACTIVITIES: "场",
    SESSIONS: "期",
    CASES: "个",
}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMBER = "[零〇一二两三四五六七八九十百千]+"
NUMBER = rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|{CN_NUMBER})"
APPROX_BEFORE = "约|大约|近|将近|接近|超过|逾|达到?"
MENTION_RE = re.compile(
    rf"(?P<before>{APPROX_BEFORE})?{NUMBER}\s*(?P<after>余|多)?\s*"
    rf"(?P<unit>{'|'.join(re.escape(u) for u, _k in UNITS)})"
)
# 个案2个 / 开展个案3宗: the unit is written before the number.
CASES_RE = re.compile(rf"个案\s*{NUMBER}\s*(?:个|宗)")

# Words just before a number that tie it to a total, and how far back to look.
TOTAL_WORDS = ("共", "累计", "合计", "总计", "总", "达", "全年", "一共")
CONTEXT_CHARS = 12
CLAUSE_END = re.compile(r"[。，,；;！!？?\n、]")


def _cn_to_int(text: str) -> int | None:
    """Chinese numerals up to the thousands (十四, 二十, 三百零五)."""
    total, current = 0, 0
    for char in text:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or 1) * unit
            current = 0
    return total + current


def _value(raw: str) -> Decimal | None:
    if raw[0].isdigit():
        try:
            return Decimal(raw.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern allows none
            return None
    value = _cn_to_int(raw)
    return Decimal(value) if value is not None else None


def _fmt(value) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)


@dataclass
class Record:
    """A figure the records hold. ``keywords`` tie a number written after them
    to this record; a ``primary`` record is the total a 共/累计 number means."""

    kind: str
    value: Decimal
    label: str
    source: str
    display: str = ""
    keywords: tuple = ()
    primary: bool = False
    exact: Decimal | None = None  # the unrounded percentage
    # The record a percentage is of (the villages of the town): a text that
    # quotes it means this percentage rather than another source's.
    whole: Record | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if not self.display:
            self.display = f"{_fmt(self.value)}{UNIT_WORD[self.kind]}"


@dataclass
class Mention:
    text: str  # as written, e.g. "60%"
    kind: str
    value: Decimal
    start: int
    qualifier: str = ""
    context: str = ""
    status: str = "unverified"  # supported / contradiction / unverified
    record: Record | None = None

    @property
    def message(self) -> str:
        if self.status == "contradiction":
            return _("正文写 %(text)s，记录为 %(record)s") % {
                "text": self.text,
                "record": self.record.display,
            }
        if self.status == "supported":
            return _("%(text)s：与记录一致（%(label)s）") % {
                "text": self.text,
                "label": self.record.label,
            }
        return _("%(text)s：记录中没有可核对的数字") % {"text": self.text}


@dataclass
class FigureChecks:
    records: list = field(default_factory=list)
    mentions: list = field(default_factory=list)

    @property
    def supported(self) -> list[Mention]:
        return [m for m in self.mentions if m.status == "supported"]

    @property
    def contradictions(self) -> list[Mention]:
        return [m for m in self.mentions if m.status == "contradiction"]

    @property
    def unverified(self) -> list[Mention]:
        return [m for m in self.mentions if m.status == "unverified"]


# --- Finding numbers in a text -------------------------------------------------------


def _context(text: str, start: int) -> str:
    """The words before position ``start`` in the same clause."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    parts = CLAUSE_END.split(before)
    return parts[-1] if parts else ""


def find_mentions(text: str) -> list[Mention]:
    """Every number with a unit in ``text``, in order."""
    text = unicodedata.normalize("NFKC", text or "")
    mentions = []
    for match in MENTION_RE.finditer(text):
        value = _value(match.group("num"))
        if value is None:
            continue
        unit = match.group("unit")
        kind = UNIT_KIND[unit]
        # A Chinese numeral before 人/名/位/场/期 is usually a word (一名社工, 三人
        # 小组, 第一期); only digits count there.
        if not match.group("num")[0].isdigit() and kind not in (VILLAGES, HOUSEHOLDS):
            continue
        # 第5期 / 第2场 are ordinals, not counts.
        if match.start() > 0 and text[match.start() - 1] == "第":
            continue
        after = match.group("after") or ""
        written = f"{match.group('num')}{after}{unit}"
        mentions.append(
            Mention(
                text=written,
                kind=kind,
                value=value,
                start=match.start("num"),
                qualifier=(match.group("before") or "") + after,
                context=_context(text, match.start("num")),
            )
        )
    for match in CASES_RE.finditer(text):
        value = _value(match.group("num"))
        if value is not None:
            mentions.append(
                Mention(
                    text=match.group(0),
                    kind=CASES,
                    value=value,
                    start=match.start("num"),
                    context=_context(text, match.start()),
                )
            )
    mentions.sort(key=lambda m: m.start)
    return mentions


# --- Comparing -----------------------------------------------------------------------


def _magnitude(value: Decimal) -> Decimal:
    """The step a "余"/"多" number leaves open: 100多 is 100 to 199, 3200余 is
    3200 to 3299, 21多 is 21 to 21.9."""
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0")) if int(value) else 0
    return Decimal(10) ** zeros if zeros else Decimal(1)


def _agrees(mention: Mention, record: Record) -> bool:
    wanted, qualifier = mention.value, mention.qualifier
    if record.kind == PERCENT:
        # "57%" for 57.14…: a percentage may be rounded or cut at the precision
        # it is written with, nothing more.
        exact = record.exact if record.exact is not None else record.value
        step = Decimal(1).scaleb(min(0, wanted.as_tuple().exponent))
        return wanted in (
            exact.quantize(step, rounding=ROUND_HALF_UP),
            exact.quantize(step, rounding=ROUND_FLOOR),
        )
    actual = record.value
    if "余" in qualifier or "多" in qualifier:
        return wanted <= actual < wanted + _magnitude(wanted)
    if qualifier in ("超过", "逾"):
        return actual > wanted
    if qualifier in ("约", "大约", "接近"):
        return abs(actual - wanted) <= wanted / 10
    if qualifier in ("近", "将近"):
        return wanted * Decimal("0.9") <= actual <= wanted
    return actual == wanted


# Kinds of count a text rarely gives in parts: a lone number of these kinds is
# compared with a lone record even without words that tie them. Persons,
# households and person-times come in parts (走访重点青少年18人) and are not.
WHOLE_KINDS = (PERCENT, VILLAGES, HOURS, SESSIONS, ACTIVITIES, CASES)


def _bound(mention: Mention, candidates: list[Record], quoted=()) -> Record | None:
    """The record the words before the mention tie it to, if exactly one (or
    several that say the same: a report and its project give one coverage)."""
    tied = [r for r in candidates if any(k in mention.context for k in r.keywords)]
    if not tied:
        total_word = any(w in mention.context for w in TOTAL_WORDS) or (
            mention.qualifier.startswith("达")
        )
        tied = [r for r in candidates if r.primary] if total_word else []
    tied = _narrow(tied, list(quoted))
    if tied and len({r.display for r in tied}) == 1:
        return tied[0]
    return None


def _narrow(tied: list[Record], quoted: list[Record]) -> list[Record]:
    """Of records equally tied to a mention, those whose whole the text quotes
    (the coverage whose village total the text gave, as 14 in 平台镇14条行政村)."""
    narrowed = [r for r in tied if any(r.whole is q for q in quoted if q)]
    return narrowed or tied


def check_mentions(mentions: list[Mention], records: list[Record]) -> None:
    """Set each mention's status and record (see the package docstring). First
    every mention a record supports, then the others against what is left,
    knowing which records the text quotes."""
    by_kind: dict = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    counts: dict = {}
    for mention in mentions:
        counts[mention.kind] = counts.get(mention.kind, 0) + 1
    for mention in mentions:
        candidates = by_kind.get(mention.kind, [])
        match = next((r for r in candidates if _agrees(mention, r)), None)
        if match is not None:
            mention.status, mention.record = "supported", match
    quoted = [m.record for m in mentions if m.status == "supported"]
    for mention in mentions:
        if mention.status == "supported":
            continue
        candidates = by_kind.get(mention.kind, [])
        record = _bound(mention, candidates, quoted)
        if (
            record is None
            and mention.kind in WHOLE_KINDS
            and len(candidates) == 1
            and counts[mention.kind] == 1
        ):
            record = candidates[0]
        if record is not None:
            mention.status, mention.record = "contradiction", record
