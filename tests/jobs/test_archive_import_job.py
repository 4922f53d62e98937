"""Importing an archive of past issues (a .zip, one issue per file) in the
background: a result per file (imported, skipped as already imported, failed
with the reason), a file that fails leaves the others in, running it again adds
nothing twice; the upload screen is for editors; the command prints a bar."""

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
    without either, a Word 97 file, and macOS litter that is passed over."""

    def variant(n):
        return (seed_text + "\n" * n).encode()

    return _zip(
        {
            "往期/2023年第10期.txt": variant(1),
            "往期/2023年第2期.txt": variant(2),
            "往期/没有期号.txt": variant(3),
            "往期/说明.doc": b"\xd0\xcf\x11\xe0",
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
        ("往期/说明.doc", "failed"),
    ]
    assert (job.progress_done, job.progress_total) == (5, 5)
    assert job.message == "导入 3 期，跳过 0 期（已导入过），2 个文件未导入。"
    files = job.result["files"]
    assert "请指定年份和期号" in files[3]["detail"]
    assert files[4]["detail"] == "只能导入 .txt 或 .docx 文件。"
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
    assert "共 5 个文件：导入 3 期" in out.getvalue()
    bars = err.getvalue().splitlines()
    assert bars[0].startswith("[") and "0/5" in bars[0]
    assert "5/5" in bars[-1] and "100.0%" in bars[-1]
    assert Issue.objects.count() == 3
    out = io.StringIO()
    call_command("import_issue", str(path), stdout=out, stderr=io.StringIO())
    assert "跳过 3 期（已导入过）" in out.getvalue()
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
