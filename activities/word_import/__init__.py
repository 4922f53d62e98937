"""A report drafted from the Word file a station already wrote (DESIGN.md §5).

``read_docx`` turns a .docx into a title, a subtitle and body blocks in document
order; ``report_from_word`` files them as a draft with the pictures as report
photos. The worker then checks the draft on its edit page, so the reading rules
(paragraphs.py, reader.py) prefer a usable guess to a refusal: only a file that is
not a readable Word document at all is refused (container.py).

How stations write (see the seed newsletter): the title comes first, often broken
over two or three lines; a subtitle starting with "——" may follow, broken too;
numbered subheadings (一、… / 1.…) sit between paragraphs; pictures sit in their
own paragraph or, pasted carelessly, in the middle of a sentence.

Choices worth knowing:

- A picture in the middle of a paragraph does not split it: the paragraph's text
  stays whole and the picture follows it, so a photo never cuts a sentence in two.
  A picture before any text of its paragraph comes before it.
- Pictures and text in tables are read in order, cell by cell; text boxes,
  headers, footers, footnotes and comments are not read.
- The subtitle is stored without its leading dashes; pages that show it put them
  back.
- A Heading-styled paragraph becomes a subheading block, but the body markup only
  recognises numbered subheadings (``SUBHEADING_RE``), so an unnumbered heading
  reads as a paragraph once saved.
"""

# What read_docx and report_from_word raise, as callers catch it.
from django.core.exceptions import ValidationError as ValidationError

from .builder import (
    WordImportResult,
    report_from_word,
)
from .container import (
    OLE_MAGIC,
    logger,
)
from .paragraphs import (
    A_BLIP,
    CONTROL_RE,
    INVISIBLE,
    NOT_IN_FLOW,
    R_EMBED,
    R_ID,
    R_LINK,
    SKIPPED,
    V_IMAGEDATA,
    W_BREAKS,
    W_HYPHEN,
    W_P,
    W_T,
    W_TAB,
    DocImage,
)
from .reader import (
    BYLINE_RE,
    CONTINUATION_MAX,
    PLAIN_CONTINUATION_MAX,
    SENTENCE_END_RE,
    SUBHEADING_MAX,
    SUBTITLE_DASHES_RE,
    SUBTITLE_MAX,
    TITLE_MAX,
    TITLE_MAX_LINES,
    WordReport,
    read_docx,
)

# Limits on an upload. The upload view reads them here, and so do the reader's
# steps (container.py, paragraphs.py) on each call: set them here only.
MAX_BYTES = 10 * 1024 * 1024
# A .docx is a zip: a few megabytes can unpack to gigabytes (a zip bomb). Real
# reports with a dozen photos unpack to a few tens of megabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
# Each picture goes through the photo pipeline (three renditions); past this many
# the upload would keep the worker waiting for pictures nobody will publish.
MAX_IMAGES = 40

__all__ = [
    "A_BLIP",
    "BYLINE_RE",
    "CONTINUATION_MAX",
    "CONTROL_RE",
    "DocImage",
    "INVISIBLE",
    "MAX_BYTES",
    "MAX_IMAGES",
    "MAX_UNPACKED_BYTES",
    "MAX_ZIP_ENTRIES",
    "NOT_IN_FLOW",
    "OLE_MAGIC",
    "PLAIN_CONTINUATION_MAX",
    "R_EMBED",
    "R_ID",
    "R_LINK",
    "SENTENCE_END_RE",
    "SKIPPED",
    "SUBHEADING_MAX",
    "SUBTITLE_DASHES_RE",
    "SUBTITLE_MAX",
    "TITLE_MAX",
    "TITLE_MAX_LINES",
    "V_IMAGEDATA",
    "W_BREAKS",
    "W_HYPHEN",
    "W_P",
    "W_T",
    "W_TAB",
    "WordImportResult",
    "WordReport",
    "logger",
    "read_docx",
    "report_from_word",
]
