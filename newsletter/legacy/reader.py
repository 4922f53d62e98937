"""``read_issue``: a past issue's file read into a ParsedIssue.

The steps, in order:

1. source.py turns the file into lines, each with the pictures before and after
   its text; a paragraph a picture interrupted is joined again (lines.py).
2. The masthead, when the top of the file has one: 2023年第3期, 总第45期, a date.
3. The table of contents after its heading (本期内容 / 本期要目 / 目录): its section
   headings (●市级动态, 【县区动态】, 一、市级动态 …) and one title a line. It ends
   where the body starts: at a section heading it already listed, or at the first
   section heading when it listed none, or where the body's first title stands.
4. The short line right under a picture (centred, or opening with a cue such as
   图为 or ▲) becomes the picture's caption, unless it is the next article's
   title (it resembles a contents line, a subtitle follows it …).
5. The body, cut into sections at its headings. In each section the first line
   opens an article; another article starts at a title: one to four short lines
   without a full stop, possibly a subtitle starting with ——, then the body. With
   a table of contents, a title must resemble one of its lines (this is what
   tells a title from a short line of text); without one, it must read like a
   title of this newsletter (lines.strong_title) or stand centred in a Word file.
6. The contents paired with the body's titles (pairing.py).

A file without a table of contents and without any section heading is not an
issue of the newsletter and is refused, as is a file where no article is found.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import lines as L
from .masthead import dates_in, masthead_lines, read_masthead
from .pairing import LOOSE_MIN, candidate_ratio, pair
from .source import read_lines
from .structure import (
    Block,
    Line,
    ParsedArticle,
    ParsedIssue,
    ParsedSection,
    TocEntry,
    TocSection,
)

# The table of contents is looked for among the first lines only.
TOC_SEARCH_LINES = 40
MASTHEAD_MAX_LINES = 15
# The contents may cut a title short of the lines that read as a title only when
# they match the shorter title this well.
SURE_PREFIX = 0.85

# A contents line's page number after dot leaders or a tab, and its numbering.
_TOC_PAGE_RE = re.compile(r"(?:[\s.…·．_\-]{2,}|\s+)\d{1,3}$")
# The closing block of a government newsletter, after its last article.
_CLOSING_RE = re.compile(
    r"^(?:(?:报送|抄送|发送|印发|分送|签发|主送)\s*[:：]|责任编辑|编辑\s*[:：]|"
    r"校对\s*[:：]|联系电话|联系人\s*[:：])"
)
# 云浮市民政局办公室　　2023年3月10日印发
_ISSUED_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发?$")
_RULE_RE = re.compile(r"^[-—－─━_＿=＝·.…\s]+$")
CLOSING_MAX_LINES = 12
CLOSING_SHORT = 40
_TOC_NUMBERING_RE = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.．、]\s*")


def read_issue(data: bytes, filename: str = "") -> ParsedIssue:
    """Read a past issue (the bytes of any file source.read_lines takes). A
    ValidationError with a Chinese message when the file cannot be read or is
    not an issue of a newsletter."""
    fmt, lines = read_lines(data, filename)
    return issue_from_lines(fmt, lines, filename)


def issue_from_lines(fmt: str, lines: list[Line], filename: str = "") -> ParsedIssue:
    """The issue in ``lines``, as source.read_lines gives them in format
    ``fmt``; bench/ocr_accuracy.py reads the lines OCR made of its pages."""
    issue = ParsedIssue(format=fmt)
    if fmt == "ocr":
        issue.scan_lines = list(lines)
    _Reader(L.join_interrupted(L.notes_as_pictures(lines)), issue).read(filename)
    return issue


class _Reader:
    def __init__(self, lines: list[Line], issue: ParsedIssue):
        self.lines = lines
        self.issue = issue
        self._targets: list[TocEntry] | None = None
        self.entries: list[TocEntry] = []

    @property
    def targets(self) -> list[TocEntry]:
        """The contents lines a title of the body may match: each line, and each
        two consecutive lines of a section (a title broken in the contents)."""
        if self._targets is None:
            joined = [
                TocEntry(a.title + b.title)
                for section in self.issue.toc
                for a, b in zip(section.entries, section.entries[1:], strict=False)
            ]
            self._targets = self.entries + joined
        return self._targets

    # --- Top-level steps ----------------------------------------------------------

    def read(self, filename: str) -> None:
        issue = self.issue
        lines = self.lines
        toc_at = next(
            (
                i
                for i, line in enumerate(lines[:TOC_SEARCH_LINES])
                if L.is_toc_heading(line.text)
            ),
            None,
        )
        if toc_at is not None:
            head = lines[:toc_at]
            body_at = self._read_toc(toc_at + 1)
        else:
            first_heading = next(
                (i for i, line in enumerate(lines) if L.section_heading(line.text)),
                None,
            )
            if first_heading is None:
                raise ValidationError(
                    _(
                        "文件中既没有目录（“本期内容”），也没有栏目标题"
                        "（如“●市级动态”“【县区动态】”），看起来不是一期简报。"
                    )
                )
            head = lines[:first_heading]
            if len(head) > MASTHEAD_MAX_LINES or any(
                len(line.text) > 40 for line in head
            ):
                # Articles before the first section: read them as a section,
                # under the masthead lines at their top.
                head = head[: masthead_lines(head)]
            body_at = len(head)
        issue.masthead = read_masthead(head, filename)
        known = {L.norm(s.title) for s in issue.toc if s.title}
        body = lines[body_at:]
        body = self._captions(body[: _closing_at(body)], known)
        sections = self._read_body(body, known)
        issue.sections = [s for s in sections if s.articles or s.title]
        section_of = pair(issue)
        if not any(s.title for s in issue.sections) and any(s.title for s in issue.toc):
            issue.sections = _sections_from_toc(issue, section_of)
        if not issue.articles:
            raise ValidationError(
                _("没有在文件中找到任何文章（标题和正文），请检查是否选错了文件。")
            )
        for section in issue.sections:
            if not section.articles:
                issue.warnings.append(
                    _("栏目“%(title)s”下没有文章。") % {"title": section.title}
                )
        issue.dates = dates_in(lines)

    def _read_toc(self, start: int) -> int:
        """Read the contents from ``start``; return where the body starts."""
        toc = self.issue.toc
        lines = self.lines
        current: TocSection | None = None
        entry_lines: list[int] = []
        i = start
        while i < len(lines):
            text = lines[i].text
            if not text:
                i += 1
                continue
            heading = L.section_heading(text)
            if heading:
                key = L.norm(heading)
                titled = [s for s in toc if s.title]
                repeated = any(L.norm(s.title) == key for s in titled)
                same_kind_again = (
                    titled
                    and titled[0].entries
                    and L.section_kind(heading) == titled[0].kind != "other"
                    and current is not titled[0]
                )
                if repeated or same_kind_again or (not titled and self.entries):
                    return i
                current = TocSection(heading, L.section_kind(heading))
                toc.append(current)
            elif len(text) > L.TITLE_LINE_MAX + 10 or (
                L.ends_sentence(text) and not text.endswith(("：", ":"))
            ):
                # The body began without repeating a section heading: its first
                # title is among the last lines taken for contents.
                return self._toc_back_off(entry_lines, i)
            else:
                if current is None:
                    current = TocSection("", "other")
                    toc.append(current)
                entry = TocEntry(_toc_entry_text(text))
                current.entries.append(entry)
                self.entries.append(entry)
                entry_lines.append(i)
            i += 1
        return i

    def _toc_back_off(self, entry_lines: list[int], paragraph_at: int) -> int:
        """The body starts at the first title, read as the last k contents lines;
        k is the one whose lines best match the first contents line."""
        if len(self.entries) < 2:
            return paragraph_at
        first = self.entries[0].title
        best_k, best = 1, -1.0
        for k in range(
            1, min(L.TITLE_MAX_LINES + L.SUBTITLE_MAX_LINES, len(self.entries) - 1) + 1
        ):
            text = "".join(e.title for e in self.entries[-k:])
            similarity = candidate_ratio(text, [TocEntry(first)])
            if similarity > best:
                best_k, best = k, similarity
        if best < LOOSE_MIN:
            self.issue.warnings.append(
                _("目录的结尾不明确，已把正文第一段之前的一行当作第一篇文章的标题。")
            )
            best_k = 1
        body_at = entry_lines[-best_k]
        taken = set(map(id, self.entries[-best_k:]))
        for section in self.issue.toc:
            section.entries = [e for e in section.entries if id(e) not in taken]
        self.entries = self.entries[:-best_k]
        return body_at

    def _captions(self, lines: list[Line], known: set[str]) -> list[Line]:
        """Each short line printed right under a picture (lines.caption_like)
        becomes that picture's caption and leaves the text, unless it is the
        title of the next article (``_title_under_picture``). Nothing else
        moves: the picture keeps its place among the blocks."""
        out: list[Line] = []
        for i, line in enumerate(lines):
            picture = _picture_above(lines[i - 1] if i else None, line)
            if (
                picture is None
                or picture.caption
                or not L.caption_like(line, known)
                or self._title_under_picture(lines, i)
            ):
                out.append(line)
                continue
            picture.caption = line.text
            if line.images_before:
                # The picture and its caption in one paragraph: the picture
                # stays, as a line of its own.
                line.text = ""
                out.append(line)
        return out

    def _title_under_picture(self, lines: list[Line], i: int) -> bool:
        """Whether the caption-like line at ``i`` opens the next article: it
        has a heading style (a Word heading, a PDF's larger or bolder font), a
        subtitle follows it, or it starts a title that resembles a contents
        line. Without contents, a centred line without a caption cue followed
        by more centred title lines is a title broken over lines."""
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if line.heading or (nxt is not None and L.is_subtitle_start(nxt.text)):
            return True
        if not self.entries:
            return bool(
                nxt is not None
                and line.centred
                and nxt.centred
                and L.title_like(nxt)
                and not L.has_caption_cue(line.text)
            )
        group = [line.text]
        for nxt in lines[i + 1 : i + L.TITLE_MAX_LINES]:
            if not L.title_like(nxt) or (line.centred and not nxt.centred):
                break
            group.append(nxt.text)
        # The line must itself be part of the title it starts: a caption
        # followed by the next article's title matches that title without it.
        for k in range(1, len(group) + 1):
            similarity = candidate_ratio("".join(group[:k]), self.targets)
            if similarity >= LOOSE_MIN and (
                k == 1
                or similarity > candidate_ratio("".join(group[1:k]), self.targets)
            ):
                return True
        return False

    def _read_body(self, lines: list[Line], known: set[str]) -> list[ParsedSection]:
        sections: list[ParsedSection] = []
        chunks: list[tuple[str | None, list[Line]]] = []
        for line in lines:
            heading = L.section_heading(line.text, known) if line.text else None
            if heading:
                chunks.append((heading, []))
                continue
            if not chunks:
                chunks.append((None, []))
            chunks[-1][1].append(line)
        for heading, chunk in chunks:
            section = ParsedSection(
                title=heading or "",
                kind=L.section_kind(heading) if heading else "other",
            )
            section.articles = self._articles(chunk)
            sections.append(section)
        return sections

    # --- Articles -------------------------------------------------------------------

    def _articles(self, lines: list[Line]) -> list[ParsedArticle]:
        articles: list[ParsedArticle] = []
        current: ParsedArticle | None = None
        pending: list[Block] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.text:
                blocks = [Block(Block.IMAGE, image=img) for img in line.images]
                (current.blocks if current else pending).extend(blocks)
                i += 1
                continue
            head = self._title_at(lines, i, first=current is None)
            if head is not None:
                title, subtitle, end = head
                current = ParsedArticle(title=title, subtitle=subtitle)
                current.blocks = pending + [
                    Block(Block.IMAGE, image=img)
                    for j in range(i, end)
                    for img in lines[j].images
                ]
                pending = []
                articles.append(current)
                i = end
                continue
            if current is None:
                current = ParsedArticle(title=line.text[:30] + "…")
                current.warnings.append(
                    _("栏目开头没有找到标题，已用第一段的开头代替，请修改标题。")
                )
                current.blocks = pending
                pending = []
                articles.append(current)
            current.blocks += _blocks(line)
            i += 1
        if pending and articles:
            articles[-1].blocks += pending
        return articles

    def _title_at(self, lines: list[Line], i: int, *, first: bool):
        """(title, subtitle, index after them) when a title starts at ``i``."""
        line = lines[i]
        if first:
            if len(line.text) > L.TITLE_LINE_MAX or L.is_subheading(line):
                return None
        elif not L.title_opening(line):
            return None
        group = [line]
        j = i + 1
        while j < len(lines) and len(group) < L.TITLE_MAX_LINES:
            nxt = lines[j]
            if not L.title_like(nxt) or (line.centred and not nxt.centred):
                break
            if sum(len(g.text) for g in group) + len(nxt.text) > L.TITLE_MAX:
                break
            group.append(nxt)
            j += 1
        if not first and len(group) == 1 and not L.title_like(line):
            # "…总结如下：" introduces what follows; a title opening with a colon
            # (安塘街道社工站：) goes on to say what the station did.
            return None
        texts = [g.text for g in group]
        if self.entries:
            k, similarity = _best_prefix(
                texts, lambda t: candidate_ratio(t, self.targets)
            )
            if k < len(texts) and similarity < SURE_PREFIX:
                # The contents do not clearly end the title early: keep every
                # line that reads as part of it.
                k = len(texts)
                similarity = candidate_ratio("".join(texts), self.targets)
        else:
            k, similarity = len(texts), 0.0
        title = "".join(texts[:k])
        end = i + k

        subtitle = ""
        has_subtitle = (
            end < len(lines)
            and L.is_subtitle_start(lines[end].text)
            and len(lines[end].text) <= L.TITLE_LINE_MAX + 10
        )
        if has_subtitle:
            sub = [lines[end]]
            j = end + 1
            while j < len(lines) and len(sub) < L.SUBTITLE_MAX_LINES:
                nxt = lines[j]
                if not L.title_like(nxt) or (sub[0].centred and not nxt.centred):
                    break
                sub.append(nxt)
                j += 1
            texts = [s.text for s in sub]
            # A contents line giving the subtitle may itself be broken in two
            # (the export breaks long contents lines): the targets join them.
            with_subtitle = [e for e in self.targets if "--" in L.norm(e.title)]
            if with_subtitle:
                k2, _r = _best_prefix(
                    texts,
                    lambda t: candidate_ratio(title + t, with_subtitle),
                )
            else:
                k2 = len(texts)
            subtitle = L.strip_subtitle_dashes("".join(texts[:k2]))
            end += k2

        if first:
            return title, subtitle, end
        followed_by_body = end < len(lines) and not (
            L.title_like(lines[end]) and len(group) >= L.TITLE_MAX_LINES
        )
        # With contents, a title resembles one of their lines; an article they
        # do not list must read like a title of this newsletter, as without them.
        accepted = (self.entries and similarity >= LOOSE_MIN) or (
            followed_by_body and (L.strong_title(title) or has_subtitle or line.centred)
        )
        if not accepted or end >= len(lines):
            return None
        return title, subtitle, end


def _best_prefix(texts: list[str], measure) -> tuple[int, float]:
    """The number of lines (from 1) whose joined text measures best. A tie goes
    to the longer: a title broken in the contents too matches line by line."""
    best_k, best = 1, -1.0
    for k in range(1, len(texts) + 1):
        value = measure("".join(texts[:k]))
        if value >= best - 1e-9:
            best_k, best = k, value
    return best_k, best


def _picture_above(previous: Line | None, line: Line):
    """The picture printed right above ``line``'s text: the last of a
    picture-only line before it, of the pictures ending the text of the line
    before it, or of the pictures opening its own paragraph; None when its
    text does not stand right under a picture. A picture that stood inside
    the paragraph before (its sentence joined again around it,
    lines.join_interrupted) is not above the next line."""
    if line.images_before:
        return None if line.images_after else line.images_before[-1]
    if previous is None:
        return None
    if previous.images_after:
        last = previous.images_after[-1]
        return last if last.offset >= len(previous.text) else None
    if not previous.text and previous.images:
        return previous.images[-1]
    return None


def _blocks(line: Line) -> list[Block]:
    blocks = [Block(Block.IMAGE, image=img) for img in line.images_before]
    kind = Block.SUBHEADING if L.is_subheading(line) else Block.PARAGRAPH
    blocks.append(Block(kind, line.text))
    blocks += [Block(Block.IMAGE, image=img) for img in line.images_after]
    return blocks


def _closing_line(text: str) -> bool:
    return bool(_CLOSING_RE.match(text) or _ISSUED_RE.search(text))


def _closing_at(lines: list[Line]) -> int:
    """Where the closing block (报送/抄送/印发, the editor, the telephone) starts
    among the last lines; ``len(lines)`` when there is none. It is not part of
    the last article. A block starts at such a line when what follows it is
    more of the block or short lines (a wrapped list of recipients, 共印50份),
    never a paragraph or a picture; a rule drawn above it goes with it."""
    texts = [line.text for line in lines]
    window = [i for i, text in enumerate(texts) if text][-CLOSING_MAX_LINES:]
    for i in window:
        if not _closing_line(texts[i]):
            continue
        rest = lines[i:]
        if all(
            not line.images
            and (_closing_line(line.text) or len(line.text) <= CLOSING_SHORT)
            for line in rest
        ):
            while i > 0 and (not texts[i - 1] or _RULE_RE.match(texts[i - 1])):
                if lines[i - 1].images:
                    break
                i -= 1
            return i
    return len(lines)


def _toc_entry_text(text: str) -> str:
    text = _TOC_PAGE_RE.sub("", text).strip()
    return _TOC_NUMBERING_RE.sub("", text).strip() or text


def _sections_from_toc(issue: ParsedIssue, section_of: dict) -> list[ParsedSection]:
    """The body had no section headings: each article goes to the contents
    section of its contents line, an unlisted one with the article before it."""
    sections = [ParsedSection(s.title, s.kind) for s in issue.toc if s.title]
    by_toc = {
        id(s): p
        for s, p in zip([s for s in issue.toc if s.title], sections, strict=True)
    }
    current = sections[0]
    for article in issue.articles:
        toc_section = section_of.get(id(article))
        if toc_section is not None and id(toc_section) in by_toc:
            current = by_toc[id(toc_section)]
        current.articles.append(article)
    return sections
