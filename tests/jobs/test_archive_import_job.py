"""Importing an archive of past issues (a .zip, one issue per file, of any of
the formats the import reads) in the background: a result per file (imported;
a draft when the issue stayed one; skipped when the file or its year and number
is already there, naming the issue; failed with the reason), a file that fails
leaves the others in, running it again adds nothing twice; the upload screen is
for editors; the command prints a bar and a line per file."""

# Fixtures imported from other test folders are parameters here, by design.
# ruff: noqa: F811

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.models import Job
from newsletter.jobs import ARCHIVE_IMPORT
from newsletter.legacy.archive import archive_import
from newsletter.models import Issue
from newsletter.services import legacy as legacy_services
from tests.jobs.helpers import job_of
from tests.newsletter.legacy.conftest import (  # noqa: F401 (fixtures)
    publication,
    seed_bytes,
    seed_text,
    yunfu,
    yunfu_editor,
)
from tests.newsletter.legacy.helpers import replace
from tests.newsletter.legacy.office_files import (  # noqa: F401 (fixtures)
    needs_soffice,
    seed_doc,
    seed_docx,
)

pytestmark = pytest.mark.django_db
URL = "/staff/issues/import/archive/"
GBK_NAME = "2023年第4期.txt"
GBK_PLACEHOLDER = "2023_GBKNAM.txt"  # as many bytes as the GBK name


def _zip(members, gbk=None) -> bytes:
    """A zip of ``{name: bytes}``; ``gbk`` bytes go in under a name written in
    GBK without the UTF-8 flag, as Chinese Windows writes them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if gbk is not None:
            archive.writestr(GBK_PLACEHOLDER, gbk)
    data = buffer.getvalue()
    raw = GBK_NAME.encode("gbk")
    assert len(raw) == len(GBK_PLACEHOLDER)
    return data.replace(GBK_PLACEHOLDER.encode("ascii"), raw)


@pytest.fixture
def archive(seed_text):
    """Three issues named by year and number (the 4th under a GBK name), a file
    without either, a spreadsheet, and macOS litter that is passed over."""

    def variant(n):
        return (seed_text + "\n" * n).encode()

    return _zip(
        {
            "往期/2023年第10期.txt": variant(1),
            "往期/2023年第2期.txt": variant(2),
            "往期/没有期号.txt": variant(3),
            "往期/说明.xls": b"\xd0\xcf\x11\xe0",
            "__MACOSX/往期/._2023年第2期.txt": b"junk",
        },
        gbk=variant(4),
    )


def _results(job):
    return [(f["name"], f["status"]) for f in job.result["files"]]


def _start(client, publication, data, **fields):
    return client.post(
        URL,
        {
            "publication": publication.pk,
            "file": SimpleUploadedFile("archive.zip", data),
            **fields,
        },
    )


def test_each_issue_is_imported_with_a_result_per_file(
    login,
    publication,
    yunfu_editor,
    archive,
):
    client = login(yunfu_editor)
    job = job_of(_start(client, publication, archive))
    assert (job.kind, job.unit) == (ARCHIVE_IMPORT, f"city:{publication.city_id}")
    assert job.status == Job.Status.SUCCEEDED
    # Natural order of the names: 第2期, 第4期, 第10期.
    assert _results(job) == [
        ("2023年第4期.txt", "imported"),
        ("往期/2023年第2期.txt", "imported"),
        ("往期/2023年第10期.txt", "imported"),
        ("往期/没有期号.txt", "failed"),
        ("往期/说明.xls", "failed"),
    ]
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.message == (
        "导入并发布 3 期，导入为草稿 0 期（请编辑处理后发布），"
        "跳过 0 个文件（已有这一期），2 个文件未导入。"
    )
    files = job.result["files"]
    assert "请指定年份和期号" in files[3]["detail"]
    assert files[4]["detail"] == (
        "只能导入 .txt、.docx、.doc、.wps、.pdf、.jpg、.jpeg、.png 文件。"
    )
    assert sorted(Issue.objects.values_list("number", flat=True)) == [2, 4, 10]
    issue = Issue.objects.get(number=4)
    assert files[0]["url"] == issue.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "逐个文件的结果" in page and "已导入" in page and "往期/没有期号.txt" in page

    # The same archive again (after a crash, say): nothing twice.
    again = job_of(_start(client, publication, archive))
    assert [status for _name, status in _results(again)] == [
        "skipped",
        "skipped",
        "skipped",
        "failed",
        "failed",
    ]
    assert Issue.objects.count() == 3


def _with_an_id_number(seed_text: str) -> bytes:
    """The seed with a beneficiary's ID number: the privacy gate keeps it a
    draft."""
    return replace(
        seed_text, "送去温暖。", "送去温暖（联系人身份证号445302199001011234）。"
    ).encode()


@needs_soffice
def test_mixed_formats_one_issue_twice_and_a_draft(
    login, publication, yunfu_editor, seed_doc, seed_text
):
    """An old Word file and a text copy of the same issue (2023年第4期): the
    first in the archive's order is imported, the second skipped, naming the
    issue that has its number; an issue the privacy gate holds back is a
    draft."""
    data = _zip(
        {
            "2023年第4期.doc": seed_doc,
            "2023年第4期.txt": seed_text.encode(),
            "2023年第5期.txt": _with_an_id_number(seed_text),
        }
    )
    client = login(yunfu_editor)
    job = job_of(_start(client, publication, data))
    assert job.status == Job.Status.SUCCEEDED
    assert _results(job) == [
        ("2023年第4期.doc", "imported"),
        ("2023年第4期.txt", "skipped"),
        ("2023年第5期.txt", "draft"),
    ]
    fourth = Issue.objects.get(number=4)
    assert fourth.source_name == "2023年第4期.doc" and fourth.is_published
    assert fourth.articles.filter(photos__is_missing=False).count() == 1
    fifth = Issue.objects.get(number=5)
    assert fifth.status == Issue.Status.DRAFT
    files = job.result["files"]
    assert files[1]["detail"].startswith(f"2023年第4期已经有了（{fourth}）")
    assert files[1]["url"] == fourth.get_absolute_url()
    assert "隐私检查" in files[2]["detail"]
    assert files[2]["url"] == fifth.get_absolute_url()
    assert job.message == (
        "导入并发布 1 期，导入为草稿 1 期（请编辑处理后发布），"
        "跳过 1 个文件（已有这一期），0 个文件未导入。"
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已导入为草稿" in page and "已有这一期，跳过" in page
    # The single-file import of the same number is still an error.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="2023年第4期已经存在"):
        legacy_services.issue_import(
            publication=publication,
            source=seed_text.encode(),
            filename="2023年第4期.txt",
            by=yunfu_editor,
        )
    assert Issue.objects.count() == 2


def test_import_issue_on_a_zip_prints_drafts_and_skips(
    publication, seed_text, tmp_path
):
    path = tmp_path / "archive.zip"
    path.write_bytes(
        _zip(
            {
                "2023年第4期.txt": seed_text.encode(),
                "2023年第4期（另存）.txt": (seed_text + "\n").encode(),
                "2023年第5期.txt": _with_an_id_number(seed_text),
            }
        )
    )
    out = io.StringIO()
    call_command("import_issue", str(path), stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    fourth, fifth = Issue.objects.get(number=4), Issue.objects.get(number=5)
    assert lines[0].startswith("✓ 2023年第4期.txt：2023年第4期：")
    assert lines[1] == (
        f"= 2023年第4期（另存）.txt：2023年第4期已经有了（{fourth}），"
        "这个文件跳过，没有导入。"
    )
    assert lines[2].startswith("◐ 2023年第5期.txt：")
    assert lines[2].endswith(f"/staff/issues/{fifth.pk}/")
    assert "导入并发布 1 期，导入为草稿 1 期" in out.getvalue()
    assert "跳过 1 个文件（已有这一期）" in out.getvalue()
    assert fifth.status == Issue.Status.DRAFT


def test_a_file_that_breaks_leaves_the_others_and_a_rerun_completes(
    login,
    publication,
    yunfu_editor,
    archive,
    monkeypatch,
):
    real = legacy_services.issue_import

    def broken(**kwargs):
        if kwargs["filename"] == "2023年第2期.txt":
            raise RuntimeError("the reader fell over")
        return real(**kwargs)

    monkeypatch.setattr("newsletter.legacy.archive.issue_import", broken)
    client = login(yunfu_editor)
    job = job_of(_start(client, publication, archive))
    assert job.status == Job.Status.SUCCEEDED
    assert dict(_results(job))["往期/2023年第2期.txt"] == "failed"
    assert sorted(Issue.objects.values_list("number", flat=True)) == [4, 10]
    monkeypatch.setattr("newsletter.legacy.archive.issue_import", real)
    rerun = job_of(_start(client, publication, archive))
    assert dict(_results(rerun))["往期/2023年第2期.txt"] == "imported"
    assert sorted(Issue.objects.values_list("number", flat=True)) == [2, 4, 10]


def test_a_dry_run_checks_every_file_and_writes_nothing(
    login,
    publication,
    yunfu_editor,
    archive,
):
    job = job_of(_start(login(yunfu_editor), publication, archive, dry_run="on"))
    assert job.status == Job.Status.SUCCEEDED
    assert [s for _n, s in _results(job)] == [
        "checked",
        "checked",
        "checked",
        "failed",
        "failed",
    ]
    assert not Issue.objects.exists()


def test_bad_archives_are_refused(login, publication, yunfu_editor):
    client = login(yunfu_editor)
    response = client.post(
        URL,
        {"publication": publication.pk, "file": SimpleUploadedFile("a.rar", b"x")},
    )
    assert response.status_code == 400
    assert "请上传 .zip 压缩包" in response.content.decode()
    job = job_of(_start(client, publication, b"not a zip"))
    assert job.status == Job.Status.FAILED
    assert job.message == "无法读取这个压缩包，请上传 .zip 文件。"
    empty = job_of(_start(client, publication, _zip({"__MACOSX/x": b""})))
    assert empty.message == "压缩包里没有文件。"
    assert not Issue.objects.exists()


def test_the_archive_screen_is_for_editors(
    login,
    personas,
    publication,
    yunfu_editor,
):
    assert login(yunfu_editor).get(URL).status_code == 200
    for user in (personas.worker, personas.reviewer, personas.nobody):
        assert login(user).get(URL).status_code == 404
    # An editor of another city has no publication here to import into.
    response = _start(login(personas.editor), publication, _zip({"a.txt": b"x"}))
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_import_issue_on_a_zip_prints_a_bar_and_a_line_per_file(
    publication,
    archive,
    tmp_path,
):
    path = tmp_path / "archive.zip"
    path.write_bytes(archive)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_issue", str(path), stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("✓ 2023年第4期.txt：2023年第4期：")
    assert lines[3].startswith("× 往期/没有期号.txt：")
    assert "共 5 个文件：导入并发布 3 期" in out.getvalue()
    bars = err.getvalue().splitlines()
    assert bars[0].startswith("[") and "0/5" in bars[0]
    assert "5/5" in bars[-1] and "100.0%" in bars[-1]
    assert Issue.objects.count() == 3
    out = io.StringIO()
    call_command("import_issue", str(path), stdout=out, stderr=io.StringIO())
    assert "跳过 3 个文件（已有这一期）" in out.getvalue()
    with pytest.raises(CommandError, match="--year"):
        call_command("import_issue", str(path), year=2023, stdout=io.StringIO())


def test_a_zip_of_nothing_importable_fails_the_command(publication, tmp_path):
    path = tmp_path / "archive.zip"
    path.write_bytes(_zip({"readme.md": b"x"}))
    with pytest.raises(CommandError, match="没有导入任何一期"):
        call_command(
            "import_issue", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_archive_service_refuses_a_non_editor(publication, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        archive_import(publication=publication, data=b"", by=personas.editor)
