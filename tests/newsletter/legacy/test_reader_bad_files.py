"""Files that are not a past issue get a clear Chinese message, never a crash."""

import io
import random
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from docx import Document

from newsletter.legacy.reader import read_issue
from tests.newsletter.legacy.helpers import docx_from_text, png


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        read_issue(data, "x")
    return " ".join(caught.value.messages)


def xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def docx_of(*paragraphs) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "文件是空的"),
        (b"  \r\n\r\n \n", "文件是空的"),
        (b"\xef\xbb\xbf\r\n", "文件是空的"),
        (bytes(range(256)) * 40, "既不是文本文件"),
        (b"\x00\x01\x02binary\x00\xff" * 100, "既不是文本文件"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        # A picture is read by OCR: this one holds no text.
        (png(), "图片"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "已损坏"),
        (xlsx(), "Excel"),
        (plain_zip(), "压缩文件"),
    ],
    ids=[
        "empty",
        "blank",
        "bom-only",
        "bytes",
        "nul",
        "pdf",
        "png",
        "doc",
        "xlsx",
        "zip",
    ],
)
def test_files_that_are_not_text_or_word(data, message):
    assert message in refusal(data)


def test_a_word_file_cut_short(seed_text):
    data = docx_from_text(seed_text)
    assert "损坏" in refusal(data[: len(data) // 2])


def test_text_that_is_not_a_newsletter():
    letter = "关于召开会议的通知\n\n各单位：\n\n定于3月10日召开全市民政工作会议，请准时参加。\n"
    assert "不是一期简报" in refusal(letter.encode())
    assert "不是一期简报" in refusal(docx_of("会议纪要", "今天开会，讨论了三件事。"))


def test_contents_without_any_article():
    text = " 本期内容\n\n●市级动态\n\n云浮市民政局举办培训\n"
    assert "没有在文件中找到任何文章" in refusal(text.encode())


def test_a_title_long_as_a_paragraph_opening_a_section_is_kept_with_a_warning():
    body = "为" + "加强社会工作服务" * 10 + "。"
    issue = read_issue(f"●市级动态\n\n{body}\n\n第二段。\n".encode(), "x.txt")
    (article,) = issue.articles
    assert article.title.endswith("…") and len(article.title) == 31
    assert article.paragraphs == [body, "第二段。"]
    assert "栏目开头没有找到标题" in article.warnings[0]


def test_damaged_copies_of_the_seed_never_crash_the_reader(seed_text):
    """Lines deleted, repeated, cut, shuffled or replaced by stray marks: the
    reader reads something or refuses with a message, never anything else."""
    rng = random.Random(7)
    lines = seed_text.splitlines()
    marks = "●【】一、。，——[image: a.png]\u3000 \tX1"
    for _ in range(80):
        copy = list(lines)
        op = rng.randrange(5)
        for _ in range(rng.randrange(1, 15)):
            j = rng.randrange(len(copy))
            if op == 0 and len(copy) > 1:
                del copy[j]
            elif op == 1:
                copy.insert(j, copy[rng.randrange(len(copy))])
            elif op == 2:
                copy[j] = copy[j][: rng.randrange(len(copy[j]) + 1)]
            elif op == 3:
                copy[j] = "".join(rng.choice(marks) for _ in range(rng.randrange(12)))
            else:
                rng.shuffle(copy)
        try:
            issue = read_issue("\n".join(copy).encode(), "x.txt")
        except ValidationError as exc:
            assert exc.messages
        else:
            assert issue.articles
