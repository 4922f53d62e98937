"""``manage.py import_issue`` as CONTRACT.md gives it, and the demo's seed issue."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from newsletter.demo import import_seed
from newsletter.models import Article, Issue, Publication
from tests.newsletter.legacy.conftest import SEED
from tests.newsletter.legacy.helpers import docx_from_text


def run(*args):
    out = io.StringIO()
    call_command("import_issue", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_dry_run_json_prints_the_preview_and_writes_nothing(publication):
    data = json.loads(run(SEED, "--dry-run", "--json", "--year", 2023, "--number", 3))
    assert set(data) == {"sections", "warnings"}
    assert [len(s["articles"]) for s in data["sections"]] == [1, 3, 6]
    first = data["sections"][0]["articles"][0]
    assert set(first) == {
        "title",
        "subtitle",
        "county",
        "station",
        "paragraphs",
        "images",
        "warnings",
    }
    stations = [a["station"] for a in data["sections"][2]["articles"]]
    assert stations == ["安塘街道", "富林镇", "六祖镇", "泗纶镇", "河口镇", "平台镇"]
    counties = [a["county"] for a in data["sections"][1]["articles"]]
    assert counties == ["云城区", "云安区", "新兴县"]
    assert Issue.objects.count() == 0


def test_dry_run_without_numbers_prints_the_reason_first_and_fails(publication):
    out = io.StringIO()
    with pytest.raises(CommandError, match="请指定年份和期号"):
        call_command("import_issue", str(SEED), "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert "请指定年份和期号" in data["warnings"][0]
    assert len(data["sections"]) == 3


def test_import_then_import_again(publication):
    output = run(SEED, "--publication", "yunfu", "--year", 2023, "--number", 3)
    assert "2023年第3期：3 个栏目，10 篇文章" in output
    assert "罗定市 泗纶镇社工站" in output
    assert Article.objects.count() == 10
    output = run(SEED, "--year", 2023, "--number", 4)
    assert "已经导入过" in output
    assert Issue.objects.count() == 1


def test_a_word_file(publication, tmp_path, seed_text):
    path = tmp_path / "2023年第3期.docx"
    path.write_bytes(docx_from_text(seed_text))
    output = run(path)
    assert "2023年第3期" in output
    assert Issue.objects.get().source_name == "2023年第3期.docx"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "文件是空的"),
        (b"\x00\x01\x02\x03" * 100, "既不是文本文件"),
        ("请假条\n\n本人因病请假一天。".encode(), "不是一期简报"),
    ],
    ids=["empty", "binary", "not-a-newsletter"],
)
def test_bad_files_say_why_and_create_nothing(publication, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path, "--year", 2023, "--number", 3)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_issue", str(path), "--dry-run", "--json", stdout=out)
    assert message in json.loads(out.getvalue())["warnings"][0]
    assert Issue.objects.count() == 0


def test_missing_file_or_publication(publication, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(tmp_path / "none.txt")
    with pytest.raises(CommandError, match="找不到网址名为 nope 的简报"):
        run(SEED, "--publication", "nope")
    Publication.objects.create(
        name="另一份", slug="other", city=publication.city, bureau="云浮市民政局"
    )
    with pytest.raises(CommandError, match="请用 --publication 指定简报"):
        run(SEED, "--year", 2023, "--number", 3)


def test_a_bad_date_is_refused_by_the_parser(publication):
    with pytest.raises(CommandError):
        run(SEED, "--date", "2023-13-01")


def test_the_demo_imports_the_seed_once(publication):
    out = io.StringIO()
    issue = import_seed(stdout=out)
    assert (issue.year, issue.number, issue.status) == (2023, 3, "published")
    assert issue.publication == publication and issue.articles.count() == 10
    assert import_seed() == issue
    assert Issue.objects.count() == 1
    assert "10 篇文章" in out.getvalue()
