"""The round trip: an issue exported as Word (``export_issue``), turned by
LibreOffice into the PDF and the old .doc that travel between bureaus, reads
back through ``import_issue --dry-run --json`` as the issue that was exported:
the same sections in order, and in each the same articles with their titles,
subtitles, paragraph and picture counts, county and station.

Two issues: the demo's draft (reports with photos), published, and the seed as
the demo imports it (云浮民政简报 2023年第3期). LibreOffice is slow, so the
issues are built, exported and converted once per session; each test imports
one converted file into a fresh publication of the same city, whose numbers
are all free."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from newsletter import selectors, services
from newsletter.demo import SEED_NUMBER, SEED_YEAR
from newsletter.models import Issue

SOFFICE = shutil.which("soffice")
CONVERT_TIMEOUT = 300  # seconds for one LibreOffice run over both files

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed here: the Word files cannot be "
    "converted to PDF and .doc, so the round trip cannot be tried "
    "(apt-get install libreoffice-writer-nogui).",
)


def _outline(issue) -> list[dict]:
    """What the export carries of ``issue``, in the JSON shape of the import's
    preview: sections with articles; a paragraph is a body paragraph (not a
    subheading); the pictures are every photo placed in the article, those whose
    picture the issue's own file did not hold included (the import counts a
    picture's marker as a picture)."""
    sections = selectors.issue_contents(issue, reader=selectors.UNSCOPED)
    outline = []
    for section in sections:
        articles = list(section.articles.all())
        if not articles:
            continue  # the export leaves empty sections out
        outline.append(
            {
                "title": section.title,
                "articles": [
                    {
                        "title": article.title,
                        "subtitle": article.subtitle,
                        "county": article.county.name if article.county else None,
                        "station": (
                            article.station.town.name if article.station else None
                        ),
                        "paragraphs": sum(b.is_paragraph for b in article.blocks),
                        "images": sum(b.is_photo for b in article.blocks),
                    }
                    for article in articles
                ],
            }
        )
    return outline


def _export(issue, folder: Path, name: str) -> Path:
    out = folder / f"{name}.docx"
    call_command(
        "export_issue",
        "--publication",
        issue.publication.slug,
        str(issue.year),
        str(issue.number),
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    return out


def _convert(files: list[Path], target: str, folder: Path) -> None:
    """LibreOffice converts ``files`` to ``target`` (pdf, doc) into ``folder``,
    with a profile of its own so that it neither needs nor touches a user's."""
    profile = folder / "lo-profile"
    result = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            *map(str, files),
        ],
        capture_output=True,
        timeout=CONVERT_TIMEOUT,
        check=False,
    )
    for source in files:
        converted = folder / f"{source.stem}.{target}"
        assert converted.is_file() and converted.stat().st_size > 0, (
            f"LibreOffice did not write {converted.name} "
            f"(exit {result.returncode}): {result.stderr.decode(errors='replace')}"
        )


@pytest.fixture(scope="session")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """{issue name: (outline, {format: path})} for the demo's draft, published,
    and the seed. The demo is built, published and exported inside one
    transaction that is rolled back: the tests start from an empty database."""
    folder = tmp_path_factory.mktemp("round_trip")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=folder / "media",
            JOBS_MODE="sync",
            JOBS_ROOT=folder / "jobfiles",
            PASSWORD_HASHERS=fast,
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        draft = Issue.objects.get(publication__slug="yunfu", status=Issue.Status.DRAFT)
        editor = get_user_model().objects.get(username="editor")
        services.issue_publish(issue=draft, by=editor)
        seed = Issue.objects.get(
            publication__slug="yunfu", year=SEED_YEAR, number=SEED_NUMBER
        )
        issues = {"demo": draft, "seed": seed}
        outlines = {name: _outline(issue) for name, issue in issues.items()}
        words = {name: _export(issue, folder, name) for name, issue in issues.items()}
        transaction.set_rollback(True)
    cache.clear()
    # The demo's draft must have pictures placed in its articles, or the round
    # trip would prove nothing about them.
    assert any(a["images"] for s in outlines["demo"] for a in s["articles"])
    for target in sorted({target for _issue, target in CASES} - {"docx"}):
        _convert(list(words.values()), target, folder)
    return {
        name: (
            outlines[name],
            {target: folder / f"{name}.{target}" for target in ("docx", "pdf", "doc")},
        )
        for name in issues
    }


def _import_preview(path: Path, publication) -> dict:
    out = io.StringIO()
    try:
        call_command(
            "import_issue",
            str(path),
            "--publication",
            publication.slug,
            "--year",
            "2030",
            "--number",
            "1",
            "--dry-run",
            "--json",
            stdout=out,
        )
    except CommandError as exc:
        pytest.fail(f"{path.name} was not read: {exc}\n{out.getvalue()}")
    return json.loads(out.getvalue())


def _differences(expected: list[dict], got: list[dict]) -> list[str]:
    """Each way the preview differs from the exported issue, one line each."""
    want = [s["title"] for s in expected]
    have = [s["title"] for s in got]
    if want != have:
        return [f"sections: expected {want}, got {have}"]
    lines = []
    fields = ("title", "subtitle", "county", "station", "paragraphs", "images")
    for section, read in zip(expected, got, strict=True):
        want = [a["title"] for a in section["articles"]]
        have = [a["title"] for a in read["articles"]]
        if want != have:
            missing = [t for t in want if t not in have]
            extra = [t for t in have if t not in want]
            lines.append(
                f"{section['title']}: titles differ; not read: {missing}, "
                f"read but not exported: {extra}"
                + ("" if missing or extra else f"; order {have}")
            )
            continue
        for article, article_read in zip(
            section["articles"], read["articles"], strict=True
        ):
            lines.extend(
                f"{article['title']}: {field} expected {article[field]!r}, "
                f"got {article_read[field]!r}"
                for field in fields
                if article[field] != article_read[field]
            )
    return lines


# The export's own Word file, and LibreOffice's .doc and PDF of it, of both
# issues: the demo's photos each have the centred caption the export writes
# under them, read back as the photo's caption (not a title nor a paragraph).
# In the PDFs LibreOffice ends lines early by its line-breaking rules (a line
# may not end on an opening bracket or quote: “各镇 / （街）社工站”,
# “开 / 展“青春”, “简易的“理发 / 店”就”); the PDF reader joins such a line to its
# paragraph and never takes an early-ended indented first line for a title.
CASES = [
    ("seed", "docx"),
    ("seed", "doc"),
    ("seed", "pdf"),
    ("demo", "docx"),
    ("demo", "doc"),
    ("demo", "pdf"),
]


@pytest.mark.parametrize(("issue", "target"), CASES)
def test_exported_issue_reads_back_the_same(exported, publication, issue, target):
    outline, files = exported[issue]
    preview = _import_preview(files[target], publication)
    differences = _differences(outline, preview["sections"])
    assert not differences, "\n".join(differences)
