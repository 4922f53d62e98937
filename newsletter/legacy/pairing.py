"""Pairing the table of contents with the titles found in the body.

The two were typed separately and differ now and then by a character (the
seed's 社工（点）/社工站（点）, 青少年/青年), and the contents may give a title and
its subtitle as one line (建立健全…机制——云浮市民政局…). Titles are compared
without spaces and with one form of each punctuation mark; a pair is ``exact``
when they are then equal, ``loose`` when difflib's ratio is at least
``LOOSE_MIN``. Pairs are made greedily, the most similar first."""

from __future__ import annotations

from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from .lines import norm
from .structure import Pairing, ParsedArticle, ParsedIssue, TocEntry, TocSection

LOOSE_MIN = 0.6


def _main(text: str) -> str:
    """The title part of a contents line that also gives the subtitle."""
    return text.split("--", 1)[0] if "--" in text else text


def ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def candidate_ratio(text: str, entries: list[TocEntry]) -> float:
    """How well a possible title of the body matches the best contents line."""
    key = norm(text)
    best = 0.0
    for entry in entries:
        line = norm(entry.title)
        best = max(best, ratio(key, line), ratio(key, _main(line)))
    return best


def score(entry_title: str, article: ParsedArticle) -> tuple[bool, float]:
    """(exact, similarity) of a contents line and an article of the body."""
    line = norm(entry_title)
    title = norm(article.title)
    full = norm(article.full_title)
    if line in (title, full):
        return True, 1.0
    best = max(ratio(line, title), ratio(line, full))
    if "--" in line:
        # The contents give a subtitle the body lacks or words differently: the
        # title part alone decides, a little below a full match.
        best = max(best, ratio(_main(line), title) * 0.98)
    return False, best


def merge_broken_entries(toc: list[TocSection], articles: list[ParsedArticle]):
    """Join two consecutive contents lines that are one title broken in two,
    when together they match a title of the body better than either alone."""
    for section in toc:
        i = 0
        while i < len(section.entries) - 1:
            first, second = section.entries[i], section.entries[i + 1]
            joined = first.title + second.title

            def best(text):
                return max((score(text, a)[1] for a in articles), default=0.0)

            together = best(joined)
            if together >= 0.9 and together > max(
                best(first.title), best(second.title)
            ):
                section.entries[i : i + 2] = [TocEntry(joined)]
                continue
            i += 1


def pair(issue: ParsedIssue) -> dict[int, TocSection]:
    """Pair each article with a contents line; set its ``toc_title``,
    ``pairing`` and ``similarity``; add warnings for loose pairs and for what
    is on one side only. Returns the contents section of each paired article
    (by ``id``), so sections can come from the contents when the body has none."""
    articles = issue.articles
    if not issue.has_toc:
        return {}
    merge_broken_entries(issue.toc, articles)
    entries = [(section, entry) for section in issue.toc for entry in section.entries]
    scored = []
    for e_index, (_section, entry) in enumerate(entries):
        for a_index, article in enumerate(articles):
            exact, similarity = score(entry.title, article)
            if exact or similarity >= LOOSE_MIN:
                # Exact pairs first, then by similarity; ties keep reading order.
                scored.append((not exact, -similarity, e_index, a_index, exact))
    scored.sort()
    paired_entries: set[int] = set()
    paired_articles: set[int] = set()
    section_of: dict[int, TocSection] = {}
    for _not_exact, neg_similarity, e_index, a_index, exact in scored:
        if e_index in paired_entries or a_index in paired_articles:
            continue
        paired_entries.add(e_index)
        paired_articles.add(a_index)
        section, entry = entries[e_index]
        entry.paired = True
        article = articles[a_index]
        article.toc_title = entry.title
        article.similarity = round(-neg_similarity, 3)
        article.pairing = Pairing.EXACT if exact else Pairing.LOOSE
        section_of[id(article)] = section
        if not exact:
            article.warnings.append(
                _(
                    "目录中的标题“%(toc)s”与正文标题不完全一致（相似度 %(ratio).0f%%），"
                    "已按同一篇处理，请核对。"
                )
                % {"toc": entry.title, "ratio": article.similarity * 100}
            )
    for index, article in enumerate(articles):
        if index not in paired_articles:
            article.warnings.append(_("这篇文章不在目录中。"))
    for index, (_section, entry) in enumerate(entries):
        if index not in paired_entries:
            issue.warnings.append(
                _("目录中的“%(title)s”在正文中没有找到对应的文章。")
                % {"title": entry.title}
            )
    return section_of
