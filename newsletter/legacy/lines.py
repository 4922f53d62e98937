"""What one line of a past issue is: a section heading, a subheading, the start
of a subtitle, a sentence, a line that may be (part of) a title. The rules come
from how the bureau's issues are written (see the seed issue); each is a guess a
reader of the paper would make, and reader.py checks titles against the table
of contents when there is one."""

from __future__ import annotations

import re

from activities.models.reports import SUBHEADING_RE
from activities.word_import.reader import BYLINE_RE, SUBTITLE_DASHES_RE

from .structure import Line, ParsedImage

# One line of a title; longer lines are paragraphs.
TITLE_LINE_MAX = 50
# A title broken over at most this many lines, and at most this long in all.
TITLE_MAX_LINES = 4
TITLE_MAX = 160
SUBTITLE_MAX_LINES = 3
SUBHEADING_MAX = 40
SECTION_TITLE_MAX = 20

CLOSERS = "”’」』）)》】\"'"
# A line ending a sentence (after its closing quotes and brackets) is body text.
SENTENCE_END_RE = re.compile(r"[。！？；：…!?;:.．]$")
# A line starting with these continues the sentence of the line before it.
CONTINUATION_START_RE = re.compile(r"^[，、；：。！？,;:.!?）)」』”’]")

TOC_HEADINGS = {"本期内容", "本期要目", "本期目录", "目录", "要目", "本期导读"}

_BULLETS = "●○■□◆◇★☆▲△▶►•◎◉❖➤"
# ●市级动态 / ■ 县区动态
_BULLET_HEADING_RE = re.compile(
    rf"^[{_BULLETS}]\s*(?P<t>\S.{{0,{SECTION_TITLE_MAX}}})$"
)
# 【县区动态】 / 〖社工站动态〗 / [市级动态]
_BRACKET_HEADING_RE = re.compile(
    rf"^[【〖\[]\s*(?P<t>[^】〗\]]{{2,{SECTION_TITLE_MAX}}}?)\s*[】〗\]]$"
)
# 一、市级动态 / （二）县区动态 / 三．社工站（点）动态
_NUMBERED_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|（[一二三四五六七八九十]+）)\s*"
    rf"(?P<t>\S.{{1,{SECTION_TITLE_MAX}}})$"
)
# What a numbered line must end with to be a section rather than a subheading.
_SECTION_WORDS_RE = re.compile(
    r"(?:动态|快讯|简讯|资讯|专栏|要闻|信息|风采|聚焦|交流)$"
)
# Section titles recognised when written plainly, on a line of their own.
_PLAIN_SECTION_RE = re.compile(
    r"^(?:市级|市局|县（市、区）|县\(市、区\)|县区|县（区）|县市区|镇街|镇（街）|镇（街道）|"
    r"社工站（点）|社工站\(点\)|社工站|社工站点|工作)动态$"
)


def norm(text: str) -> str:
    """A title's text for comparison: no spaces, one form of each punctuation
    mark (half-width and full-width, straight and curly quotes)."""
    text = re.sub(r"\s+", "", text)
    table = str.maketrans(
        {
            '"': "“",
            "”": "“",
            "'": "‘",
            "’": "‘",
            "(": "（",
            ")": "）",
            ",": "，",
            ":": "：",
            ";": "；",
            "!": "！",
            "?": "？",
            "—": "-",
            "―": "-",
            "－": "-",
            "─": "-",
        }
    )
    return text.translate(table)


def section_kind(title: str) -> str:
    """city / county / station / other from a section title."""
    text = norm(title)
    if re.search(r"社工|站|镇|街", text):
        return "station"
    if re.search(r"县|区", text):
        return "county"
    if "市" in text:
        return "city"
    return "other"


def section_heading(text: str, known: set[str] | None = None) -> str | None:
    """The section title when ``text`` is a section heading, else None."""
    if not text or len(text) > SECTION_TITLE_MAX + 6 or is_image_marker_only(text):
        return None
    title = None
    for pattern in (_BULLET_HEADING_RE, _BRACKET_HEADING_RE):
        match = pattern.match(text)
        if match:
            title = match.group("t").strip()
            break
    else:
        match = _NUMBERED_HEADING_RE.match(text)
        if match and _SECTION_WORDS_RE.search(match.group("t").strip()):
            title = match.group("t").strip()
        elif _PLAIN_SECTION_RE.match(norm(text)) or (known and norm(text) in known):
            title = text.strip()
    if not title or ends_sentence(title) or len(title) > SECTION_TITLE_MAX:
        return None
    return title


def is_image_marker_only(text: str) -> bool:
    return bool(re.fullmatch(r"[\[【].{0,130}[\]】]", text)) and bool(
        re.match(r"[\[【]\s*(?:image|img|pic|图|照片)", text, re.IGNORECASE)
    )


def is_toc_heading(text: str) -> bool:
    return norm(text).strip("：:") in TOC_HEADINGS


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END_RE.search(text.rstrip(CLOSERS)))


def is_subheading(line: Line | str) -> bool:
    text = line.text if isinstance(line, Line) else line
    if len(text) > SUBHEADING_MAX:
        return False
    if SUBHEADING_RE.match(text):
        return True
    # A Word heading style on a short line that is not a title.
    return isinstance(line, Line) and line.heading and not line.centred


def is_subtitle_start(text: str) -> bool:
    return bool(SUBTITLE_DASHES_RE.match(text))


def strip_subtitle_dashes(text: str) -> str:
    match = SUBTITLE_DASHES_RE.match(text)
    return text[match.end() :].strip() if match else text


def is_byline(text: str) -> bool:
    return bool(BYLINE_RE.search(text)) and len(text) <= 30


def title_like(line: Line) -> bool:
    """Could be a title line (or the next line of a broken title)."""
    text = line.text
    return bool(
        text
        and len(text) <= TITLE_LINE_MAX
        and not ends_sentence(text)
        and not is_subheading(line)
        and not is_subtitle_start(text)
        and not CONTINUATION_START_RE.match(text)
        and not is_byline(text)
        and not line.images_after
    )


def title_opening(line: Line) -> bool:
    """A title's first line: title-like, or a short line ending with a colon that
    names who did it (云城区安塘街道社工站：)."""
    if title_like(line):
        return True
    text = line.text
    return bool(
        text
        and len(text) <= 24
        and text[-1] in "：:"
        and not is_subheading(line)
        and not line.images_after
    )


# Words titles of this newsletter use; a short line without one is more likely a
# caption or a slogan than a title when there is no table of contents to ask.
STRONG_TITLE_RE = re.compile(
    r"社工站|社工点|服务站|民政|开展|举办|召开|组织|启动|举行|走访|慰问|活动|工作|项目|"
    r"会议|培训|服务|宣传|督导|表彰|总结|助力|关爱"
)


def strong_title(text: str) -> bool:
    return len(text) >= 10 and bool(STRONG_TITLE_RE.search(text))


# A picture's caption: the short line printed under it, centred (as the portal's
# own Word export writes it, newsletter/word_export.py) or opening with one of
# these cues in any format. A title, however short, is a line of its own kind.
CAPTION_LINE_MAX = 60
CAPTION_CUE_RE = re.compile(
    r"^(?:图为|图\s*[：:]|图片\s*[：:]|照片\s*[：:]|[▲△]|上图|下图)"
)
# A caption ends without punctuation or with one full stop; a line holding a
# sentence's end before its last is text.
_CAPTION_FULL_STOP_RE = re.compile(r"^[^。！？!?]*[。.．]?$")


def has_caption_cue(text: str) -> bool:
    return bool(CAPTION_CUE_RE.match(text))


def caption_like(line: Line, known: set[str] | None = None) -> bool:
    """Could be the caption of the picture right before it: at most
    CAPTION_LINE_MAX characters, centred without ending a sentence, or opening
    with a caption cue (图为, 图：, ▲ …; a full stop may then end it); never a
    section heading, the contents' heading, a subtitle, a subheading or a
    byline. Whether it is rather the title of the next article the reader
    decides (reader.py, with the table of contents)."""
    text = line.text
    if not text or len(text) > CAPTION_LINE_MAX:
        return False
    cue = has_caption_cue(text)
    if cue:
        if not _CAPTION_FULL_STOP_RE.match(text.rstrip(CLOSERS)):
            return False
    elif not line.centred or ends_sentence(text):
        return False
    heading = section_heading(text, known)
    if heading and not (text[0] in "▲△" and not _names_section(heading, known)):
        return False
    return not (
        is_toc_heading(text)
        or is_subtitle_start(text)
        or is_subheading(line)
        or is_byline(text)
        or CONTINUATION_START_RE.match(text)
    )


def _names_section(title: str, known: set[str] | None) -> bool:
    """A bulleted line's text that names a section (▲社工站动态), not a
    picture (▲社工入户走访)."""
    return bool(
        _SECTION_WORDS_RE.search(title)
        or _PLAIN_SECTION_RE.match(norm(title))
        or (known and norm(title) in known)
    )


# The note the portal prints where a picture of a past issue could not be
# imported (newsletter/rendering.py, MISSING_PHOTO_TEXT), on its pages and in its
# Word file, with or without its brackets.
_MISSING_PICTURE_NOTE_RE = re.compile(
    r"^[〔\[【（(]?\s*原文此处有图片[，,]\s*未能导入\s*[〕\]】）)]?$"
)


def notes_as_pictures(lines: list[Line]) -> list[Line]:
    """The portal's own missing-picture notes read back as the pictures they
    stand for, missing, so an issue exported and imported again keeps each
    picture in its place. The file's pictures are numbered again in order."""
    number = 0
    for line in lines:
        if _MISSING_PICTURE_NOTE_RE.match(line.text):
            line.images_before = [*line.images_before, ParsedImage(number=0)]
            line.images_before += line.images_after
            line.images_after = []
            line.text = ""
        for image in line.images:
            number += 1
            image.number = number
    return lines


def join_interrupted(lines: list[Line]) -> list[Line]:
    """Join again a paragraph that a picture interrupted: the text after the
    picture starts with a comma (或 other continuing punctuation), or the text
    before it is a paragraph cut off mid-sentence. The pictures follow the joined
    paragraph, so the sentence stays whole."""
    out: list[Line] = []
    pending_images: list = []  # picture-only lines after the last text line
    for line in lines:
        if not line.text:
            pending_images.append(line)
            continue
        previous = out[-1] if out else None
        if previous is not None and _continues(previous, pending_images, line):
            moved = [img for p in pending_images for img in p.images]
            previous.text += line.text
            previous.images_after += moved + line.images_before + line.images_after
            pending_images = []
            continue
        out.extend(pending_images)
        pending_images = []
        out.append(line)
    out.extend(pending_images)
    return out


def _continues(previous: Line, pictures: list[Line], line: Line) -> bool:
    interrupted = bool(previous.images_after or pictures)
    if not interrupted or ends_sentence(previous.text):
        return False
    if (
        section_heading(line.text)
        or is_subheading(line)
        or is_subtitle_start(line.text)
        or caption_like(line)
    ):
        return False
    if CONTINUATION_START_RE.match(line.text):
        return True
    # Cut off mid-sentence: a long paragraph without its full stop.
    return len(previous.text) > TITLE_LINE_MAX and not title_like(line)
