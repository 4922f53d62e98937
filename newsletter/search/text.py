"""What the search stores with each article and how a hit is shown.

Chinese is written without spaces, so words cannot be split out of a sentence
the way English words are. The search therefore works on characters: an
article's ``search_grams`` lists every character and every pair of adjacent
characters of its title, subtitle and body (儿童之家 gives 儿 童 之 家 儿童 童之
之家), each once. A one-character query is one of those characters, a
two-character query (儿童, 禁毒: the usual Chinese word) one of those pairs, and a
longer one all of its pairs, then checked against the text itself
(newsletter/search/query.py). ``search_text`` is the plain text of the body: the
check, and the excerpt shown with a hit, read it.

Everything here is pure text: no database, no models.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..rendering import photo_number, text_blocks

# A run of letters or digits (any script): punctuation and spaces end a run, so
# no pair straddles "，" or a line break. The underscore is left out because
# PostgreSQL's text-search parser splits on it.
RUN_RE = re.compile(r"[^\W_]+")

# The longest query taken, and the most terms (words separated by spaces).
QUERY_MAX = 50
TERMS_MAX = 5


def body_text(body: str) -> str:
    """The plain text of an article body: its paragraphs and subheadings, one a
    line, photo markers left out."""
    lines = []
    for block in text_blocks(body):
        text = " ".join(block.text.split())
        if text and photo_number(text) is None:
            lines.append(text)
    return "\n".join(lines)


def grams_of(*texts: str) -> list[str]:
    """Each character and each pair of adjacent characters of ``texts``,
    lower-cased, once each, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for run in RUN_RE.findall((text or "").lower()):
            for i, char in enumerate(run):
                seen.setdefault(char)
                if i + 1 < len(run):
                    seen.setdefault(run[i : i + 2])
    return list(seen)


def search_columns(title: str, subtitle: str, body: str) -> tuple[str, str]:
    """(search_text, search_grams) for an article with this text."""
    text = body_text(body)
    return text, " ".join(grams_of(title, subtitle, text))


def query_grams(term: str) -> list[str]:
    """The grams a term must have: a one-character run itself, a longer run its
    pairs. Empty when the term holds no letter or digit."""
    grams: dict[str, None] = {}
    for run in RUN_RE.findall(term.lower()):
        if len(run) == 1:
            grams.setdefault(run)
        for i in range(len(run) - 1):
            grams.setdefault(run[i : i + 2])
    return list(grams)


def is_exact(term: str) -> bool:
    """Whether a term's grams answer it exactly: one or two letters or digits and
    nothing else. A longer term needs its pairs checked against the text (甲乙丙
    has the pairs 甲乙 and 乙丙, and so does 乙丙…甲乙)."""
    runs = RUN_RE.findall(term)
    return len(runs) == 1 and runs[0] == term and len(term) <= 2


def split_terms(query: str) -> list[str]:
    """The terms of a query: its words separated by spaces (any width), those
    without a letter or digit dropped, each once, at most TERMS_MAX."""
    terms: list[str] = []
    for word in query.split():
        if RUN_RE.search(word) and word.lower() not in (t.lower() for t in terms):
            terms.append(word)
    return terms[:TERMS_MAX]


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern | None) -> str:
    """``text`` escaped, each hit wrapped in <mark>. Only our own tags are added
    to escaped text, so the result is safe whatever the text holds."""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str, terms: list[str]) -> SafeString:
    """A whole short text (a title) with its hits marked."""
    return mark_safe(_marked(text or "", _pattern(terms)))  # escaped above


def excerpt(text: str, terms: list[str], width: int = 110) -> SafeString:
    """About ``width`` characters of ``text`` around its first hit, the hits
    marked, "…" where it was cut; the start of the text when there is no hit in
    it (the hit was in the title)."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match is not None:
        start = max(0, match.start() - width // 4)
    end = min(len(text), start + width)
    if match is not None and end - start < width:
        start = max(0, end - width)
    piece = _marked(text[start:end], pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{piece}{suffix}")  # escaped above
