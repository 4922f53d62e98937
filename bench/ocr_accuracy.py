"""How well a scan of the printed paper is read (newsletter/legacy/ocr.py):
characters right, seconds a page, and whether every section and title comes
out as the original gives them.

    .venv/bin/python bench/ocr_accuracy.py [--dpi 200] [--keep FOLDER]

In a throwaway test database (SQLite in memory, or ``test_<name>`` on the
PostgreSQL server ``DATABASE_URL`` names) ``load_demo`` imports the seed issue;
the issue is exported to Word as editors download it
(``newsletter.word_export.build_docx``) and LibreOffice turns that into a PDF
(``soffice --headless --convert-to pdf``): the paper as printed. Its pages are
rendered to grey PNG pictures with ``pdftoppm -r 200`` (poppler-utils), as a
scanner would give them, and each picture is read by Tesseract through
``ocr.read_page``. Printed:

- character accuracy: 1 − edit distance / length between the text of the PDF
  (``pdftotext``) and the text OCR read, both without whitespace and without
  page numbers, running heads and footers (furniture.py); per page and in all
  (target ≥ 97%);
- seconds a page for OCR, the median and the slowest (rendering not counted);
- the sections and the articles' titles and subtitles read from the OCR text
  (``reader.issue_from_lines``) against those read from the PDF itself
  (``read_issue``), and each difference;
- how the low-confidence mark (``Line.low_confidence``) falls: of the
  paragraphs read exactly as printed, and of those with a misread character,
  the share marked.

Needs Debian's libreoffice-writer-nogui, poppler-utils, tesseract-ocr and
tesseract-ocr-chi-sim, and rapidfuzz (bench/requirements.txt) for the edit
distance. The exit status is 1 when accuracy is below the target.
"""

import argparse
import difflib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from PIL import Image  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from newsletter import selectors  # noqa: E402
from newsletter.legacy import ocr  # noqa: E402
from newsletter.legacy.furniture import drop_furniture  # noqa: E402
from newsletter.legacy.reader import issue_from_lines, read_issue  # noqa: E402
from newsletter.models import Issue  # noqa: E402
from newsletter.word_export import build_docx  # noqa: E402

TARGET = 0.97
NEEDED = ("soffice", "pdftoppm", "pdftotext", "tesseract")


def bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed_issue(folder: Path) -> Path:
    """The seed issue imported, exported to Word and printed to PDF."""
    call_command("load_demo", stdout=io.StringIO())
    issue = Issue.objects.filter(source=Issue.Source.IMPORTED).get()
    docx = folder / f"{issue.publication.name}{issue.year}年第{issue.number}期.docx"
    docx.write_bytes(build_docx(issue, selectors.issue_contents(issue)))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return docx.with_suffix(".pdf")


def reference_pages(pdf: Path) -> list[list[str]]:
    """The PDF's text, page by page, line by line, as printed."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout.decode("utf-8")
    return [page.splitlines() for page in text.split("\f") if page.strip()]


def scanned_pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(folder.glob("page-*.png"))


def headings(parsed) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (s.title, [(bare(a.title), bare(a.subtitle)) for a in s.articles])
        for s in parsed.sections
    ]


def run(args, folder: Path) -> int:
    pdf = printed_issue(folder)
    reference = drop_furniture(reference_pages(pdf))
    pictures = scanned_pages(pdf, folder, args.dpi)
    print(f"{pdf.name}: {len(pictures)} pages at {args.dpi} dpi")

    program = ocr.check_available()
    pages, seconds = [], []
    for number, path in enumerate(pictures, start=1):
        with Image.open(path) as image:
            image.load()
            started = time.perf_counter()
            pages.append(ocr.read_page(program, image, number))
            seconds.append(time.perf_counter() - started)
    lines = ocr.lines_of(pages)

    failed = False
    print("\ncharacter accuracy (1 - edit distance / length, no whitespace):")
    read = drop_furniture([[p.text for p in page] for page in pages])
    for number, (page, printed) in enumerate(
        zip(reference, read, strict=False), start=1
    ):
        expected = bare("".join(page))
        got = bare("".join(printed))
        accuracy = 1 - Levenshtein.distance(expected, got) / max(len(expected), 1)
        print(f"  page {number}: {accuracy:.2%} ({len(expected)} characters)")
    expected = bare("".join("".join(page) for page in reference))
    got = bare("".join(line.text for line in lines))
    distance = Levenshtein.distance(expected, got)
    accuracy = 1 - distance / len(expected)
    verdict = "ok" if accuracy >= TARGET else "BELOW TARGET"
    print(
        f"  all: {accuracy:.2%} ({distance} edits over {len(expected)} characters;"
        f" target ≥ {TARGET:.0%}) {verdict}"
    )
    failed |= accuracy < TARGET

    print(
        f"\nOCR seconds a page: median {statistics.median(seconds):.1f},"
        f" slowest {max(seconds):.1f}, all {sum(seconds):.1f}"
    )

    original = headings(read_issue(pdf.read_bytes(), pdf.name))
    scanned = headings(issue_from_lines(ocr.FORMAT, lines, pdf.name))
    print("\nsections and titles (read from the scan against the PDF itself):")
    differences = 0
    sections = difflib.SequenceMatcher(
        None, [s[0] for s in original], [s[0] for s in scanned], autojunk=False
    )
    for tag, i1, i2, j1, j2 in sections.get_opcodes():
        if tag != "equal":
            differences += max(i2 - i1, j2 - j1)
            print(f"  sections DIFFER: {original[i1:i2]} read as {scanned[j1:j2]}")
            continue
        for want, have in zip(original[i1:i2], scanned[j1:j2], strict=True):
            print(f"  section {want[0]}: {len(want[1])} titles")
            titles = difflib.SequenceMatcher(None, want[1], have[1], autojunk=False)
            for tag, a1, a2, b1, b2 in titles.get_opcodes():
                if tag == "equal":
                    continue
                differences += max(a2 - a1, b2 - b1)
                for title in want[1][a1:a2]:
                    print(f"    in the PDF: {'——'.join(filter(None, title))}")
                for title in have[1][b1:b2]:
                    print(f"    read:       {'——'.join(filter(None, title))}")
    titles = sum(len(s[1]) for s in original)
    print(
        f"  {len(original)} sections, {titles} titles:"
        f" {'all right' if not differences else f'{differences} differ'}"
    )

    exact = [line for line in lines if bare(line.text) in expected]
    wrong = [line for line in lines if bare(line.text) not in expected]
    print(
        f"\nlow confidence (< {ocr_threshold():.0f}): marked"
        f" {sum(line.low_confidence for line in exact)} of {len(exact)} paragraphs"
        f" read exactly, {sum(line.low_confidence for line in wrong)} of"
        f" {len(wrong)} with a misread character"
    )
    return 1 if failed else 0


def ocr_threshold() -> float:
    from newsletter.legacy.structure import LOW_CONFIDENCE

    return LOW_CONFIDENCE


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument(
        "--keep", type=Path, help="a folder to keep the PDF and the page pictures in"
    )
    args = parser.parse_args()
    missing = [name for name in NEEDED if shutil.which(name) is None]
    if missing:
        sys.exit(f"Not installed: {', '.join(missing)}")
    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            status = run(args, args.keep)
        else:
            with tempfile.TemporaryDirectory() as folder:
                status = run(args, Path(folder))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    sys.exit(status)


if __name__ == "__main__":
    main()
