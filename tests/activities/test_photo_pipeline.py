"""The photo pipeline (activities/photos/pipeline.py process_image): every bad
file kind is refused with a Chinese message; a good photo becomes three
renditions without EXIF, oriented, within size."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageOps

from activities.photos import PRINT_SIZE, THUMB_SIZE, WEB_SIZE, process_image
from tests.activities.photo_helpers import (
    BAD_FILES,
    _open,
    _saved,
    gps_photo,
    jpeg,
    mpo,
    png,
    png_declaring,
    webp,
)


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
