"""Times the legacy import's reading of a PDF (newsletter.legacy.reader.read_issue
on the file's bytes) against pdfplumber's bare text extraction of the same file
in the same run, and prints the ratio.

    .venv/bin/python bench/pdf_import.py [--pages 20] [--runs 5]

The PDF is what a bureau sends: the seed issue imported as the demo imports it
(云浮民政简报 2023年第3期), exported with the Word export
(newsletter.word_export.build_docx), its articles repeated until the issue fills
``--pages`` pages, and printed to PDF by LibreOffice (cut at that page). The
import and export run in a throwaway test database (SQLite in memory, or
``test_<name>`` on the server DATABASE_URL names), dropped before the timing: the
timed part reads bytes and touches no database. read_issue is the whole parse
(the text layer, furniture, titles, sections, contents pairing); the dry-run
service adds only the matching and the privacy gate's queries, which are timed
elsewhere, so it is left out. The baseline is the least any PDF import must do:
``pdfplumber.open`` and ``page.extract_text()`` for every page.
"""

import argparse
import copy
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import pdfplumber  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from docx import Document  # noqa: E402

from newsletter import selectors  # noqa: E402
from newsletter.demo import import_seed  # noqa: E402
from newsletter.legacy.reader import read_issue  # noqa: E402
from newsletter.word_export import build_docx  # noqa: E402

TARGET_RATIO = 3.0
DIVISIONS = ROOT / "stations" / "data" / "yunfu_divisions.csv"
CONVERT_TIMEOUT = 300


def seed_docx(folder: Path) -> bytes:
    """The seed imported into a throwaway database and exported as Word."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(MEDIA_ROOT=folder / "media"):
            call_command("load_divisions", str(DIVISIONS), stdout=io.StringIO())
            issue = import_seed()
            return build_docx(
                issue, selectors.issue_contents(issue, reader=selectors.UNSCOPED)
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def repeated(docx: bytes, copies: int) -> bytes:
    """The issue with its articles (everything after the contents' page break)
    written ``copies`` times, one copy running on after the other. Not each on
    new pages: identical pages would put every line at the height it has on
    another page, which is what running heads do, and the reader would drop
    them as such."""
    doc = Document(io.BytesIO(docx))
    body = doc.element.body
    children = list(body)
    breaks = [
        i for i, child in enumerate(children) if child.xpath('.//w:br[@w:type="page"]')
    ]
    articles = [c for c in children[breaks[0] + 1 :] if not c.tag.endswith("sectPr")]
    section_properties = body[-1] if body[-1].tag.endswith("sectPr") else None
    for _ in range(copies - 1):
        for child in articles:
            body.append(copy.deepcopy(child))
    if section_properties is not None:
        body.append(section_properties)  # it must stay the body's last child
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(docx: bytes, pages: int, folder: Path) -> bytes:
    """LibreOffice's PDF of ``docx``, its first ``pages`` pages."""
    source = folder / "issue.docx"
    source.write_bytes(docx)
    options = json.dumps({"PageRange": {"type": "string", "value": f"1-{pages}"}})
    result = subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--convert-to",
            f"pdf:writer_pdf_Export:{options}",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=CONVERT_TIMEOUT,
        check=False,
    )
    pdf = folder / "issue.pdf"
    if not pdf.is_file():
        sys.exit(
            f"LibreOffice wrote no PDF (exit {result.returncode}): "
            + result.stderr.decode(errors="replace")
        )
    return pdf.read_bytes()


def page_count(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def issue_pdf(pages: int, folder: Path) -> bytes:
    docx = seed_docx(folder)
    copies = 4
    while True:
        data = to_pdf(repeated(docx, copies), pages, folder)
        if page_count(data) >= pages:
            return data
        copies *= 2


def bare_pdfplumber(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def import_reader(data: bytes):
    return read_issue(data, "云浮民政简报2023年第3期.pdf")


def medians_s(functions, data, runs):
    """Median seconds of each function, the runs interleaved so that load from
    other processes falls on all of them alike."""
    times = [[] for _ in functions]
    for _ in range(runs):
        for fn, bucket in zip(functions, times, strict=True):
            start = time.perf_counter()
            fn(data)
            bucket.append(time.perf_counter() - start)
    return [statistics.median(bucket) for bucket in times]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is needed to print the issue to PDF.")

    with tempfile.TemporaryDirectory(prefix="pdf-import-bench-") as tmp:
        data = issue_pdf(args.pages, Path(tmp))
    try:
        issue = import_reader(data)  # also warms both paths up
    except ValidationError as exc:
        sys.exit("read_issue refused the PDF: " + "；".join(exc.messages))
    bare_pdfplumber(data)
    articles = sum(len(s.articles) for s in issue.sections)
    print(
        f"pdfplumber {pdfplumber.__version__}, a {page_count(data)}-page PDF of "
        f"the seed issue's Word export ({len(data) / 1e3:.0f} kB; read as "
        f"{len(issue.sections)} sections, {articles} articles), "
        f"{args.runs} runs each, medians"
    )
    print(f"target: ratio <= {TARGET_RATIO}")
    baseline, reader = medians_s((bare_pdfplumber, import_reader), data, args.runs)
    ratio = reader / baseline
    verdict = "within target" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(
        f"pdfplumber open + extract_text of every page {baseline:.2f} s, "
        f"read_issue {reader:.2f} s, ratio {ratio:.2f}: {verdict}"
    )


if __name__ == "__main__":
    main()
