"""A published article or issue for a WeChat official account (公众号).

The account's editor keeps inline ``style`` attributes and drops everything
else a page would style with: classes, ids, ``<style>`` and linked style
sheets, scripts. So the export is built in two steps:

1. the article's blocks (``rendering.article_blocks``: the sanitised body,
   paragraphs, subheadings and photos in reading order) are written as plain
   HTML whose elements name their role in a ``class``;
2. ``inline_styles`` walks that HTML with the standard library's parser and
   writes each role's style into a ``style`` attribute, keeping only the
   elements and attributes listed below. Nothing else reaches the output: no
   class, id, script or style sheet.

Photos: only those the public pages show (a picture, and consent when it
shows people: the same rule as portal/media.py), as their web rendition. An
address on the bureau's intranet would not load in WeChat, so the zip holds
the pictures as files (``images/01.jpg``, …, in reading order) and the HTML
points at them; the editor uploads each one in its place (``说明.txt``).
"""

from __future__ import annotations

import html
import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .rendering import MISSING_PHOTO_TEXT, plain
from .word_export import issue_date_text, issue_label, read_photo

RED = "#c00000"
# Captions: 14px in #595959 on white is a contrast of 7:1 (WCAG AAA).
CAPTION_GREY = "#595959"
_TEXT = "font-size:16px;line-height:1.75;color:#222222"

# Each role's inline style. The body text follows the newsletter's paper: a
# two-character first-line indent, justified, 16px with 1.75 line height
# (what reads well on a phone in WeChat).
STYLES = {
    "doc": f"margin:0 auto;padding:0 4px;max-width:677px;{_TEXT}",
    "masthead": (
        f"margin:16px 0 4px;text-align:center;color:{RED};font-size:28px;"
        "font-weight:bold;line-height:1.4;letter-spacing:2px"
    ),
    "masthead-sub": "margin:0 0 4px;text-align:center;font-size:14px;color:#333333",
    "number": "margin:0 0 8px;text-align:center;font-size:16px;color:#222222",
    "rule": (
        f"margin:0 0 20px;padding:0 0 6px;border-bottom:2px solid {RED};"
        "text-align:center;font-size:14px;color:#333333"
    ),
    "note": f"margin:0 0 16px;text-indent:2em;text-align:justify;{_TEXT}",
    "contents-title": (
        "margin:20px 0 12px;text-align:center;font-size:18px;font-weight:bold;"
        "letter-spacing:4px;color:#222222"
    ),
    "contents-section": (
        "margin:12px 0 4px;font-size:16px;font-weight:bold;color:#222222"
    ),
    "contents-item": (
        "margin:0 0 4px;padding-left:2em;font-size:15px;line-height:1.6;color:#222222"
    ),
    "section": (
        f"margin:32px 0 12px;padding:0 0 4px;border-bottom:1px solid {RED};"
        f"font-size:18px;font-weight:bold;line-height:1.5;color:{RED}"
    ),
    "article": "margin:0 0 24px",
    # Balanced lines: no title ends on a line of one or two characters where
    # the reader's browser can help it.
    "title": (
        "margin:24px 0 8px;text-align:center;font-size:20px;font-weight:bold;"
        "line-height:1.5;color:#222222;text-wrap:balance"
    ),
    "subtitle": "margin:0 0 16px;text-align:center;font-size:16px;color:#333333",
    "paragraph": f"margin:0 0 12px;text-indent:2em;text-align:justify;{_TEXT}",
    "subheading": (
        f"margin:16px 0 12px;text-indent:2em;text-align:justify;{_TEXT};"
        "font-weight:bold"
    ),
    "photo": "margin:16px 0;text-align:center",
    "image": "display:block;width:100%;height:auto;margin:0 auto",
    "caption": (
        f"margin:6px 0 0;text-indent:0;text-align:center;font-size:14px;"
        f"line-height:1.5;color:{CAPTION_GREY}"
    ),
    "missing": (
        f"margin:12px 0;text-indent:0;text-align:center;font-size:14px;"
        f"color:{CAPTION_GREY}"
    ),
    "strong": "font-weight:bold",
    "em": "font-style:italic",
}

# The elements the export is made of, and the attributes each keeps besides
# ``style``. Any other element is dropped (its text stays); a script or a
# style element is dropped with its content.
KEPT_TAGS = set("section h1 h2 h3 h4 p span strong em br img".split())
KEPT_ATTRIBUTES = {"img": {"src", "alt"}}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript"}
_VOID = {"br", "img"}


class _Inliner(HTMLParser):
    def __init__(self, styles: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping += 1
            return
        if self.skipping or tag not in KEPT_TAGS:
            return
        attributes = dict(attrs)
        role = (attributes.get("class") or "").split()
        style = self.styles.get(role[0] if role else tag, self.styles.get(tag, ""))
        kept = KEPT_ATTRIBUTES.get(tag, set())
        parts = [
            f' {name}="{html.escape(value or "", quote=True)}"'
            for name, value in attrs
            if name in kept
        ]
        if style:
            parts.append(f' style="{html.escape(style, quote=True)}"')
        self.out.append(f"<{tag}{''.join(parts)}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping or tag not in KEPT_TAGS or tag in _VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))


def inline_styles(fragment: str, styles: dict[str, str] = STYLES) -> str:
    """``fragment`` with each element's role (its first class, else its tag)
    written as an inline ``style``, and only ``KEPT_TAGS`` with ``src`` and
    ``alt`` on images left: what the 公众号 editor keeps."""
    parser = _Inliner(styles)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


def is_public_photo(photo) -> bool:
    """Whether the public pages show ``photo``: a picture, and consent if it
    shows people (portal/media.py serves nothing else to the public)."""
    return photo.has_picture and not photo.needs_consent


@dataclass
class Export:
    """An export ready to paste or pack: ``fragment`` is what goes into the
    editor, ``images`` the (file name in the zip, bytes) of its pictures."""

    title: str
    fragment: str
    text: str
    images: list[tuple[str, bytes]] = field(default_factory=list)
    photo_count: int = 0

    @property
    def document(self) -> str:
        """The fragment as a page of its own (no style sheet, no script)."""
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(self.title)}</title>\n</head>\n"
            f'<body style="margin:0;padding:8px;background:#ffffff">\n'
            f"{self.fragment}\n</body>\n</html>\n"
        )


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def _extension(name: str) -> str:
    ext = posixpath.splitext(name)[1].lower()
    ext = ".jpg" if ext == ".jpeg" else ext
    return ext if ext in {".jpg", ".png", ".webp"} else ".jpg"


class _Writer:
    """The semantic HTML of an export (roles as classes) and its plain text.
    ``src`` gives an image's address; without it the pictures are read from
    the storage and named ``images/01.jpg``, … for the zip."""

    def __init__(self, src: Callable[[object], str] | None):
        self.src = src
        self.parts: list[str] = []
        self.lines: list[str] = []
        self.images: list[tuple[str, bytes]] = []
        self.photo_count = 0

    def block(self, tag: str, role: str, inner: str, text: str | None = None):
        self.parts.append(f'<{tag} class="{role}">{inner}</{tag}>')
        self.lines.append(plain(inner) if text is None else text)

    def _image_src(self, photo) -> str | None:
        file = photo.web_file
        if self.src is not None:
            return self.src(photo)
        data = read_photo(file)
        if not data:
            return None
        name = f"images/{len(self.images) + 1:02d}{_extension(file.name)}"
        self.images.append((name, data))
        return name

    def photo(self, photo, number: int):
        if photo.is_missing:
            note = f"〔{MISSING_PHOTO_TEXT}〕"
            self.block("p", "missing", _e(note), note)
            return
        if not is_public_photo(photo):
            return
        src = self._image_src(photo)
        if src is None:
            return
        self.photo_count += 1
        alt = photo.caption or f"文章配图 {number}"
        caption = f'<p class="caption">{_e(photo.caption)}</p>' if photo.caption else ""
        self.parts.append(
            f'<section class="photo"><img class="image" src="{_e(src)}" '
            f'alt="{_e(alt)}">{caption}</section>'
        )
        if photo.caption:
            self.lines.append(photo.caption)

    def article(self, article, heading: str = "h1", sub: str = "h2"):
        self.parts.append('<section class="article">')
        self.block(heading, "title", _e(article.title), article.title)
        if article.subtitle:
            subtitle = f"——{article.subtitle}"
            self.block("p", "subtitle", _e(subtitle), subtitle)
        for block in article.blocks:
            if block.is_photo:
                self.photo(block.photo, block.number)
            elif block.is_subheading:
                # Sanitised inner HTML (strong, em, br only): safe to output.
                self.block(sub, "subheading", block.html, block.text)
            else:
                self.block("p", "paragraph", block.html, block.text)
        self.parts.append("</section>")

    def export(self, title: str) -> Export:
        fragment = inline_styles(
            '<section class="doc">' + "\n".join(self.parts) + "</section>"
        )
        text = "\n\n".join(line.strip() for line in self.lines if line.strip())
        return Export(
            title=title,
            fragment=fragment,
            text=text,
            images=self.images,
            photo_count=self.photo_count,
        )


def article_export(article, *, src: Callable[[object], str] | None = None) -> Export:
    """A published article (from ``selectors.article_of``, ``blocks`` set):
    its title centred, subtitle, paragraphs and subheadings, public photos
    with their captions."""
    writer = _Writer(src)
    writer.article(article)
    return writer.export(article.title)


def issue_export(
    issue, sections, *, src: Callable[[object], str] | None = None
) -> Export:
    """A published issue: the masthead line (name, number, bureau and date
    over a red rule), the editor's note, 本期内容 by section, then each
    section as a heading with its articles in order. ``sections`` come from
    ``selectors.issue_contents``."""
    publication = issue.publication
    writer = _Writer(src)
    writer.block("h1", "masthead", _e(publication.name), publication.name)
    if publication.masthead:
        writer.block("p", "masthead-sub", _e(publication.masthead))
    writer.block("p", "number", _e(issue_label(issue)))
    bureau_line = f"{publication.bureau}编　{issue_date_text(issue)}".strip()
    writer.block("p", "rule", _e(bureau_line), bureau_line)
    if issue.editor_note:
        note = f"编者按：{issue.editor_note}"
        writer.block(
            "p",
            "note",
            f"<strong>编者按：</strong>{_e(issue.editor_note)}",
            note,
        )
    shown = [(s, list(s.articles.all())) for s in sections]
    shown = [(s, articles) for s, articles in shown if articles]
    writer.block("h2", "contents-title", "本 期 内 容", "本期内容")
    for section, articles in shown:
        writer.block("p", "contents-section", _e(f"●{section.title}"))
        for article in articles:
            writer.block("p", "contents-item", _e(article.full_title))
    for section, articles in shown:
        writer.block("h2", "section", _e(f"●{section.title}"))
        for article in articles:
            # Headings in order: masthead, sections, titles, subheadings.
            writer.article(article, heading="h3", sub="h4")
    title = f"{publication.name}{issue.year}年{issue_label(issue)}"
    return writer.export(title)


def instructions(export: Export, html_name: str) -> str:
    """说明.txt: how an editor takes the zip into the 公众号 editor."""
    lines = [
        f"《{export.title}》公众号排版文件",
        "",
        "使用方法：",
        f"1. 先解压这个压缩包（不要在压缩软件里直接打开），用浏览器（建议 Chrome 或"
        f" Edge）打开 {html_name}。",
        "2. 在打开的页面里按 Ctrl+A 全选，再按 Ctrl+C 复制（苹果电脑为 Command+A、"
        "Command+C）。",
        "3. 登录微信公众平台，新建图文消息，在正文编辑区按 Ctrl+V 粘贴。标题居中、段落"
        "首行缩进两字、图片说明等格式会一并带入。",
        "4. 图片要逐张上传：本机的图片公众号读不到，粘贴后显示不出来的图片，请点击它，"
        "选择“替换”（或删除后在同一位置插入图片），上传 images 文件夹中同一编号的文件"
        "（01 是正文中的第 1 张，依此类推）。",
        f"5. 公众号的“标题”栏请另外填写：{export.title}",
        "6. 发布前请用“预览”发到手机上看一遍，核对标题、段落、图片和图片说明。",
        "",
        "文件清单：",
        f"{html_name}　排版好的正文",
    ]
    if export.images:
        lines.append(
            f"images/　正文图片 {len(export.images)} 张，按在正文中出现的顺序编号"
        )
    else:
        lines.append("（正文没有可公开的图片）")
    lines += [
        "",
        "说明：没有取得当事人（或监护人）同意公开的照片不在其中，与门户网站公开页面一致。",
        "",
    ]
    return "\r\n".join(lines)


def export_zip(export: Export, html_name: str) -> bytes:
    """The zip an editor downloads: ``html_name`` (``article.html`` or
    ``issue.html``), ``images/…`` and ``说明.txt``. Names are UTF-8 (the zip
    format's flag, which Windows' own unzip and WinRAR read)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(html_name, export.document)
        for name, data in export.images:
            # Pictures are compressed already.
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        archive.writestr("说明.txt", "\ufeff" + instructions(export, html_name))
    return out.getvalue()
