"""The privacy gate (DESIGN.md §6): nothing the public sees may carry the name,
ID number, phone or home address of a person in the beneficiary files.

Every text the public will see is read before it is published or corrected:
articles' titles, subtitles, bodies and photo captions (``hits``: a hit may be
overridden by an editor with a recorded reason), and the issue's own section
titles, editor's note and corrections (never overridden). Photos showing
people without their consent are hits too. Past issues that arrive by import
pass the same gate: one with hits stays a draft. ``privacy_sweep`` runs the
gate again over everything already published.

- ``text``: the normalised spellings both sides are compared in;
- ``scan``: what is looked for in one text, and the masks;
- ``hits``: the findings in an issue, safe to show.
"""

from .hits import (
    Hit,
    article_hits,
    blocking,
    check_issue_texts,
    check_public_text,
    find_hit,
    hit_context,
    identifiers_for_city,
    issue_articles_for_check,
    issue_privacy_check,
    issue_text_hits,
    overrides_for,
    places_with_hits,
)
from .scan import (
    MASKERS,
    Identifiers,
    Kind,
    masked_text,
    personal_number_in,
    scan_text,
)

__all__ = [
    "Hit",
    "Identifiers",
    "Kind",
    "MASKERS",
    "article_hits",
    "blocking",
    "check_issue_texts",
    "check_public_text",
    "find_hit",
    "hit_context",
    "identifiers_for_city",
    "issue_articles_for_check",
    "issue_privacy_check",
    "issue_text_hits",
    "masked_text",
    "overrides_for",
    "personal_number_in",
    "places_with_hits",
    "scan_text",
]
