"""Variants of the seed issue written in the tests: a Word file made with
python-docx, other section heading styles, titles broken differently."""

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image

from newsletter.legacy.source import IMAGE_MARKER_RE

# The seed's articles as the body gives them: (section, title, subtitle).
SEED_ARTICLES = [
    (
        "市级动态",
        "建立健全社会工作常态化培训学习机制",
        "云浮市民政局顺利举办全市2022年度“双百工程”系列培训",
    ),
    ("县（市、区）动态", "云城区民政局组织开展2023年“双百工程”社工站副站长会议", ""),
    ("县（市、区）动态", "云安民政织牢织密保护网，为未成年人健康成长保驾护航", ""),
    (
        "县（市、区）动态",
        "新兴县民政局启动全县“双百工程”社工（点）建设督导工作机制",
        "",
    ),
    (
        "社工站（点）动态",
        "云城区安塘街道社工站：温暖“童”行，“双百工程”社工助力适龄儿童顺利入园",
        "",
    ),
    (
        "社工站（点）动态",
        "云安区富林镇社工站开展“暖心护苗 呵护成长”关爱农村困境儿童和留守儿童活动",
        "",
    ),
    (
        "社工站（点）动态",
        "新兴县六祖镇社工站开展2023年“夕阳红，幸福家”义影义剪志愿活动",
        "",
    ),
    ("社工站（点）动态", "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动", ""),
    (
        "社工站（点）动态",
        "郁南县河口镇社工站开展防止返贫三类和重残对象入户走访工作",
        "",
    ),
    (
        "社工站（点）动态",
        "郁南县平台镇社工站对“青春同行，向阳而生”关爱重点青少年群体服务项目进行中期阶段性总结",
        "",
    ),
]

# The lines of the seed's body that are (parts of) titles and subtitles: a Word
# file centres them.
TITLE_LINES = {
    "建立健全社会工作常态化培训学习机制",
    "——云浮市民政局顺利举办全市",
    "2022年度“双百工程”系列培训",
    "云城区民政局组织开展2023年“双百工程”社工站副站长会议",
    "云安民政织牢织密保护网，为未成年人",
    "健康成长保驾护航",
    "新兴县民政局启动全县“双百工程”社工（点）建设督导工作机制",
    "云城区安塘街道社工站：",
    "温暖“童”行，“双百工程”社工助力",
    "适龄儿童顺利入园",
    "云安区富林镇社工站开展“暖心护苗 呵护",
    "成长”关爱农村困境儿童和留守儿童活动",
    "新兴县六祖镇社工站开展2023年“夕阳红，幸福家”义影义剪志愿活动",
    "罗定市泗纶镇社工站开展",
    "“珍爱生命，远离毒品”宣传活动",
    "郁南县河口镇社工站开展防止返贫三类和",
    "重残对象入户走访工作",
    "郁南县平台镇社工站对“青春同行，向阳而生”关爱重点青少年群体服务项目进行",
    "中期阶段性总结",
}


def png(colour=(40, 120, 200), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def body_start(text: str) -> int:
    """Where the seed's body starts: its second ●市级动态."""
    return text.index("●市级动态", text.index("●市级动态") + 1)


def without_toc(text: str) -> str:
    return text[body_start(text) :]


def replace(text: str, old: str, new: str, count: int = -1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def docx_from_text(text: str, *, centre_titles=True, picture: bytes | None = None):
    """The seed as Word has it: one paragraph a line, titles centred, and the
    picture where the text copy has its marker, inside the paragraph it
    interrupts (the text after the marker is the same paragraph)."""
    doc = Document()
    picture = picture or png()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i].strip(" \u3000")
        i += 1
        if not raw:
            continue
        marker = IMAGE_MARKER_RE.search(raw)
        if marker:
            paragraph = doc.add_paragraph(raw[: marker.start()])
            paragraph.add_run().add_picture(io.BytesIO(picture))
            rest = raw[marker.end() :]
            while not rest and i < len(lines):
                rest = lines[i].strip()
                i += 1
            paragraph.add_run(rest)
            continue
        paragraph = doc.add_paragraph(raw)
        if centre_titles and (raw in TITLE_LINES or raw.startswith("●")):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if raw.replace(" ", "") == "本期内容":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def titles(issue):
    return [(s.title, a.title, a.subtitle) for s in issue.sections for a in s.articles]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
