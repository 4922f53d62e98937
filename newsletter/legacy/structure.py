"""The neutral structure a past issue is read into, whatever its file format:
an issue's table of contents and its sections, each with its articles made of
blocks (paragraph, subheading, image). Nothing here touches the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Below this mean confidence an OCR paragraph is shown to the editor to check.
# On the seed issue as printed it marks half the paragraphs with a misread
# character and one in eight of those read exactly (bench/ocr_accuracy.py).
LOW_CONFIDENCE = 85.0


@dataclass
class ParsedImage:
    """A picture of the file: its bytes (a .docx), or only the name its marker
    gave (a text copy: ``[image: image2.png]``). ``number`` counts the file's
    pictures from 1; ``offset`` is where it stood in its paragraph's text (the
    character count before it). ``caption`` is the short line the file printed
    under the picture (reader.py, lines.caption_like), empty when it has none."""

    number: int
    name: str = ""
    data: bytes | None = None
    offset: int = 0
    caption: str = ""

    @property
    def is_missing(self) -> bool:
        return not self.data


@dataclass
class Line:
    """One paragraph (or one line of a text file) as the reader sees it."""

    text: str
    blank_before: bool = False
    images_before: list[ParsedImage] = field(default_factory=list)
    images_after: list[ParsedImage] = field(default_factory=list)
    # Hints a Word file gives and a text file does not.
    centred: bool = False
    heading: bool = False
    # A scan read by OCR (ocr.py): the page the paragraph starts on (from 1),
    # and the lowest mean confidence (0-100) of its printed lines.
    page: int | None = None
    confidence: float | None = None

    @property
    def images(self) -> list[ParsedImage]:
        return self.images_before + self.images_after

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


@dataclass
class Block:
    """``kind`` is ``paragraph``, ``subheading`` or ``image``."""

    kind: str
    text: str = ""
    image: ParsedImage | None = None

    PARAGRAPH = "paragraph"
    SUBHEADING = "subheading"
    IMAGE = "image"


@dataclass
class TocEntry:
    title: str
    # Set once paired with an article of the body.
    paired: bool = False


@dataclass
class TocSection:
    title: str
    kind: str
    entries: list[TocEntry] = field(default_factory=list)


class Pairing:
    EXACT = "exact"
    LOOSE = "loose"
    NONE = "none"


@dataclass
class ParsedArticle:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    # The table of contents' line for this article, how it was paired with the
    # body's title, and the similarity (0..1) of the pair.
    toc_title: str = ""
    pairing: str = Pairing.NONE
    similarity: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def full_title(self) -> str:
        return f"{self.title}——{self.subtitle}" if self.subtitle else self.title

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == Block.PARAGRAPH]

    @property
    def subheadings(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == Block.SUBHEADING]

    @property
    def images(self) -> list[ParsedImage]:
        return [b.image for b in self.blocks if b.kind == Block.IMAGE]

    @property
    def text(self) -> str:
        """Title, subtitle, body text and captions, for matching and searching
        (a caption often names the place: 社工在六祖镇夏卢村入户走访)."""
        return "\n".join(
            [self.title, self.subtitle]
            + [
                b.image.caption if b.kind == Block.IMAGE else b.text
                for b in self.blocks
                if b.kind != Block.IMAGE or b.image.caption
            ]
        )


@dataclass
class ParsedSection:
    title: str
    kind: str
    articles: list[ParsedArticle] = field(default_factory=list)


@dataclass
class Masthead:
    """What the top of the file says about the issue, when it says it."""

    year: int | None = None
    number: int | None = None
    running_number: int | None = None
    issue_date: datetime.date | None = None
    lines: list[str] = field(default_factory=list)


@dataclass
class ParsedIssue:
    toc: list[TocSection] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    masthead: Masthead = field(default_factory=Masthead)
    # (year or None, month, day) of every date the text mentions, for an
    # estimate of the issue date when the file does not give it.
    dates: list[tuple[int | None, int, int]] = field(default_factory=list)
    format: str = "text"
    # A scan read by OCR: its paragraphs as read, each with its page and
    # confidence, for the preview beside the pages.
    scan_lines: list[Line] = field(default_factory=list)

    @property
    def articles(self) -> list[ParsedArticle]:
        return [a for s in self.sections for a in s.articles]

    @property
    def has_toc(self) -> bool:
        return any(s.entries for s in self.toc)

    def latest_date(self, year: int) -> datetime.date | None:
        """The latest date the text mentions, dates without a year taken in
        ``year``; None when it mentions none."""
        found = []
        for y, month, day in self.dates:
            try:
                found.append(datetime.date(y or year, month, day))
            except ValueError:
                continue
        found = [d for d in found if d.year == year]
        return max(found) if found else None
