"""Fixtures for the legacy import: the real Yunfu divisions with a station in
every town (the seed's articles name real places), and the seed issue itself."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from stations.models import City, County, Station, Town
from tests import factories
from tests.newsletter.legacy import scans

ROOT = Path(__file__).resolve().parents[3]
DIVISIONS = ROOT / "stations" / "data" / "yunfu_divisions.csv"
SEED = ROOT / "newsletter" / "data" / "seed_issue.txt"


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


@pytest.fixture
def seed_text(seed_bytes):
    return seed_bytes.decode("utf-8")


@pytest.fixture
def yunfu(db):
    """云浮市 as its divisions file gives it, one station per town (as load_demo
    makes them); ``station("罗定市", "泗纶镇")`` and ``county("云安区")`` look up."""
    call_command("load_divisions", str(DIVISIONS), stdout=io.StringIO())
    city = City.objects.get(code="445300")
    for town in Town.objects.filter(county__city=city):
        factories.StationFactory(town=town)
    return SimpleNamespace(
        city=city,
        county=lambda name: County.objects.get(city=city, name=name),
        station=lambda county, town: Station.objects.get(
            town__county__name=county, town__name=town
        ),
    )


@pytest.fixture
def publication(yunfu):
    from newsletter.models import Publication

    return Publication.objects.create(
        name="云浮民政简报", slug="yunfu", city=yunfu.city, bureau="云浮市民政局"
    )


@pytest.fixture
def yunfu_editor(yunfu):
    from stations import services
    from stations.models import Role

    user = factories.UserFactory(username="yunfu_editor")
    services.role_assign(user=user, role=Role.CITY_EDITOR, unit=yunfu.city)
    return user


# --- Scans of the printed paper (scans.py), printed once per session and read by
# OCR once per test process (scans.read_once) ------------------------------------


@pytest.fixture(scope="session")
def scan_photo():
    """A photo of the seed's first page."""
    scans.need_fonts()
    return scans.seed_photo()


@pytest.fixture(scope="session")
def scanned_pdf():
    """The seed, condensed, as a PDF of page pictures."""
    scans.need_fonts()
    return scans.condensed_scan()


@pytest.fixture(scope="session")
def worn():
    """A page with a worn paragraph, for the low-confidence marks."""
    scans.need_fonts()
    return scans.worn_photo()


@pytest.fixture
def photo_lines(scan_photo):
    scans.need_ocr()
    return scans.read_once(scan_photo)


@pytest.fixture
def pdf_lines(scanned_pdf):
    scans.need_ocr()
    return scans.read_once(scanned_pdf)


@pytest.fixture
def worn_lines(worn):
    scans.need_ocr()
    return scans.read_once(worn)
