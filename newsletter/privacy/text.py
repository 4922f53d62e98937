"""Text as the privacy gate reads it: one spelling for the many ways a name or
a number can be typed.

A Chinese input method in full-width mode types U+3000 for a space and － for a
hyphen on its own; people paste numbers from Word with no-break or zero-width
spaces in them, group them with dots or dashes, write a name with a middle dot
or in traditional characters, and spell a phone number out in Chinese
numerals. The gate must see through all of it, on both sides: the published
text and the values registered in the files are normalised by the same
functions here.

A ``Skeleton`` is the normalised text together with, for each of its
characters, the offset of the original character it came from, so a hit found
in the skeleton is shown (masked) where it stands in the text the editor wrote.
Two skeletons are made of a text:

- ``for_names``: NFKC; separators and invisible characters dropped; traditional
  characters read as simplified (OpenCC's t2s table, one character at a time so
  that every character keeps its place). Numerals stay what they are: 王二小 is a
  name, not 王2小.
- ``for_numbers``: the same, with brackets and plus signs dropped too (0086,
  (0766)), and Chinese numerals that spell digits (一三八…, 〇, 幺, 壹贰叁…) read
  as digits. It also records where a separator stood between two characters,
  and the place of each numeral (``cuts``): a number is matched on those
  boundaries, so that a date written 2023.03.15 never lends its digits to the
  middle of a phone, and the 一 of 一家 never lengthens the number before it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Dots of every kind that people put between the characters of a name or the
# groups of a number (after NFKC, which reads ． as . and ･ as ・).
_DOTS = ".·•‧・∙⋅·‥"
# Invisible characters that a paste from Word or a web page carries along.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
# Dashes that Unicode does not class as dashes (Pd): the minus sign, the
# hyphen bullet, the katakana long mark an IME offers beside the dash, the box
# line some fonts draw a dash with, and the underscore.
_DASH_LIKE = "\u2212\u2043\u30fc\u2500\u2501_"
# Between the groups of a number, and only there: brackets around an area code
# and the plus of +86.
_NUMBER_ONLY = "()[]{}【】〔〕〖〗<>+"

# Chinese numerals that spell a digit, as a phone or ID number is written out.
# Positional numerals (十, 百, 千) spell quantities, never digits of a number.
_DIGITS = {
    "〇": "0",
    "○": "0",
    "◯": "0",
    "零": "0",
    "一": "1",
    "幺": "1",
    "壹": "1",
    "二": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}

_t2s = opencc.OpenCC("t2s")


def _is_separator(char: str) -> bool:
    if char.isspace() or char in _DOTS or char in _INVISIBLE or char in _DASH_LIKE:
        return True
    category = unicodedata.category(char)
    # Pd: hyphens and dashes of every kind (－ – — ‐ ‑ ⸺ 〜 …); Cf: format
    # characters (zero-width and direction marks); Z*: spaces of every width.
    return category == "Pd" or category == "Cf" or category.startswith("Z")


@lru_cache(maxsize=65536)
def _name_form(char: str) -> str:
    """What one original character becomes in the name skeleton: "" when it is
    a separator, else its NFKC form read as simplified Chinese, lower-cased."""
    out = []
    for piece in unicodedata.normalize("NFKC", char):
        if _is_separator(piece):
            continue
        simple = _t2s.convert(piece)
        out.append((simple if len(simple) == 1 else piece).lower())
    return "".join(out)


@lru_cache(maxsize=65536)
def _number_form(char: str) -> str:
    """The same for the number skeleton: brackets and + are separators too, a
    numeral is its digit, and x is X (the ID number's check character)."""
    out = []
    for piece in _name_form(char):
        if piece in _NUMBER_ONLY:
            continue
        out.append(_DIGITS.get(piece, "X" if piece == "x" else piece))
    return "".join(out)


@dataclass(frozen=True)
class Skeleton:
    """A normalised text. ``origin[i]`` is the offset, in the original text, of
    the character that ``text[i]`` came from; ``cuts`` holds every ``i`` at
    which one or more separators were dropped just before ``text[i]`` (and 0
    and ``len(text)``)."""

    text: str
    origin: tuple[int, ...]
    cuts: frozenset[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of ``text[start:end]``."""
        return self.origin[start], self.origin[end - 1] + 1


def _skeleton(text: str, form, numerals: bool = False) -> Skeleton:
    chars: list[str] = []
    origin: list[int] = []
    length = 0
    cuts = {0}
    for offset, char in enumerate(text or ""):
        out = form(char)
        if not out:
            cuts.add(length)
            continue
        numeral = numerals and _name_form(char) in _DIGITS
        if numeral:
            # A numeral is a boundary of its own: 一 reads as 1 in 一三八…, but
            # the 一 of 一家 right after a number must not lengthen it.
            cuts.add(length)
        chars.append(out)
        origin.extend([offset] * len(out))
        length += len(out)
        if numeral:
            cuts.add(length)
    cuts.add(length)
    return Skeleton("".join(chars), tuple(origin), frozenset(cuts))


def for_names(text: str) -> Skeleton:
    return _skeleton(text, _name_form)


def for_numbers(text: str) -> Skeleton:
    return _skeleton(text, _number_form, numerals=True)


def name_key(value: str) -> str:
    """A registered name (or address) as the name skeleton spells it."""
    return "".join(_name_form(char) for char in (value or ""))


def number_key(value: str) -> str:
    """A registered ID or phone number as the number skeleton spells it."""
    return "".join(_number_form(char) for char in (value or ""))
