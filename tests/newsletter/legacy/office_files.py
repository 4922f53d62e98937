"""Old Word (.doc) copies of the seed issue, made by LibreOffice from a .docx
the tests build, once per test session (a conversion takes seconds), for the
readers' tests and the archive's.

LibreOffice writes .doc but no .wps: it only reads them (Kingsoft WPS files
through its Word filter, Microsoft Works files through libwps). Kingsoft WPS
saves its .wps files in Word's binary format, which is why a .doc named .wps is
what most .wps files in a bureau's archive are; the tests use that."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from newsletter.legacy.convert import find_soffice
from tests.newsletter.legacy.conftest import SEED
from tests.newsletter.legacy.helpers import docx_from_text

SOFFICE = find_soffice()
CONVERT_TIMEOUT = 180  # seconds for one LibreOffice run in a test

needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed here: no .doc can be made "
    "or read (apt-get install libreoffice-writer-nogui).",
)


def photo(size=(320, 240)) -> bytes:
    """A JPEG with a gradient, so that a picture that came through the
    conversion can be told from a blank or a different one."""
    image = Image.new("RGB", size)
    image.putdata(
        [
            (x * 255 // size[0], y * 255 // size[1], 128)
            for y in range(size[1])
            for x in range(size[0])
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def libreoffice_convert(source: Path, target: str, folder: Path) -> Path:
    """``source`` converted by LibreOffice to ``target`` (doc, docx) in
    ``folder``, with a profile of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERT_TIMEOUT,
    )
    out = folder / f"{source.stem}.{target}"
    assert out.is_file(), f"LibreOffice made no {target} of {source.name}"
    shutil.rmtree(folder / "profile", ignore_errors=True)
    return out


@pytest.fixture(scope="session")
def seed_docx() -> bytes:
    """The seed as a Word file, its picture a photo."""
    return docx_from_text(SEED.read_text(encoding="utf-8"), picture=photo())


@pytest.fixture(scope="session")
def seed_doc(seed_docx, tmp_path_factory) -> bytes:
    """``seed_docx`` saved by LibreOffice as an old Word (.doc) file."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed here.")
    folder = tmp_path_factory.mktemp("seed-doc")
    source = folder / "seed.docx"
    source.write_bytes(seed_docx)
    return libreoffice_convert(source, "doc", folder / "out").read_bytes()
