"""The demo's published issue: the seed (newsletter/data/seed_issue.txt) imported
into 云浮民政简报 as the console would, so the demo's public site opens on a real
issue. Idempotent: the import skips a file it already holds (its SHA-256)."""

from __future__ import annotations

from pathlib import Path

from ..demo import publication_for_demo
from ..models import Issue
from .services import issue_import

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_issue.txt"
# The seed says neither its year and number nor its date. It reports on
# February 2023 and its latest date is 2 March 2023: the March issue of a
# monthly newsletter, 2023年第3期, dated by the importer from that latest date.
SEED_YEAR = 2023
SEED_NUMBER = 3


def import_seed(stdout=None) -> Issue | None:
    publication = publication_for_demo()
    if publication is None:
        if stdout:
            stdout.write("往期简报：没有云浮市，跳过。")
        return None
    result = issue_import(
        publication=publication,
        source=SEED.read_bytes(),
        filename=SEED.name,
        by=None,
        year=SEED_YEAR,
        number=SEED_NUMBER,
    )
    if stdout:
        stdout.write(f"往期简报：{result.summary()}")
    return result.issue
