"""Where a Chinese title may break: cut into phrases with jieba, then set in
balanced lines that break only between phrases and never leave a line of one or
two characters alone (…系列培 / 训). The Word file and the print view both use it.

Widths are counted in full-width characters: a CJK character, a full-width or
CJK punctuation mark (East Asian width W, F or A: “” and ——  too) counts 1, a
Latin letter, digit or space counts ½.

jieba is loaded on first use (about a second the first time in a process while
it builds its dictionary cache, which it keeps in the system's temporary
directory, never beside the code), on a tokenizer of our own so that the words
added here do not change anyone else's jieba, and with its logger quiet."""

from __future__ import annotations

import logging
import math
import threading
import unicodedata

# A4 (210 mm) less the Word file's margins (28 + 26 mm) leaves 156 mm ≈ 442 pt
# of text width; a title at 18 pt (newsletter/word_export.py's TITLE_SIZE) sets
# 442 / 18 = 24.6, so 24 full-width characters to a line.
PAPER_TITLE_WIDTH = 24
# A subtitle, at 16 pt on the same width: 442 / 16 = 27.6, so 27.
PAPER_SUBTITLE_WIDTH = 27

# Words of the newsletter that jieba's dictionary cuts in two (社工 / 站).
_WORDS = ("社工站", "社工点", "双百工程", "民政局", "民政厅", "兜底民生")

# Marks that open what follows (quotes, brackets, the dash that leads a
# subtitle): they go with the phrase after them, never at a line's end.
_OPENING_CATEGORIES = ("Ps", "Pi", "Pd")

# Part-of-speech tags of words that go with the word after them: a
# preposition (为, 对, 关于), a conjunction (和, 与), a prefix (副, 非).
_FORWARD_FLAGS = ("p", "c", "b", "h")

# Quotation marks and brackets; what they enclose stays on one line when no
# wider than this (a name in quotes: “暖心护苗 呵护成长”).
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "【": "】"}
_QUOTE_WIDTH = 12

# Marks that end a sentence: a title's line should not end with one.
_SENTENCE_ENDS = "。！？；：…!?;:"

_lock = threading.Lock()
_pos_tokenizer = None


def _tokens() -> object:
    """The part-of-speech tokenizer, made on first use."""
    global _pos_tokenizer
    if _pos_tokenizer is None:
        with _lock:
            if _pos_tokenizer is None:
                import jieba
                import jieba.posseg

                logging.getLogger("jieba").setLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in _WORDS:
                    tokenizer.add_word(word, tag="n")
                _pos_tokenizer = jieba.posseg.POSTokenizer(tokenizer)
    return _pos_tokenizer


def char_width(char: str) -> float:
    """1 for a full-width character, ½ for a Latin letter, digit or space."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.5


def text_width(text: str) -> float:
    return sum(char_width(char) for char in text)


def _is_mark(word: str) -> bool:
    """Punctuation or white space only."""
    return all(char.isspace() or unicodedata.category(char)[0] == "P" for char in word)


def _opens(word: str) -> bool:
    return not any(char.isspace() for char in word) and all(
        unicodedata.category(char) in _OPENING_CATEGORIES for char in word
    )


def phrases(text: str) -> list[str]:
    """The title cut into phrases that keep words whole: jieba's words, with a
    closing mark (，。：”）) kept with the phrase before it and an opening one
    (“（《 and the dash) with the phrase after it, a preposition or
    conjunction (为, 对, 与) with the word it governs, a particle (的, 了) and a
    lone character (常态 / 化, 社工 / 站) with the word before it.
    ``"".join(phrases(text)) == text``."""
    if not text:
        return []
    pieces: list[str] = []
    prefix = ""  # opening marks and prepositions waiting for their word
    glue_next = False
    for token in _tokens().lcut(text, HMM=True):
        word, flag = token.word, token.flag
        if _is_mark(word):
            if _opens(word):
                prefix += word
            elif prefix or not pieces:
                prefix += word
            else:
                pieces[-1] += word
            continue
        forward = flag.startswith(_FORWARD_FLAGS)
        backward = (
            pieces
            and not prefix
            and not glue_next
            and not forward
            and (flag.startswith("u") or len(word) == 1)
        )
        if backward or (glue_next and pieces):
            pieces[-1] += prefix + word
        else:
            pieces.append(prefix + word)
        prefix = ""
        glue_next = forward
    if prefix:
        if pieces:
            pieces[-1] += prefix
        else:
            pieces.append(prefix)
    return _keep_quotes(text, pieces)


def _keep_quotes(text: str, pieces: list[str]) -> list[str]:
    """Pieces rejoined inside a short quotation or bracket (“双百工程”,
    “珍爱生命，远离毒品”, （点）): a name in quotes is set on one line."""
    cuts = set()
    offset = 0
    for piece in pieces[:-1]:
        offset += len(piece)
        cuts.add(offset)
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char in _PAIRS:
            stack.append((_PAIRS[char], index))
        elif stack and char == stack[-1][0]:
            _, start = stack.pop()
            if text_width(text[start : index + 1]) <= _QUOTE_WIDTH:
                cuts = {cut for cut in cuts if not start < cut <= index}
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if a < b]


def _characters(phrase: str) -> list[str]:
    """A phrase too long for a line, cut into characters, marks kept with
    their neighbours as in ``phrases``."""
    units: list[str] = []
    prefix = ""
    for char in phrase:
        if _is_mark(char) and not _opens(char) and units and not prefix:
            units[-1] += char
        elif _opens(char):
            prefix += char
        else:
            units.append(prefix + char)
            prefix = ""
    if prefix:
        units.append(prefix)
    return units


def _too_short(width: float) -> bool:
    return width <= 2


def _best(units: list[str], width: int) -> list[str] | None:
    """The balanced setting of ``units`` in the fewest lines that fit, or None."""
    widths = [text_width(unit) for unit in units]
    total = sum(widths)
    count = len(units)
    # prefix[i] = width of units[:i]
    prefix = [0.0]
    for value in widths:
        prefix.append(prefix[-1] + value)
    for lines in range(max(1, math.ceil(total / width)), count + 1):
        mean = total / lines
        # best[k][i]: (cost, previous break) for units[:i] in k lines
        inf = (math.inf, -1)
        best = [[inf] * (count + 1) for _ in range(lines + 1)]
        best[0][0] = (0.0, -1)
        for k in range(1, lines + 1):
            for i in range(1, count + 1):
                for j in range(k - 1, i):
                    if best[k - 1][j][0] == math.inf:
                        continue
                    line = prefix[i] - prefix[j]
                    if line > width or _too_short(line):
                        continue
                    cost = best[k - 1][j][0] + (line - mean) ** 2
                    # A break after a comma (or a closing quote) reads best;
                    # a line ending a sentence inside a title (：；。) reads as
                    # the end of it, and is read so on import, except the
                    # first line's colon (云城区安塘街道社工站：); a first
                    # line at least as long as the next one is the paper's way.
                    end = units[j - 1].rstrip()[-1:] if j else ""
                    if end and end in _SENTENCE_ENDS and not (k == 2 and end in "：:"):
                        cost += 4.0
                    elif end and _is_mark(end):
                        cost -= 1.5
                    if k > 1 and line > prefix[j] - prefix[best[k - 1][j][1]]:
                        cost += 0.25
                    if cost < best[k][i][0]:
                        best[k][i] = (cost, j)
        if best[lines][count][0] < math.inf:
            cuts = []
            i, k = count, lines
            while k:
                j = best[k][i][1]
                cuts.append("".join(units[j:i]))
                i, k = j, k - 1
            return cuts[::-1]
    return None


def title_lines(text: str, width: int) -> list[str]:
    """The title in lines of at most ``width`` full-width characters, broken
    only between phrases (between characters inside a phrase longer than a
    line), as even as can be, the first line the longer when they cannot be
    even, and never a line of one or two characters; one line when it fits.
    ``"".join(title_lines(text, width)) == text``."""
    if text_width(text) <= width or not text:
        return [text] if text else []
    units: list[str] = []
    for phrase in phrases(text):
        if text_width(phrase) > width:
            units.extend(_characters(phrase))
        else:
            units.append(phrase)
    lines = _best(units, width)
    if lines is None:  # phrases that cannot be set without an orphan: characters
        lines = _best([c for unit in units for c in _characters(unit)], width)
    return lines if lines is not None else [text]
