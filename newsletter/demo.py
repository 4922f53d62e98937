"""The demo newsletter: the publication 云浮民政简报 of the demo city, one draft
issue assembled from the demo's approved reports, through the services as the
city editor would, and the seed (newsletter/data/seed_issue.txt) imported as a
past issue, as the console would, so the demo's public site opens on a real
issue. Idempotent: a rerun finds the publication and the draft and changes
nothing, and the import skips a file it already holds (its SHA-256)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Max, Min

from stations.models import City

from . import services
from .models import Issue, Publication
from .selectors import reports_for_assembly
from .services.legacy import issue_import

CITY_CODE = "445300"  # 云浮市
PUBLICATION = {
    "slug": "yunfu",
    "name": "云浮民政简报",
    "bureau": "云浮市民政局",
}


def publication_for_demo() -> Publication | None:
    city = City.objects.filter(code=CITY_CODE).first()
    if city is None:
        return None
    publication, _created = Publication.objects.get_or_create(
        slug=PUBLICATION["slug"],
        defaults={
            "name": PUBLICATION["name"],
            "bureau": PUBLICATION["bureau"],
            "city": city,
        },
    )
    return publication


def build_newsletter(stdout=None) -> Issue | None:
    """Make sure the publication exists and that it has a draft to edit."""
    publication = publication_for_demo()
    if publication is None:
        if stdout:
            stdout.write("简报：没有云浮市，跳过。")
        return None
    draft = publication.issues.filter(status=Issue.Status.DRAFT).first()
    if draft is not None:
        if stdout:
            stdout.write(f"简报：已有草稿 {draft}，未重复组稿。")
        return draft
    editor = get_user_model().objects.filter(username="editor").first()
    span = (
        reports_for_assembly(publication)
        .filter(held=False)
        .aggregate(start=Min("start_date"), end=Max("start_date"))
    )
    if editor is None or span["start"] is None:
        if stdout:
            stdout.write("简报：没有可组稿的已通过报告，未建草稿。")
        return None
    draft = services.issue_assemble(
        publication=publication, start=span["start"], end=span["end"], by=editor
    )
    if stdout:
        stdout.write(
            f"简报：已从已通过的报告组稿一期草稿（{draft.articles.count()} 篇文章）。"
        )
    return draft


# --- The seed, a past issue ---------------------------------------------------------

SEED = Path(__file__).resolve().parent / "data" / "seed_issue.txt"
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
