"""What public content shows outside its own pages: in feeds, in the sitemap,
and in share previews (OpenGraph, Twitter cards).

- Dates. An issue is dated by its printed date (``issue_date``), not by when it
  was published or imported: an issue of 2021 imported today came out in 2021.
  Its moment is that date at ``ISSUE_HOUR`` in the site's time zone
  (``TIME_ZONE``, Asia/Shanghai), a morning hour so that the date reads the
  same in UTC. A correction is a later change: it moves the ``updated`` of an
  Atom entry and the sitemap's ``lastmod`` to its own time.
- Summaries. A description, a feed entry's summary or a list's excerpt ends
  at a sentence when one ends within the limit, else with "…" cut between
  characters but never inside a Latin word or a number.
- Share images. A page shows its first photo (a large card), else its
  publication's emblem, else the site's default image (a small card).

Pure functions of what they are given: no query here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.photos import WEB_SIZE

# --- Dates ---------------------------------------------------------------------------

ISSUE_HOUR = 9


def issue_moment(issue_date: datetime.date) -> datetime.datetime:
    """The moment an issue of ``issue_date`` is dated by in feeds and the sitemap."""
    return datetime.datetime.combine(
        issue_date,
        datetime.time(ISSUE_HOUR),
        tzinfo=timezone.get_default_timezone(),
    )


def last_change(
    issue_date: datetime.date, corrected_at: datetime.datetime | None
) -> datetime.datetime:
    """When content of an issue of ``issue_date`` last changed: its latest
    correction (``corrected_at``, None without one), else the issue's moment."""
    moment = issue_moment(issue_date)
    return max(moment, corrected_at) if corrected_at is not None else moment


# --- Summaries -----------------------------------------------------------------------

SUMMARY_LENGTH = 120
ELLIPSIS = "…"
# A sentence ends at 。！？ (or their half-width forms), with any closing quote
# or bracket that follows.
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)\"']*")
# A Latin word or a number, with what holds one together (3.5, 1,200,
# 2026-12-07, 10:30, 50%): a cut inside one would change what it says.
_LATIN_RUN = re.compile(r"[A-Za-z0-9]+(?:[.,:/'’%-][A-Za-z0-9%]+)*%?")
# What a cut text should not end on before its ellipsis.
_TRAILING = " ，、；：,;:（(“‘《「『"


def summarize(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """``text`` on one line, at most ``limit`` characters: whole when it fits;
    else up to the last sentence end within the limit (when that keeps at
    least a third of it, so a short opening sentence is not all that is
    left); else cut with "…" (counted in the limit) between two characters,
    moved back to the start of a Latin word or number it would split."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit)]
    # A closing quote may run past the limit: such an end does not count.
    ends = [end for end in ends if end <= limit]
    if ends and ends[-1] >= limit // 3:
        return text[: ends[-1]]
    cut = limit - len(ELLIPSIS)
    for run in _LATIN_RUN.finditer(text):
        if run.start() >= cut:
            break
        if cut < run.end():
            # A run that starts the text is cut where it must be.
            cut = run.start() or cut
            break
    head = text[:cut].rstrip(_TRAILING)
    return (head or text[:cut]) + ELLIPSIS


# --- Share images --------------------------------------------------------------------

DEFAULT_IMAGE = "img/share-default.png"
DEFAULT_IMAGE_SIZE = (1200, 630)


@dataclass(frozen=True)
class ShareImage:
    """The image of a share preview: ``url`` a path (or an absolute address
    for files on object storage), its size (0 when unknown), its text, and
    whether it is a photo (shown as a large card)."""

    url: str
    width: int
    height: int
    alt: str
    large: bool = False


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    # The photo pipeline's rule (activities/photos/pipeline.py).
    width, height = size
    if not (width and height):
        return 0, 0
    scale = longest / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def default_image() -> ShareImage:
    width, height = DEFAULT_IMAGE_SIZE
    return ShareImage(static(DEFAULT_IMAGE), width, height, _("民政简报"))


def emblem_image(publication) -> ShareImage | None:
    """The publication's emblem, while it is in use and its file can be read
    (media serves an emblem only then: portal/media.py)."""
    if publication is None or not publication.is_active or not publication.emblem:
        return None
    try:
        width, height = publication.emblem.width, publication.emblem.height
    except (OSError, ValueError):
        return None
    return ShareImage(publication.emblem.url, width or 0, height or 0, publication.name)


def share_image(*, photo=None, publication=None, alt: str = "") -> ShareImage:
    """The image a page is shared with: ``photo`` (an article photo with a
    picture: its web rendition, as a large card, ``alt`` its text when it has
    no caption), else the publication's emblem, else the site's default."""
    if photo is not None:
        width, height = _fit(photo.size, WEB_SIZE)
        return ShareImage(
            photo.web_file.url, width, height, photo.caption or alt, large=True
        )
    return emblem_image(publication) or default_image()
