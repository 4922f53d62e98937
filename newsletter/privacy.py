"""The privacy gate (DESIGN.md §6): before an issue goes public, every article's
title, subtitle, text and photo captions are read for the names, ID numbers and
phone numbers of the beneficiaries registered in the publication's city, for any
18-character string shaped like an ID number, and every photo that shows people
without their consent is a hit too.

A hit never carries the raw value out of this module: only its kind, where it
stands (the block and the character offsets), the masked value to show and a
keyed digest (``value_digest``) to recognise the same value again when an editor
overrides it. The digest is an HMAC keyed by the project's secret key, so the
stored overrides reveal nothing even to someone who reads the database and can
guess candidate names; rotating the key makes old overrides lapse (the gate asks
again), which is the safe direction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from activities.beneficiaries.idcard import mask_id_number
from activities.beneficiaries.idcard import mask_phone as mask_phone_number
from activities.beneficiaries.selectors import beneficiary_identifiers_in_city

from .models import Article, PrivacyOverride
from .rendering import text_blocks

Kind = PrivacyOverride.Kind

# Full-width digits and X, as a phone keyboard may type them, read as ASCII; the
# translation keeps every offset where it was.
_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
# 17 digits and a digit or X, single spaces or hyphens allowed between them, not
# inside a longer run of digits or letters.
ID_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d[ \-]?){17}[\dXx](?![0-9A-Za-z])")
# A run of at least five digits with single spaces or hyphens between them, as
# phone numbers are written (138 1234 5678, 0766-8812345, +86 138…).
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])\+?\d(?:[ \-]?\d){4,}(?![0-9A-Za-z])")
NAME_MIN = 2


def value_digest(kind: str, value: str) -> str:
    return salted_hmac(
        "newsletter.privacy.override", f"{kind}:{value}", algorithm="sha256"
    ).hexdigest()


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value.translate(_WIDTH))


# The same masks as the beneficiary files use (DESIGN.md §6): 4453**********123X,
# 138****1234.
def mask_id(value: str) -> str:
    return mask_id_number(re.sub(r"[\s\-]", "", value).upper())


def mask_phone(value: str) -> str:
    return mask_phone_number(_digits(value))


def mask_name(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1)


_MASKERS = {
    Kind.NAME: mask_name,
    Kind.ID_NUMBER: mask_id,
    Kind.ID_SHAPED: mask_id,
    Kind.PHONE: mask_phone,
}


@dataclass(frozen=True)
class Identifiers:
    """The registered values of a city, normalised for matching."""

    names: frozenset = frozenset()
    ids: frozenset = frozenset()
    phones: frozenset = frozenset()
    name_lengths: tuple = ()

    @classmethod
    def build(cls, rows: Iterable) -> Identifiers:
        names, ids, phones = set(), set(), set()
        for kind, value, *_rest in rows:
            value = (value or "").strip()
            if kind == "name" and len(value) >= NAME_MIN:
                names.add(value)
            elif kind == "id_number" and value:
                ids.add(re.sub(r"[\s\-]", "", value.translate(_WIDTH)).upper())
            elif kind == "phone":
                digits = _digits(value)
                if len(digits) >= 5:
                    phones.add(digits)
        return cls(
            frozenset(names),
            frozenset(ids),
            frozenset(phones),
            tuple(sorted({len(n) for n in names}, reverse=True)),
        )


def identifiers_for_city(city_id: int) -> Identifiers:
    """One query: the names, ID numbers and phones on file in the city."""
    return Identifiers.build(beneficiary_identifiers_in_city(city_id))


@dataclass(frozen=True)
class Found:
    """A value found in one text: kind, offsets and the normalised raw value.
    Stays inside this module; a Hit is what leaves it."""

    kind: str
    start: int
    end: int
    value: str


def scan_text(text: str, ids: Identifiers) -> list[Found]:
    """Every registered name, ID number and phone, and every ID-shaped string, in
    ``text``, in order, without overlaps (an ID number wins over a phone in the
    same digits, a longer name over a shorter one inside it)."""
    text = (text or "").translate(_WIDTH)
    found: list[Found] = []
    taken = [False] * len(text)

    def take(kind, start, end, value):
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        found.append(Found(kind, start, end, value))

    for match in ID_RE.finditer(text):
        value = re.sub(r"[ \-]", "", match.group()).upper()
        kind = Kind.ID_NUMBER if value in ids.ids else Kind.ID_SHAPED
        take(kind, match.start(), match.end(), value)
    if ids.phones:
        for match in PHONE_RE.finditer(text):
            digits = _digits(match.group())
            candidates = {digits}
            if digits.startswith("86") and len(digits) == 13:
                candidates.add(digits[2:])
            hit = next((c for c in candidates if c in ids.phones), None)
            if hit:
                take(Kind.PHONE, match.start(), match.end(), hit)
    if ids.names:
        # Every substring of each length a registered name has: a set lookup per
        # position and length, whatever the number of names on file.
        for start in range(len(text)):
            for length in ids.name_lengths:
                piece = text[start : start + length]
                if len(piece) == length and piece in ids.names:
                    take(Kind.NAME, start, start + length, piece)
                    break
    found.sort(key=lambda f: f.start)
    return found


@dataclass(frozen=True)
class Hit:
    """One thing the gate found in an article, safe to show: ``masked`` is the
    only form of the value it holds."""

    article_id: int
    kind: str
    where: str  # "title", "subtitle", "block", "caption" or "photo"
    index: int  # the block's index for "block", the photo's number otherwise
    start: int
    end: int
    masked: str
    digest: str
    overridden: bool = False
    reason: str = ""

    @property
    def key(self) -> str:
        """What a form sends back to name the hit: the kind and the digest."""
        return f"{self.kind}:{self.digest}"

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def place(self) -> str:
        if self.where == "title":
            return _("标题第 %(n)d 字起") % {"n": self.start + 1}
        if self.where == "subtitle":
            return _("副标题第 %(n)d 字起") % {"n": self.start + 1}
        if self.where == "block":
            return _("正文第 %(b)d 段第 %(n)d 字起") % {
                "b": self.index + 1,
                "n": self.start + 1,
            }
        if self.where == "caption":
            return _("照片%(p)d说明第 %(n)d 字起") % {
                "p": self.index,
                "n": self.start + 1,
            }
        return _("照片%(p)d") % {"p": self.index}


@dataclass
class Segment:
    """A piece of text as the privacy page shows it: plain text, or a hit shown
    by its masked value."""

    text: str
    hit: Hit | None = None


@dataclass
class Place:
    """A title, subtitle, paragraph or caption that holds hits, as segments."""

    where: str
    index: int
    label: str
    segments: list[Segment] = field(default_factory=list)


def _hits_in(article_id, where, index, text, ids) -> list[tuple[Hit, Found]]:
    out = []
    for f in scan_text(text, ids):
        out.append(
            (
                Hit(
                    article_id=article_id,
                    kind=f.kind,
                    where=where,
                    index=index,
                    start=f.start,
                    end=f.end,
                    masked=_MASKERS[f.kind](f.value),
                    digest=value_digest(f.kind, f.value),
                ),
                f,
            )
        )
    return out


def _photo_key(photo) -> str:
    # A photo is the same "value" while it is the same picture: the same report
    # photo, or for a picture of its own, the same bytes (or row).
    if photo.report_photo_id:
        return f"report:{photo.report_photo_id}"
    return f"own:{photo.sha256 or photo.pk}"


def article_texts(article, photos) -> list[tuple[str, int, str]]:
    """(where, index, text) of everything the gate reads in an article."""
    texts = [("title", 0, article.title), ("subtitle", 0, article.subtitle)]
    texts += [("block", i, b.text) for i, b in enumerate(text_blocks(article.body))]
    texts += [("caption", p.position, p.caption) for p in photos]
    return texts


def article_hits(article, ids: Identifiers, photos=None, overrides=None) -> list[Hit]:
    """The gate's hits in one article (which need not be saved: a correction is
    checked before it is written). ``photos`` defaults to the prefetched ones;
    ``overrides`` maps (article_id, kind, digest) to the recorded reason."""
    photos = list(article.photos.all()) if photos is None else photos
    overrides = overrides or {}
    hits = [
        hit
        for where, index, text in article_texts(article, photos)
        for hit, _found in _hits_in(article.pk, where, index, text, ids)
    ]
    for photo in photos:
        if photo.shows_people and not photo.consent and not photo.is_missing:
            hits.append(
                Hit(
                    article_id=article.pk,
                    kind=Kind.PHOTO,
                    where="photo",
                    index=photo.position,
                    start=0,
                    end=0,
                    masked=photo.caption or _("照片%(p)d") % {"p": photo.position},
                    digest=value_digest(Kind.PHOTO, _photo_key(photo)),
                )
            )
    marked = []
    for hit in hits:
        reason = overrides.get((hit.article_id, hit.kind, hit.digest))
        marked.append(
            replace(hit, overridden=reason is not None, reason=reason or "")
            if reason is not None
            else hit
        )
    return marked


def overrides_for(articles) -> dict:
    ids = [a.pk for a in articles if a.pk]
    return {
        (o.article_id, o.kind, o.value_hash): o.reason
        for o in PrivacyOverride.objects.filter(article_id__in=ids).only(
            "article_id", "kind", "value_hash", "reason"
        )
    }


def places_with_hits(article, hits: list[Hit], photos) -> list[Place]:
    """The texts of ``article`` that hold hits, cut into segments with each hit
    shown masked in its place: what the privacy page prints."""
    by_place: dict[tuple[str, int], list[Hit]] = {}
    for hit in hits:
        if hit.where != "photo":
            by_place.setdefault((hit.where, hit.index), []).append(hit)
    labels = {
        "title": _("标题"),
        "subtitle": _("副标题"),
    }
    places = []
    for where, index, text in article_texts(article, photos):
        place_hits = sorted(by_place.get((where, index), []), key=lambda h: h.start)
        if not place_hits:
            continue
        if where == "block":
            label = _("正文第 %(b)d 段") % {"b": index + 1}
        elif where == "caption":
            label = _("照片%(p)d的说明") % {"p": index}
        else:
            label = labels[where]
        place = Place(where, index, label)
        cursor = 0
        for hit in place_hits:
            if hit.start > cursor:
                place.segments.append(Segment(text[cursor : hit.start]))
            place.segments.append(Segment(hit.masked, hit))
            cursor = hit.end
        if cursor < len(text):
            place.segments.append(Segment(text[cursor:]))
        places.append(place)
    return places


def find_hit(hits: list[Hit], key: str) -> Hit | None:
    return next((h for h in hits if h.key == key), None)


def issue_articles_for_check(issue) -> list[Article]:
    """The issue's articles with their photos: two queries."""
    return list(
        Article.objects.filter(issue=issue)
        .select_related("section")
        .prefetch_related("photos")
        .order_by("section__position", "section__pk", "position", "pk")
    )


def issue_privacy_check(issue, articles=None) -> list[Hit]:
    """Every hit of the gate in the issue, overridden ones included (marked).
    Four queries: articles, photos, the city's identifiers, the overrides."""
    articles = issue_articles_for_check(issue) if articles is None else articles
    ids = identifiers_for_city(issue.publication.city_id)
    overrides = overrides_for(articles)
    return [hit for a in articles for hit in article_hits(a, ids, overrides=overrides)]


def check_editor_note(note: str, city_id: int) -> None:
    """The editor's note is printed on the issue's page as it is written: a
    name, ID number or phone on file in the city, or an ID-shaped string, in
    it stops publishing and correcting (ValidationError naming the masked
    values). Unlike an article's hits it cannot be overridden: the note is the
    editor's own words, which need no one's personal data. One query, none for
    an empty note."""
    if not (note or "").strip():
        return
    found = scan_text(note, identifiers_for_city(city_id))
    if found:
        shown = "、".join(
            f"{Kind(f.kind).label}“{_MASKERS[f.kind](f.value)}”" for f in found
        )
        raise ValidationError(
            {
                "editor_note": _(
                    "编者按中有个人信息：%(values)s。编者按原样公开，请删改后再保存。"
                )
                % {"values": shown}
            }
        )


def blocking(hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if not h.overridden]
