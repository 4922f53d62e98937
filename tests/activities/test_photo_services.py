"""The report photo services (activities/services/photos.py): a refused file leaves
nothing behind; photos are numbered, need consent for people, and change only while
the report may change, by those who file for its unit."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError

from activities.models import ReportPhoto
from activities.photos import PRINT_SIZE, THUMB_SIZE, WEB_SIZE
from activities.services import (
    report_photo_add,
    report_photo_delete,
    report_photo_update,
)
from tests.activities.photo_helpers import (
    BAD_FILES,
    _assert_nothing_stored,
    _open,
    gps_photo,
    jpeg,
    media_files,
    upload,
)


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_stores_nothing(kind, draft, personas, settings):
    build, code, words = BAD_FILES[kind]
    with pytest.raises(ValidationError, match=words):
        report_photo_add(report=draft, by=personas.worker, file=upload(build()))
    _assert_nothing_stored(draft, settings)


def test_oversized_upload_stores_nothing(draft, personas, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 2000
    with pytest.raises(ValidationError, match="图片太大"):
        report_photo_add(
            report=draft, by=personas.worker, file=upload(jpeg((600, 600)) * 2)
        )
    _assert_nothing_stored(draft, settings)


def test_gps_photo_is_stored_as_three_renditions_without_exif(
    draft, personas, settings
):
    data = gps_photo((3000, 1500))
    photo = report_photo_add(
        report=draft,
        by=personas.worker,
        file=upload(data, name="秘密地点_IMG_4242.jpg"),
        caption="入户走访",
    )
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1500, 3000)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert (photo.position, photo.uploaded_by) == (1, personas.worker)
    limits = {"thumb": THUMB_SIZE, "web": WEB_SIZE, "print_image": PRINT_SIZE}
    for field, limit in limits.items():
        stored = getattr(photo, field)
        assert "IMG_4242" not in stored.name and "秘密" not in stored.name
        with stored.open("rb") as f:
            raw = f.read()
        im = _open(raw)
        assert not im.getexif()
        assert "exif" not in im.info
        assert b"SecretCam" not in raw and b"Exif" not in raw
        assert im.height == limit and im.width == limit // 2  # rotated, within size
    # Only the three renditions are on disk: the upload itself is not kept.
    assert len(media_files(settings)) == 3


def test_same_photo_twice_on_a_report_is_refused(draft, personas, settings):
    report_photo_add(report=draft, by=personas.worker, file=upload(jpeg()))
    with pytest.raises(ValidationError, match="已经上传过了（照片1）"):
        report_photo_add(report=draft, by=personas.worker, file=upload(jpeg()))
    assert draft.photos.count() == 1
    assert len(media_files(settings)) == 3


def test_photos_are_numbered_in_upload_order(draft, personas):
    for color in ("red", "green", "blue"):
        report_photo_add(
            report=draft, by=personas.worker, file=upload(jpeg(color=color))
        )
    assert list(draft.photos.values_list("position", flat=True)) == [1, 2, 3]


def test_photo_of_people_needs_consent(draft, personas, settings):
    with pytest.raises(ValidationError, match="同意"):
        report_photo_add(
            report=draft, by=personas.worker, file=upload(jpeg()), shows_people=True
        )
    _assert_nothing_stored(draft, settings)
    photo = report_photo_add(
        report=draft,
        by=personas.worker,
        file=upload(jpeg()),
        shows_people=True,
        consent=True,
    )
    assert photo.consent


def test_failed_database_write_leaves_no_files(draft, personas, settings, monkeypatch):
    def broken_save(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ReportPhoto, "save", broken_save)
    with pytest.raises(DatabaseError):
        report_photo_add(report=draft, by=personas.worker, file=upload(jpeg()))
    monkeypatch.undo()
    _assert_nothing_stored(draft, settings)


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_photos_of_a_report_under_review_cannot_change(
    status, personas, net, make_report, settings
):
    report = make_report(
        personas.worker, net.a1, status=status, reviewer=personas.reviewer
    )
    with pytest.raises(ValidationError, match="不能修改照片"):
        report_photo_add(report=report, by=personas.worker, file=upload(jpeg()))
    _assert_nothing_stored(report, settings)


def test_superuser_may_correct_photos_of_a_submitted_report(personas, net, make_report):
    report = make_report(personas.worker, net.a1, status="submitted")
    photo = report_photo_add(report=report, by=personas.superuser, file=jpeg())
    assert photo.pk


def test_returned_report_takes_photos(personas, net, make_report):
    report = make_report(
        personas.worker, net.a1, status="returned", reviewer=personas.reviewer
    )
    assert report_photo_add(report=report, by=personas.worker, file=upload(jpeg()))


@pytest.mark.parametrize("who", ["other_worker", "reviewer", "supervisor", "editor"])
def test_only_filers_of_the_unit_may_add_photos(who, draft, personas, settings):
    with pytest.raises(PermissionDenied):
        report_photo_add(report=draft, by=getattr(personas, who), file=jpeg())
    _assert_nothing_stored(draft, settings)


def test_update_changes_caption_and_consent(draft, personas):
    photo = report_photo_add(report=draft, by=personas.worker, file=jpeg())
    report_photo_update(
        photo=photo,
        by=personas.worker,
        caption=" 慰问 ",
        shows_people=True,
        consent=True,
    )
    photo.refresh_from_db()
    assert (photo.caption, photo.shows_people, photo.consent) == ("慰问", True, True)
    with pytest.raises(ValidationError, match="同意"):
        report_photo_update(
            photo=photo,
            by=personas.worker,
            caption="",
            shows_people=True,
            consent=False,
        )
    photo.refresh_from_db()
    assert photo.consent


def test_delete_removes_the_files_and_keeps_body_numbers_pointing_at_the_same_photos(
    personas, net, make_report, settings, django_capture_on_commit_callbacks
):
    report = make_report(
        personas.worker,
        net.a1,
        body="开头。\n[照片1]\n中间。\n【照片2】\n[照片3]\n结尾。",
    )
    photos = [
        report_photo_add(report=report, by=personas.worker, file=jpeg(color=c))
        for c in ("red", "green", "blue")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report_photo_delete(photo=photos[1], by=personas.worker)
    report.refresh_from_db()
    assert report.body == "开头。\n[照片1]\n中间。\n[照片2]\n结尾。"
    assert [value for kind, value in report.blocks() if kind == "photo"] == [
        photos[0],
        photos[2],
    ]
    assert len(media_files(settings)) == 6
    assert not any(
        Path(settings.MEDIA_ROOT, getattr(photos[1], f).name).exists()
        for f in ("thumb", "web", "print_image")
    )


def test_files_stay_until_the_delete_commits(draft, personas, settings):
    photo = report_photo_add(report=draft, by=personas.worker, file=jpeg())
    # Without the commit (the test's transaction is rolled back), nothing goes.
    report_photo_delete(photo=photo, by=personas.worker)
    assert len(media_files(settings)) == 3
