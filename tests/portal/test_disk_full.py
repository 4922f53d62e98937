"""The disk full under an upload outside the report photos: a station's 六有
evidence photos and a job's stored input file. Refused with a Chinese message,
nothing saved, no file left behind, never a server error. And the storage
itself (core/storage.py): a save that fails part-way removes what it wrote."""

import datetime
import errno
import os

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core import jobs
from core.models import Job
from core.models.jobs import JobFileStorage
from core.outages import StorageFull
from core.storage import FileSystemStorage as PortalStorage
from stations.jobs import NETWORK_IMPORT
from stations.models import Standard, StandardsCheck, StandardsCheckItem
from stations.services.quality import standards_check_record
from tests.activities.photo_helpers import jpeg
from tests.disk_full import full_after
from tests.jobs.helpers import csv_upload, stored_job_files

pytestmark = pytest.mark.django_db


def test_a_standards_check_whose_second_photo_finds_the_disk_full(
    net, personas, settings
):
    left = full_after(settings, 1)
    items = {value: {"met": True} for value in Standard.values}
    first, second = Standard.values[:2]
    items[first]["evidence_photo"] = SimpleUploadedFile("a.jpg", jpeg())
    items[second]["evidence_photo"] = SimpleUploadedFile("b.jpg", jpeg(color="blue"))
    with pytest.raises(StorageFull) as refused:
        standards_check_record(
            station=net.a1,
            by=personas.reviewer,
            checked_on=datetime.date(2023, 1, 5),
            note="",
            items=items,
        )
    assert "服务器存储空间已满" in " ".join(refused.value.messages)
    assert not StandardsCheck.objects.exists()
    assert not StandardsCheckItem.objects.exists()
    assert left() == []


def test_a_job_input_file_on_a_full_disk_starts_no_job(
    net, personas, login, monkeypatch, settings
):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(JobFileStorage, "_save", full)
    settings.JOBS_INLINE_MAX_BYTES = 10  # the sheet goes to a background job
    headers = ["县（市、区）", "镇（街道）", "名称", "类型", "备注"]
    rows = [[net.county_a1.name, net.a1.town.name, "新村", "村", ""]]
    page = "/staff/import/villages/"
    response = login(personas.editor).post(
        page, {"file": csv_upload(headers, rows)}, follow=True
    )
    assert response.status_code == 400
    assert "服务器存储空间已满" in response.content.decode()
    assert not Job.objects.exists()
    assert stored_job_files() == []
    # The service alone says the same.
    with pytest.raises(StorageFull):
        jobs.job_start(
            kind=NETWORK_IMPORT,
            by=personas.editor,
            title="t",
            input_file=csv_upload(headers, rows),
        )
    assert not Job.objects.exists()


# --- A save that fails part-way --------------------------------------------------


# Larger than a file's write buffer, so the first chunk is on disk at once.
CHUNK = File.DEFAULT_CHUNK_SIZE


class FillsUp:
    """A file whose first chunk reads and whose second meets a full disk, as a
    large upload does when the disk fills in the middle: ``seen`` records what
    the storage's folder held at that moment."""

    def __init__(self, folder):
        self.folder = folder
        self.reads = 0
        self.seen = []

    def read(self, size=-1):
        self.reads += 1
        if self.reads == 1:
            return b"x" * CHUNK
        self.seen = [
            (name, os.path.getsize(os.path.join(self.folder, name)))
            for name in sorted(os.listdir(self.folder))
        ]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fills_up(folder):
    source = FillsUp(folder)
    return source, File(source, name="big.bin")


def test_django_storage_keeps_a_partial_file(tmp_path):
    # What the portal's storage is for: Django's own leaves the part written.
    source, content = _fills_up(tmp_path)
    with pytest.raises(OSError):
        DjangoFileSystemStorage(location=tmp_path).save("big.bin", content)
    assert source.seen == [("big.bin", CHUNK)]
    assert os.listdir(tmp_path) == ["big.bin"]


def test_the_portal_storage_removes_a_partial_file(tmp_path):
    source, content = _fills_up(tmp_path)
    with pytest.raises(OSError) as failed:
        PortalStorage(location=tmp_path).save("big.bin", content)
    assert failed.value.errno == errno.ENOSPC
    assert source.seen == [("big.bin", CHUNK)]  # written, then removed
    assert os.listdir(tmp_path) == []


def test_a_file_already_there_is_never_removed(tmp_path):
    # A name taken by the time the file is created: Django writes under another
    # one, and only that one goes.
    (tmp_path / "big.bin").write_bytes(b"kept")
    source, content = _fills_up(tmp_path)
    with pytest.raises(OSError):
        PortalStorage(location=tmp_path)._save("big.bin", content)
    assert len(source.seen) == 2
    assert os.listdir(tmp_path) == ["big.bin"]
    assert (tmp_path / "big.bin").read_bytes() == b"kept"


def test_media_and_job_files_use_the_portal_storage(settings, tmp_path):
    assert settings.STORAGES["default"]["BACKEND"] == "core.storage.FileSystemStorage"
    assert isinstance(default_storage, PortalStorage)
    assert isinstance(Job._meta.get_field("input_file").storage, PortalStorage)
    assert isinstance(Job._meta.get_field("result_file").storage, PortalStorage)
    # A job's upload that fails part-way leaves nothing in JOBS_ROOT.
    settings.JOBS_ROOT = tmp_path / "jobs"
    os.makedirs(settings.JOBS_ROOT)
    source, content = _fills_up(settings.JOBS_ROOT)
    with pytest.raises(OSError):
        JobFileStorage().save("big.bin", content)
    assert source.seen == [("big.bin", CHUNK)]
    assert stored_job_files() == []
