"""Which county or station of the publication's city an article of a past issue
is about, read from its title and text (DESIGN.md §7).

Names looked for: a county's full name (罗定市), short name (罗定) and aliases
(云安民政); a town's full name (泗纶镇, 安塘街道), and its name without 镇/街道
when it is followed by 社工 or comes right after a county's name (安塘社工站,
罗定太平). The section decides what is matched: nothing for 市级动态, the county
for 县（市、区）动态, the station (and its county) for 社工站（点）动态 and other
sections (falling back to the county).

A town name found in more than one county (太平镇 in 新兴县 and 罗定市; 河口, a
street of 云城区 and a town of 郁南县) is resolved by the county named right before
it, else by the one candidate county named in the same sentence or, failing that,
anywhere in the article (a name given in part, 河口社工站, also by the full name
the article gives elsewhere, 河口镇). When that still leaves more than one, the article is
left unmatched and the reason says why: a wrong station is worse than none.

``Gazetteer(city)`` reads the city's counties, towns and stations once (three
queries); matching is then pure Python, whatever the number of articles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stations.models import City, County, Station, Town

# How sure a match is: the title named it (high), only the text did (medium).
HIGH = "high"
MEDIUM = "medium"
NONE = "none"

_TOWN_SUFFIX_RE = re.compile(r"(?:街道|镇|乡)$")
_ALIAS_SPLIT_RE = re.compile(r"[、，,；;\s/|]+")
_SENTENCE_RE = re.compile(r"[^。！？!?\n]+")


@dataclass
class Match:
    county: County | None = None
    station: Station | None = None
    town: Town | None = None
    confidence: str = NONE
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.county is not None or self.station is not None


@dataclass
class _Mention:
    start: int
    end: int
    counties: list[County] = field(default_factory=list)
    towns: list[Town] = field(default_factory=list)
    base_only: bool = False  # a town named without 镇/街道


class Gazetteer:
    def __init__(self, city: City):
        self.city = city
        self.counties = list(County.objects.filter(city=city))
        self.towns = list(
            Town.objects.filter(county__city=city).select_related("county")
        )
        self.stations = {
            s.town_id: s
            for s in Station.objects.filter(town__county__city=city).select_related(
                "town__county"
            )
        }
        names: dict[str, dict] = {}

        def add(name, key, obj):
            name = (name or "").strip()
            if len(name) < 2:
                return
            entry = names.setdefault(name, {"county": [], "town": [], "base": []})
            if obj not in entry[key]:
                entry[key].append(obj)

        for county in self.counties:
            add(county.name, "county", county)
            add(county.short_name, "county", county)
            for alias in _ALIAS_SPLIT_RE.split(county.aliases or ""):
                add(alias, "county", county)
        for town in self.towns:
            add(town.name, "town", town)
            base = _TOWN_SUFFIX_RE.sub("", town.name)
            if base != town.name:
                add(base, "base", town)
        self.names = names
        # Longest names first, so 云城街道 wins over 云城 and 河口镇 over 河口.
        alternatives = sorted(names, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(re.escape(n) for n in alternatives))
            if alternatives
            else None
        )

    # --- Mentions ---------------------------------------------------------------------

    def mentions(self, text: str) -> list[_Mention]:
        if not self.pattern or not text:
            return []
        found: list[_Mention] = []
        for m in self.pattern.finditer(text):
            entry = self.names[m.group(0)]
            mention = _Mention(m.start(), m.end(), list(entry["county"]))
            if entry["town"]:
                mention.towns = list(entry["town"])
            elif entry["base"]:
                after = text[m.end() : m.end() + 2]
                before_county = (
                    bool(found)
                    and found[-1].end == m.start()
                    and (found[-1].counties and not found[-1].towns)
                )
                if after.startswith(("社工", "站")) or before_county:
                    mention.towns = list(entry["base"])
                    mention.base_only = True
                    if not after.startswith(("社工", "站")):
                        mention.counties = []
            if mention.towns:
                # A name that is both a county's short name and a town's (云城):
                # followed by 社工 it is the town.
                if mention.counties and mention.base_only:
                    mention.counties = []
            if mention.counties or mention.towns:
                found.append(mention)
        return found

    def _resolve_town(
        self, text: str, mentions: list[_Mention], index: int, article_text: str
    ):
        """(town or None, reason) for the town mention at ``index``."""
        mention = mentions[index]
        candidates = mention.towns
        if len(candidates) == 1:
            return candidates[0], ""
        # The county named right before it: 罗定市太平镇.
        if index > 0:
            before = mentions[index - 1]
            if before.end >= mention.start - 1 and before.counties:
                chosen = [t for t in candidates if t.county in before.counties]
                if len(chosen) == 1:
                    return chosen[0], ""
        # The county named in the same sentence, then anywhere in the article.
        sentence = next(
            (
                s
                for s in _SENTENCE_RE.finditer(text)
                if s.start() <= mention.start < s.end()
            ),
            None,
        )
        scopes = [text[sentence.start() : sentence.end()]] if sentence else []
        scopes.append(article_text)
        for scope in scopes:
            named = {c for m in self.mentions(scope) if not m.towns for c in m.counties}
            chosen = [t for t in candidates if t.county in named]
            if len(chosen) == 1:
                return chosen[0], ""
        # A town named only in part (河口社工站) and in full elsewhere (河口镇).
        if mention.base_only:
            full = {
                t
                for m in self.mentions(article_text)
                if m.towns and not m.base_only
                for t in m.towns
                if t in candidates
            }
            if len(full) == 1:
                return full.pop(), ""
        name = text[mention.start : mention.end]
        return None, _(
            "“%(name)s”在%(counties)s都有，文中没有写明是哪个县（市、区），未匹配。"
        ) % {
            "name": name,
            "counties": "、".join(
                sorted({t.county.name for t in candidates}, key=self._order)
            ),
        }

    def _order(self, county_name: str) -> int:
        for county in self.counties:
            if county.name == county_name:
                return county.display_order
        return 0

    def _towns_in(self, text: str, article_text: str) -> tuple[list[Town], list[str]]:
        """Towns named in ``text`` in order (resolved), and reasons for names
        that could not be resolved."""
        mentions = self.mentions(text)
        towns: list[Town] = []
        reasons: list[str] = []
        for index, mention in enumerate(mentions):
            if not mention.towns:
                continue
            town, reason = self._resolve_town(text, mentions, index, article_text)
            if town is not None:
                towns.append(town)
            elif reason not in reasons:
                reasons.append(reason)
        return towns, reasons

    def _counties_in(self, text: str) -> list[County]:
        counties = []
        for mention in self.mentions(text):
            if mention.counties and not mention.towns:
                counties += mention.counties
        return counties

    # --- Matching ---------------------------------------------------------------------

    def match(self, *, title: str, text: str, section_kind: str) -> Match:
        """Match an article from its ``title`` and whole ``text`` (title,
        subtitle and body), as it stood in a section of ``section_kind``."""
        if section_kind == "city":
            return Match(reason=_("市级动态的文章不对应县（市、区）或社工站。"))
        article_text = f"{title}\n{text}"
        if section_kind == "county":
            return self._match_county(title, article_text)
        found = self._match_station(title, article_text)
        if found.station is None and found.county is None and not found.reason:
            return self._match_county(title, article_text)
        return found

    def _county_of(
        self, text: str, article_text: str
    ) -> tuple[list[County], list[str]]:
        counties = self._counties_in(text)
        towns, reasons = self._towns_in(text, article_text)
        distinct = list(dict.fromkeys(counties))
        if not distinct:
            distinct = list(dict.fromkeys(t.county for t in towns))
        return distinct, reasons

    def _match_county(self, title: str, article_text: str) -> Match:
        counties, _reasons = self._county_of(title, article_text)
        if len(counties) == 1:
            return Match(county=counties[0], confidence=HIGH)
        if len(counties) > 1:
            return Match(
                reason=_("标题提到多个县（市、区）（%(names)s），未匹配。")
                % {"names": "、".join(c.name for c in counties)}
            )
        named = Counter(self._counties_in(article_text))
        if not named:
            named = Counter(
                t.county for t in self._towns_in(article_text, article_text)[0]
            )
        if named:
            ranked = named.most_common()
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                return Match(
                    county=ranked[0][0],
                    confidence=MEDIUM,
                    reason=_("标题没有写县（市、区），按正文匹配。"),
                )
            return Match(reason=_("正文提到多个县（市、区），无法确定，未匹配。"))
        return Match(reason=_("标题和正文都没有找到县（市、区）的名称。"))

    def _with_town(self, town: Town, confidence: str, reason: str = "") -> Match:
        station = self.stations.get(town.pk)
        if station is None:
            reason = _("%(town)s 没有登记社工站，只匹配到县（市、区）。") % {
                "town": town.name
            }
        return Match(
            county=town.county,
            station=station,
            town=town,
            confidence=confidence,
            reason=reason,
        )

    def _match_station(self, title: str, article_text: str) -> Match:
        towns, reasons = self._towns_in(title, article_text)
        distinct = list(dict.fromkeys(towns))
        if len(distinct) == 1 and not reasons:
            return self._with_town(distinct[0], HIGH)
        if len(distinct) > 1:
            counties = {t.county for t in distinct}
            county = counties.pop() if len(counties) == 1 else None
            return Match(
                county=county,
                confidence=MEDIUM if county else NONE,
                reason=_("标题提到多个镇（街道）（%(names)s），未匹配社工站。")
                % {"names": "、".join(t.name for t in distinct)},
            )
        if reasons:
            # The title names a town that exists in several counties.
            counties, _r = self._county_of(title, article_text)
            return Match(
                county=counties[0] if len(counties) == 1 else None,
                reason=reasons[0],
            )
        # The title names no town: the one the text names most, if one leads.
        body_towns, body_reasons = self._towns_in(article_text, article_text)
        named = Counter(body_towns).most_common()
        if named and (len(named) == 1 or named[0][1] > named[1][1]):
            return self._with_town(
                named[0][0], MEDIUM, _("标题没有写镇（街道），按正文匹配。")
            )
        if named:
            return Match(reason=_("正文提到多个镇（街道），无法确定，未匹配社工站。"))
        if body_reasons:
            return Match(reason=body_reasons[0])
        return Match()
