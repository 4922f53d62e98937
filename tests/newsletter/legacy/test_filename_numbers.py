"""The year and number of a past issue come from its file's name when its
text does not say them; when both say them and disagree, the text wins and the
preview says so."""

import io
import json

import pytest
from django.core.management import call_command

from newsletter.legacy.masthead import name_numbers, number_conflict
from newsletter.legacy.reader import read_issue
from newsletter.models import Issue
from tests.newsletter.legacy.paged import paged_text


@pytest.mark.parametrize(
    "filename",
    [
        "2023-04.txt",
        "2023-4.pdf",
        "2023_04.docx",
        "2023.04.txt",
        "2023年第4期.pdf",
        "2023年第四期.docx",
        "简报2023第4期.docx",
        "云浮民政简报（2023年第4期）.doc",
        "/archive/2023/云浮民政简报2023年第4期.docx",
    ],
)
def test_the_year_and_number_are_read_from_the_file_name(filename):
    assert name_numbers(filename) == (2023, 4)


@pytest.mark.parametrize(
    "filename, numbers",
    [
        ("2023-04-10.txt", (None, None)),
        ("000_d4f9679c76b9e6b1.txt", (None, None)),
        ("简报.docx", (None, None)),
        ("第4期.docx", (None, 4)),
        ("2023-00.txt", (None, None)),
    ],
)
def test_a_date_or_a_name_without_numbers_gives_none(filename, numbers):
    assert name_numbers(filename) == numbers


def test_the_seed_without_a_masthead_takes_the_number_of_its_name(seed_bytes):
    issue = read_issue(seed_bytes, "2023-04.txt")
    assert (issue.masthead.year, issue.masthead.number) == (2023, 4)
    assert number_conflict(issue.masthead, "2023-04.txt") is None


def test_the_text_wins_over_the_name_and_the_difference_is_reported(seed_text):
    text = "云浮民政简报\n2023年第4期\n" + seed_text
    issue = read_issue(text.encode(), "2023年第5期.txt")
    assert (issue.masthead.year, issue.masthead.number) == (2023, 4)
    assert number_conflict(issue.masthead, "2023年第5期.txt") == (
        "文件名写的是2023年第5期，正文写的是2023年第4期，按正文导入。"
    )
    assert number_conflict(issue.masthead, "2023-04.txt") is None


def test_a_text_giving_only_the_number_takes_the_year_of_the_name(seed_text):
    text = "云浮民政简报\n第4期\n" + seed_text
    issue = read_issue(text.encode(), "2022-04.txt")
    assert (issue.masthead.year, issue.masthead.number) == (2022, 4)
    other = read_issue(text.encode(), "2022-05.txt")
    assert other.masthead.number == 4
    assert number_conflict(other.masthead, "2022-05.txt") == (
        "文件名写的是2022年第5期，正文写的是第4期，按正文导入。"
    )


def run_json(path):
    out = io.StringIO()
    call_command("import_issue", str(path), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_imports_a_pdf_text_named_2023_04_as_the_fourth_issue(
    publication, tmp_path, seed_text
):
    path = tmp_path / "2023-04.txt"
    path.write_text(paged_text(seed_text, page_number="— {n} —"), encoding="utf-8")
    data = run_json(path)
    assert [len(s["articles"]) for s in data["sections"]] == [1, 3, 6]
    assert not any("请指定年份和期号" in w for w in data["warnings"])
    assert Issue.objects.count() == 0
    out = io.StringIO()
    call_command("import_issue", str(path), stdout=out)
    assert "2023年第4期" in out.getvalue()
    issue = Issue.objects.get()
    assert (issue.year, issue.number, issue.source_name) == (2023, 4, "2023-04.txt")
    assert issue.articles.count() == 10


def test_the_command_says_when_the_name_and_the_text_disagree(
    publication, tmp_path, seed_text
):
    path = tmp_path / "2023年第5期.txt"
    path.write_text("云浮民政简报\n2023年第4期\n" + seed_text, encoding="utf-8")
    data = run_json(path)
    assert (
        "文件名写的是2023年第5期，正文写的是2023年第4期，按正文导入。"
        in (data["warnings"])
    )
    call_command("import_issue", str(path), stdout=io.StringIO())
    assert (Issue.objects.get().year, Issue.objects.get().number) == (2023, 4)


def test_numbers_given_on_the_command_line_need_no_warning(
    publication, tmp_path, seed_text
):
    path = tmp_path / "2023年第5期.txt"
    path.write_text("云浮民政简报\n2023年第4期\n" + seed_text, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_issue",
        str(path),
        "--year",
        "2023",
        "--number",
        "6",
        "--dry-run",
        "--json",
        stdout=out,
    )
    assert not any("文件名写的是" in w for w in json.loads(out.getvalue())["warnings"])
