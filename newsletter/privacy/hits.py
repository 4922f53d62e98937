"""The gate's findings in an issue, safe to show: ``Hit`` (an article's hit,
which an editor may override with a recorded reason), the places they stand
in, and the issue's own public texts (section titles, the editor's note, the
corrections), which hold no one's personal data and are never overridden.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beneficiaries.selectors import beneficiary_identifiers_in_city

from ..models import Article, PrivacyOverride
from ..rendering import text_blocks
from .scan import (
    MASKERS,
    Found,
    Identifiers,
    Kind,
    masked_spans,
    masked_text,
    scan_text,
    value_digest,
)


def identifiers_for_city(city_id: int) -> Identifiers:
    """One query: the names, ID numbers, phones and addresses on file in the
    city."""
    return Identifiers.build(beneficiary_identifiers_in_city(city_id))


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
                    masked=MASKERS[f.kind](f.value),
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


CONTEXT_WIDTH = 24


def context_at(text: str, ids: Identifiers, start: int) -> str:
    """About ``CONTEXT_WIDTH`` characters each side of the value found at
    ``start`` in ``text``, every value in it masked: what an editor reads to
    judge whether a name is the person on file."""
    masked, spans = masked_spans(text, ids)
    for found, left, right in spans:
        if found.start == start:
            a, b = max(0, left - CONTEXT_WIDTH), min(len(masked), right + CONTEXT_WIDTH)
            piece = " ".join(masked[a:b].split())
            return ("…" if a else "") + piece + ("…" if b < len(masked) else "")
    return ""


def hit_context(article, photos, hit: Hit, ids: Identifiers) -> str:
    if hit.where == "photo":
        return hit.masked
    for where, index, text in article_texts(article, photos):
        if (where, index) == (hit.where, hit.index):
            return context_at(text, ids, hit.start)
    return ""


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


def issue_articles_for_check(issue, articles=None) -> list[Article]:
    """The issue's articles (or those of ``articles``, a queryset of them) with
    their photos: two queries."""
    articles = Article.objects.filter(issue=issue) if articles is None else articles
    return list(
        articles.select_related("section")
        .prefetch_related("photos")
        .order_by("section__position", "section__pk", "position", "pk")
    )


def issue_privacy_check(issue, articles=None, ids=None) -> list[Hit]:
    """Every hit of the gate in the issue's articles, overridden ones included
    (marked). Four queries: articles, photos, the city's identifiers, the
    overrides; fewer for what is given."""
    articles = issue_articles_for_check(issue) if articles is None else articles
    if ids is None:
        ids = identifiers_for_city(issue.publication.city_id)
    overrides = overrides_for(articles)
    return [hit for a in articles for hit in article_hits(a, ids, overrides=overrides)]


@dataclass(frozen=True)
class TextHit:
    """A value found in one of the issue's own public texts: a section title,
    the editor's note, a correction's reason. ``label`` says where, the text
    shown masked; ``index`` is the section's or the correction's pk (0 for the
    note)."""

    where: str  # "section", "editor_note" or "correction"
    index: int
    kind: str
    masked: str
    label: str
    digest: str = ""
    context: str = ""

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def _found_list(found) -> str:
    return "、".join(f"{Kind(f.kind).label}“{MASKERS[f.kind](f.value)}”" for f in found)


def check_public_text(text: str, ids: Identifiers, *, field: str, what: str) -> None:
    """A text printed as the editor wrote it (the editor's note, a section
    title, a correction's reason): a value the gate finds in it stops the save
    (ValidationError on ``field`` naming the masked values). Unlike an
    article's hits it cannot be overridden: these are the editor's own words,
    which need no one's personal data."""
    found = scan_text(text, ids)
    if found:
        raise ValidationError(
            {
                field: _(
                    "%(what)s中有个人信息：%(values)s。%(what)s原样公开，"
                    "请删改后再保存。"
                )
                % {"what": what, "values": _found_list(found)}
            }
        )


def issue_text_hits(issue, ids: Identifiers) -> list[TextHit]:
    """The gate's finds in the issue's section titles, editor's note and (once
    published) corrections. One query for the sections, one for the
    corrections of a published issue; none for those the caller prefetched
    (``sections``, ``corrections``), which a sweep of many issues does."""
    # Ordered here rather than in the query, so prefetched rows come in the
    # same order as queried ones.
    sections = sorted(issue.sections.all(), key=lambda s: (s.position, s.pk))
    texts = [("section", s.pk, _("栏目名称“%(t)s”"), s.title) for s in sections]
    texts.append(("editor_note", 0, _("编者按"), issue.editor_note))
    if issue.pk and issue.is_published:
        corrections = sorted(issue.corrections.all(), key=lambda c: (c.at, c.pk))
        for c in corrections:
            texts.append(("correction", c.pk, _("更正说明“%(t)s”"), c.summary))
            texts.append(("correction", c.pk, _("更正理由“%(t)s”"), c.reason))
    hits = []
    for where, index, label, text in texts:
        found = scan_text(text, ids)
        if not found:
            continue
        shown = label % {"t": masked_text(text, ids)} if "%(t)s" in label else label
        hits.extend(
            TextHit(
                where,
                index,
                f.kind,
                MASKERS[f.kind](f.value),
                shown,
                value_digest(f.kind, f.value),
                context_at(text, ids, f.start),
            )
            for f in found
        )
    return hits


def check_issue_texts(issue, ids: Identifiers) -> None:
    """Publishing stops while a section title or the editor's note holds a
    value the gate finds (ValidationError listing where, masked)."""
    hits = issue_text_hits(issue, ids)
    if hits:
        by_label: dict[str, list[str]] = {}
        for hit in hits:
            by_label.setdefault(hit.label, []).append(f"{hit.kind_label}“{hit.masked}”")
        raise ValidationError(
            _("%(where)s。这些文字原样公开，不能放行：请删改后再发布。")
            % {
                "where": "；".join(
                    _("%(label)s中有%(values)s") % {"label": k, "values": "、".join(v)}
                    for k, v in by_label.items()
                )
            },
            code="privacy_text",
        )


def blocking(hits: list[Hit]) -> list[Hit]:
    return [h for h in hits if not h.overridden]
