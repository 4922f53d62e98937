"""Report photos (activities/photos.py and its views): every bad file kind is
refused with a Chinese message and leaves nothing behind; a good photo becomes
three renditions without EXIF, oriented, within size; only those who file for the
report's unit may change its photos."""

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image, ImageCms, ImageOps, PngImagePlugin

from activities import permissions, services
from activities.models import ReportPhoto
from activities.photo_forms import PhotoUploadForm
from activities.photos import (
    PRINT_SIZE,
    THUMB_SIZE,
    WEB_SIZE,
    process_image,
    report_photo_add,
    report_photo_delete,
    report_photo_update,
)

# --- Files made in the test ----------------------------------------------------------


def jpeg(size=(400, 200), color="red", **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png(mode="RGB", size=(40, 30), color=None, **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG", **save)
    return buffer.getvalue()


def webp(size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "WEBP")
    return buffer.getvalue()


def mpo():
    # What phones write for Ultra HDR and depth photos: a JPEG whose MPF header
    # declares a second JPEG appended after the first one's end.
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))]
    )
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header declares ``width`` x ``height``: a pixel bomb that
    costs nothing to build because its pixels are never there."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_declaring(width, height):
    """A small JPEG with its frame header rewritten to declare a huge size."""
    data = bytearray(jpeg((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_with_html_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<html><body><script>alert(1)</script>", zip=True)
    return png(pnginfo=info)


def gps_photo(size=(400, 200)):
    """A camera JPEG: left half red, right half blue, orientation 6 (the camera was
    turned: show it rotated 90° clockwise), a GPS position and a maker note."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (22.0, 55.0, 12.5)
    gps[3], gps[4] = "E", (112.0, 2.0, 30.25)
    im = Image.new("RGB", size, (255, 0, 0))
    im.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", exif=exif, quality=95)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # really there
    return data


def upload(data, name="IMG_20230225_101010.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# Each bad kind: the bytes, the refusal code and a word of the Chinese message.
BAD_FILES = {
    "text named .jpg": (
        lambda: "这不是图片，只是文字。".encode(),
        "not_image",
        "不是图片",
    ),
    "empty file": (lambda: b"", "not_image", "不是图片"),
    "truncated JPEG": (lambda: gps_photo()[:-400], "truncated", "不完整"),
    "JPEG cut in its header": (lambda: jpeg()[:300], "truncated", "不完整"),
    "truncated PNG": (lambda: png(size=(300, 200))[:-20], "truncated", "不完整"),
    "truncated WebP": (lambda: webp()[:-10], "truncated", "不完整"),
    "PNG bomb 30000x30000": (
        lambda: png_declaring(30000, 30000),
        "too_many_pixels",
        "像素过多",
    ),
    "PNG over the pixel limit": (
        lambda: png_declaring(8000, 6000),
        "too_many_pixels",
        "像素过多",
    ),
    "JPEG bomb 60000x60000": (
        lambda: jpeg_declaring(60000, 60000),
        "too_many_pixels",
        "像素过多",
    ),
    "JPEG + ZIP": (lambda: jpeg() + zip_bytes(), "polyglot", "包含图片以外的数据"),
    "PNG + HTML": (
        lambda: png() + b"<html><script>alert(1)</script></html>",
        "polyglot",
        "包含图片以外的数据",
    ),
    "WebP + ZIP": (lambda: webp() + zip_bytes(), "polyglot", "包含图片以外的数据"),
    "MPO + ZIP": (lambda: mpo() + zip_bytes(), "polyglot", "包含图片以外的数据"),
    "JPEG with script in a comment": (
        lambda: jpeg(comment=b"<script>alert(1)</script>"),
        "polyglot",
        "包含图片以外的数据",
    ),
    "PNG with HTML in a compressed text chunk": (
        png_with_html_text,
        "polyglot",
        "包含图片以外的数据",
    ),
    "GIF": (
        lambda: _saved(Image.new("P", (20, 20)), "GIF"),
        "format",
        "只接受 JPEG、PNG、WebP",
    ),
    "BMP named .jpg": (
        lambda: _saved(Image.new("RGB", (20, 20)), "BMP"),
        "format",
        "只接受 JPEG、PNG、WebP",
    ),
    "HEIC": (
        lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
        "format",
        "HEIC",
    ),
}


def _saved(im, fmt, **save):
    buffer = io.BytesIO()
    im.save(buffer, fmt, **save)
    return buffer.getvalue()


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(personas, net, make_report):
    return make_report(personas.worker, net.a1)


# --- The pipeline --------------------------------------------------------------------


@pytest.mark.parametrize("kind", BAD_FILES)
def test_each_bad_file_kind_is_refused_with_a_chinese_message(kind):
    build, code, words = BAD_FILES[kind]
    with pytest.raises(ValidationError) as refused:
        process_image(build())
    assert refused.value.code == code
    assert words in " ".join(refused.value.messages)


def test_file_over_the_byte_limit_is_refused_before_it_is_parsed(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError, match="图片太大") as refused:
        process_image(jpeg((300, 300)) + b"\x00" * 1000)
    assert refused.value.code == "too_large"


def test_pillow_bomb_warning_is_a_refusal_even_under_a_higher_setting(settings):
    # 90 million pixels is above Pillow's own warning threshold (~89 million);
    # were the setting raised, the warning must still refuse, not just log.
    settings.PHOTO_MAX_PIXELS = 10**9
    with pytest.raises(ValidationError, match="像素过多"):
        process_image(png_declaring(10000, 9000))


def test_pixel_limit_comes_from_the_setting(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="101×100"):
        process_image(jpeg((101, 100)))
    assert process_image(jpeg((100, 100))).width == 100


def _open(data):
    return Image.open(io.BytesIO(data))


def test_good_photo_becomes_three_oriented_renditions_without_metadata():
    data = gps_photo()
    result = process_image(data)

    assert result.sha256 == hashlib.sha256(data).hexdigest()
    # The size of the original as shown, i.e. after the quarter turn.
    assert (result.width, result.height) == (200, 400)
    for rendition in (result.thumb, result.web, result.print_image):
        im = _open(rendition)
        assert im.format == "JPEG"
        assert not im.getexif()
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(im.info)
        assert b"SecretCam" not in rendition
        assert im.height > im.width
        # Orientation 6: the left (red) half of the stored pixels is the top.
        rgb = im.convert("RGB")
        top = rgb.getpixel((im.width // 2, im.height // 8))
        bottom = rgb.getpixel((im.width // 2, im.height * 7 // 8))
        assert top[0] > 200 and top[2] < 60
        assert bottom[2] > 200 and bottom[0] < 60
    # Small photos are never enlarged; the thumbnail still fits its box.
    assert _open(result.print_image).size == (200, 400)
    assert _open(result.web).size == (200, 400)
    assert _open(result.thumb).size == (160, THUMB_SIZE)


QUADRANTS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_shown_as_exif_transpose_shows_it(orientation):
    im = Image.new("RGB", (80, 40))
    for i, color in enumerate(QUADRANTS):
        im.paste(
            color, ((i % 2) * 40, (i // 2) * 20, (i % 2) * 40 + 40, (i // 2) * 20 + 20)
        )
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = _saved(im, "JPEG", exif=exif, quality=95)
    expected = ImageOps.exif_transpose(_open(data)).convert("RGB")
    result = process_image(data)
    got = _open(result.print_image).convert("RGB")
    assert got.size == expected.size == (result.width, result.height)
    w, h = got.size
    for x, y in ((w // 4, h // 4), (w * 3 // 4, h // 4), (w // 4, h * 3 // 4)):
        assert all(
            abs(a - b) < 40
            for a, b in zip(
                got.getpixel((x, y)), expected.getpixel((x, y)), strict=True
            )
        )


def test_large_photo_is_scaled_to_each_rendition_size():
    result = process_image(jpeg((3000, 1000)))
    sizes = [_open(r).size for r in (result.print_image, result.web, result.thumb)]
    assert sizes == [(PRINT_SIZE, 827), (WEB_SIZE, 427), (THUMB_SIZE, 107)]
    assert (result.width, result.height) == (3000, 1000)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: png("RGBA", (20, 20), (0, 0, 0, 0)), id="transparent"),
        pytest.param(lambda: png("LA", (20, 20), (0, 0)), id="grey-transparent"),
        pytest.param(
            lambda: _saved(Image.new("P", (20, 20), 0), "PNG", transparency=0),
            id="palette-transparent",
        ),
    ],
)
def test_alpha_is_flattened_onto_white(data):
    im = _open(process_image(data()).web)
    assert im.mode == "RGB"
    assert min(im.getpixel((10, 10))) > 245


def test_16_bit_png_keeps_its_tones():
    im = _open(process_image(png("I;16", (20, 20), 32768)).web)
    assert 120 <= im.getpixel((10, 10))[0] <= 136


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: jpeg(progressive=True), id="progressive"),
        pytest.param(lambda: jpeg(restart_marker_rows=1), id="restart-markers"),
        pytest.param(lambda: jpeg() + b"\x00" * 64, id="zero-padding"),
        pytest.param(lambda: _saved(Image.new("CMYK", (40, 30)), "JPEG"), id="cmyk"),
        pytest.param(lambda: _saved(Image.new("L", (40, 30)), "JPEG"), id="grey"),
        pytest.param(lambda: png("P", (40, 30)), id="palette"),
        pytest.param(webp, id="webp"),
        pytest.param(mpo, id="mpo"),
        pytest.param(
            lambda: jpeg(
                icc_profile=ImageCms.ImageCmsProfile(
                    ImageCms.createProfile("sRGB")
                ).tobytes()
            ),
            id="icc-profile",
        ),
    ],
)
def test_ordinary_photos_are_accepted(build):
    result = process_image(build())
    for rendition in (result.thumb, result.web, result.print_image):
        im = _open(rendition)
        assert (im.format, im.mode) == ("JPEG", "RGB")
        assert "icc_profile" not in im.info


# --- The service ---------------------------------------------------------------------


def _assert_nothing_stored(report, settings):
    assert not ReportPhoto.objects.filter(report=report).exists()
    assert media_files(settings) == []


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


# --- The views -----------------------------------------------------------------------


def upload_url(report):
    return reverse("activities_staff:photo_upload", args=[report.pk])


def report_path(report):
    return f"/staff/reports/{report.pk}/#photos"


@pytest.mark.parametrize("who", ["worker", "head", "superuser"])
def test_filers_of_the_station_upload_to_its_draft(who, draft, personas, login):
    response = login(getattr(personas, who)).post(
        upload_url(draft), {"photos": [upload(gps_photo())], "caption": "宣传现场"}
    )
    assert response.status_code == 302
    assert response["Location"] == report_path(draft)
    photo = draft.photos.get()
    assert (photo.caption, photo.uploaded_by) == ("宣传现场", getattr(personas, who))
    assert any("已保存 1 张照片" in m for m in message_texts(response))


def test_upload_spooled_to_a_temporary_file_is_read_whole(
    draft, personas, login, settings
):
    # Django keeps uploads above FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = gps_photo()
    login(personas.worker).post(upload_url(draft), {"photos": [upload(data)]})
    assert draft.photos.get().sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "who",
    [
        "other_worker",
        "supervisor",  # reads the station's reports, files none
        "reviewer",  # reviews them, does not write them
        "other_reviewer",
        "editor",  # files city-bureau reports only
        "other_editor",
    ],
)
def test_others_get_404_and_nothing_is_stored(who, draft, personas, login, settings):
    response = login(getattr(personas, who)).post(
        upload_url(draft), {"photos": [upload(jpeg())]}
    )
    assert response.status_code == 404
    _assert_nothing_stored(draft, settings)


def test_user_without_role_gets_403_and_anonymous_is_sent_to_login(
    draft, personas, login, client
):
    assert (
        client.post(upload_url(draft), {"photos": [upload(jpeg())]}).status_code == 302
    )
    response = login(personas.nobody).post(upload_url(draft), {})
    assert response.status_code == 403


def test_upload_url_takes_only_post(draft, personas, login):
    assert login(personas.worker).get(upload_url(draft)).status_code == 405


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_upload_to_a_report_under_review_is_refused(
    status, personas, net, make_report, login, settings
):
    report = make_report(
        personas.worker, net.a1, status=status, reviewer=personas.reviewer
    )
    response = login(personas.worker).post(
        upload_url(report), {"photos": [upload(jpeg()), upload(png(), "b.png")]}
    )
    assert response.status_code == 302
    messages = message_texts(response)
    # Said once for the batch, not once per file.
    assert len(messages) == 1 and "不能修改照片" in messages[0]
    _assert_nothing_stored(report, settings)


def test_upload_without_consent_for_people_is_refused(draft, personas, login, settings):
    response = login(personas.worker).post(
        upload_url(draft), {"photos": [upload(jpeg())], "shows_people": "on"}
    )
    assert response.status_code == 302
    assert any("同意" in m for m in message_texts(response))
    _assert_nothing_stored(draft, settings)


def test_upload_field_takes_several_images_at_once():
    html = str(PhotoUploadForm()["photos"])
    assert "multiple" in html and 'accept="image/*"' in html


def test_upload_without_files_says_so(draft, personas, login):
    response = login(personas.worker).post(upload_url(draft), {"caption": "x"})
    assert response.status_code == 302
    assert any("请选择至少一张照片" in m for m in message_texts(response))


def test_batch_keeps_the_good_photos_and_names_each_bad_file(
    draft, personas, login, settings
):
    files = [
        upload(jpeg(color="red"), "good1.jpg"),
        upload("不是图片".encode(), "notes.jpg"),
        upload(png() + b"<html></html>", "poly.png", "image/png"),
        upload(jpeg(color="blue"), "good2.jpg"),
    ]
    response = login(personas.worker).post(
        upload_url(draft),
        {"photos": files, "caption": "活动合影", "shows_people": "on", "consent": "on"},
    )
    assert response.status_code == 302
    photos = list(draft.photos.all())
    assert [p.caption for p in photos] == ["活动合影", "活动合影"]
    assert all(p.shows_people and p.consent for p in photos)
    assert len(media_files(settings)) == 6
    messages = message_texts(response)
    assert any("第 2 个文件（notes.jpg）" in m and "不是图片" in m for m in messages)
    assert any(
        "第 3 个文件（poly.png）" in m and "图片以外的数据" in m for m in messages
    )
    assert any("已保存 2 张照片" in m for m in messages)


def test_over_the_limit_upload_is_refused_with_its_size(
    draft, personas, login, settings
):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1024
    response = login(personas.worker).post(
        upload_url(draft), {"photos": [upload(gps_photo(), "big.jpg")]}
    )
    assert any(
        "第 1 个文件（big.jpg）" in m and "图片太大" in m
        for m in message_texts(response)
    )
    _assert_nothing_stored(draft, settings)


@pytest.fixture
def photo(draft, personas):
    return report_photo_add(report=draft, by=personas.worker, file=jpeg(), caption="旧")


@pytest.mark.parametrize("who", ["worker", "head"])
def test_filers_edit_a_photo(who, photo, personas, login):
    response = login(getattr(personas, who)).post(
        reverse("activities_staff:photo_edit", args=[photo.pk]),
        {"caption": "新说明", "shows_people": "on", "consent": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == report_path(photo.report)
    photo.refresh_from_db()
    assert (photo.caption, photo.shows_people, photo.consent) == ("新说明", True, True)


def test_edit_without_consent_is_refused_and_changes_nothing(photo, personas, login):
    response = login(personas.worker).post(
        reverse("activities_staff:photo_edit", args=[photo.pk]),
        {"caption": "新说明", "shows_people": "on"},
    )
    assert any("同意" in m for m in message_texts(response))
    photo.refresh_from_db()
    assert (photo.caption, photo.shows_people) == ("旧", False)


@pytest.mark.parametrize("action", ["photo_edit", "photo_delete"])
@pytest.mark.parametrize("who", ["other_worker", "supervisor", "reviewer", "editor"])
def test_others_cannot_edit_or_delete_a_photo(action, who, photo, personas, login):
    response = login(getattr(personas, who)).post(
        reverse(f"activities_staff:{action}", args=[photo.pk]),
        {"caption": "改"},
    )
    assert response.status_code == 404
    photo.refresh_from_db()
    assert photo.caption == "旧"


def test_missing_photo_is_404(personas, login, db):
    response = login(personas.worker).post(
        reverse("activities_staff:photo_delete", args=[999999])
    )
    assert response.status_code == 404


def test_worker_deletes_a_photo(photo, personas, login, settings):
    response = login(personas.worker).post(
        reverse("activities_staff:photo_delete", args=[photo.pk])
    )
    assert response.status_code == 302
    assert not ReportPhoto.objects.filter(pk=photo.pk).exists()


def test_photos_of_a_submitted_report_cannot_be_deleted(
    personas, net, make_report, login
):
    report = make_report(personas.worker, net.a1)
    photo = report_photo_add(report=report, by=personas.worker, file=jpeg())
    services.report_submit(report=report, by=personas.worker)
    response = login(personas.worker).post(
        reverse("activities_staff:photo_delete", args=[photo.pk])
    )
    assert any("不能修改照片" in m for m in message_texts(response))
    assert ReportPhoto.objects.filter(pk=photo.pk).exists()


# --- The photo section of the report page --------------------------------------------


def _add_photos(report, by, count):
    for i in range(count):
        report_photo_add(
            report=report,
            by=by,
            file=jpeg(color=(i * 40, 0, 0)),
            caption=f"说明{i + 1}",
            shows_people=i % 2 == 1,
            consent=i % 2 == 1,
        )


@pytest.mark.parametrize("count", [1, 3])
def test_photo_section_runs_one_query_whatever_the_number_of_photos(
    count, draft, personas, django_assert_num_queries
):
    _add_photos(draft, personas.worker, count)
    report = permissions.get_report_for_user(personas.worker, draft.pk, write=True)
    # One query: the report's photos. The report page prefetches them for
    # blocks(), and then this section adds none.
    with django_assert_num_queries(1):
        html = render_to_string(
            "activities/staff/photos/_manage.html", {"report": report, "can_edit": True}
        )
    assert f"[照片{count}]" in html
    assert html.count('name="caption"') == count + 1  # one per photo, one for upload


@pytest.mark.parametrize("count", [1, 3])
def test_photo_section_adds_no_query_to_a_page_that_prefetched_photos(
    count, draft, personas, django_assert_num_queries
):
    _add_photos(draft, personas.worker, count)
    report = permissions.get_report_for_user(personas.worker, draft.pk, write=True)
    prefetch_related_objects([report], "photos")
    # Zero: the report page (selectors.report_for_page) prefetches the photos.
    with django_assert_num_queries(0):
        render_to_string(
            "activities/staff/photos/_manage.html", {"report": report, "can_edit": True}
        )


def test_photo_section_shows_numbers_captions_and_consent(draft, personas):
    _add_photos(draft, personas.worker, 2)
    html = render_to_string(
        "activities/staff/photos/_manage.html", {"report": draft, "can_edit": True}
    )
    first, second = draft.photos.all()
    assert "[照片1]" in html and "[照片2]" in html
    assert first.thumb.url in html and "说明2" in html
    assert "有人像 · 已取得同意" in html
    assert "multiple" in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("activities_staff:photo_delete", args=[second.pk]) in html


def test_photo_section_without_edit_rights_has_no_forms(draft, personas):
    _add_photos(draft, personas.worker, 1)
    html = render_to_string(
        "activities/staff/photos/_manage.html", {"report": draft, "can_edit": False}
    )
    assert "[照片1]" in html
    assert "<form" not in html


def test_report_page_offers_the_upload_to_its_filer_only(draft, personas, login):
    _add_photos(draft, personas.worker, 1)
    url = reverse("activities_staff:report", args=[draft.pk])
    worker_page = login(personas.worker).get(url).content.decode()
    assert upload_url(draft) in worker_page
    reviewer_page = login(personas.reviewer).get(url).content.decode()
    assert "[照片1]" in reviewer_page
    assert upload_url(draft) not in reviewer_page
