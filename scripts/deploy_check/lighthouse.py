"""Lighthouse 12 (scripts/lighthouse) behind nginx on the home page, an issue,
an article and a search, each in the standard display mode and in 长辈模式
(the same address with ``#elder``, which static/js/elder_early.js reads):
prints the scores table; fails unless accessibility and best practices score
100 everywhere, SEO 100 on every page but the search (noindex: Lighthouse's
"page is blocked from indexing" is meant), and text compression passes."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import quote

# The categories that must score 100, and the pages SEO is not asked of.
REQUIRED = ("accessibility", "best-practices", "seo")
NOINDEX = ("search",)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# A word of the demo's articles: the search page shows results.
SEARCH_WORD = "社工"
MARK = "@@lighthouse@@"
# The latest published issue and its first article, when the journey (which
# publishes one) did not run: ``--only lighthouse``.
LATEST = """
import json
from newsletter.models import Article, Issue
issue = (
    Issue.objects.filter(status=Issue.Status.PUBLISHED)
    .order_by("-published_at", "-pk")
    .first()
)
article = Article.objects.filter(issue=issue).order_by("pk").first() if issue else None
print(MARK + json.dumps({
    "issue_url": issue.get_absolute_url() if issue else None,
    "article_url": article.get_absolute_url() if article else None,
}))
"""


def _pages(stack, report) -> list[tuple[str, str]]:
    """[(name, path)] of the pages measured."""
    facts = dict(stack.facts or {})
    if not (facts.get("issue_url") and facts.get("article_url")):
        output = stack.shell(f"MARK = {MARK!r}\n" + LATEST)
        for line in reversed(output.splitlines()):
            if line.startswith(MARK):
                facts = {**json.loads(line[len(MARK) :]), **facts}
                break
    pages = [("home", "/")]
    for name in ("issue", "article"):
        path = facts.get(f"{name}_url")
        if path:
            pages.append((name, path))
        else:
            report.fail(f"no published {name} to measure")
    pages.append(("search", f"/search/?q={quote(SEARCH_WORD)}"))
    return pages


def _scores(file) -> dict:
    lhr = json.loads(file.read_text(encoding="utf-8"))
    scores = {}
    for category in CATEGORIES:
        score = (lhr.get("categories", {}).get(category) or {}).get("score")
        scores[category] = None if score is None else round(score * 100)
    audit = lhr.get("audits", {}).get("uses-text-compression", {})
    scores["compression"] = (
        audit.get("score") == 1 or audit.get("scoreDisplayMode") == "notApplicable"
    )
    # The weighed audits of the required categories that did not pass: what
    # to look at when a score falls short.
    categories, audits = lhr.get("categories", {}), lhr.get("audits", {})
    weighed = {
        ref["id"]
        for category in REQUIRED
        for ref in (categories.get(category) or {}).get("auditRefs", [])
        if ref.get("weight", 0) > 0
    }
    failed = sorted(
        audit_id
        for audit_id in weighed
        if (audits.get(audit_id) or {}).get("score") is not None
        and audits[audit_id]["score"] < 1
    )
    scores["failed_audits"] = failed
    return scores


def run(stack, report) -> None:
    runs = []
    for name, path in _pages(stack, report):
        for mode, suffix in (("standard", ""), ("elder", "#elder")):
            runs.append((name, mode, stack.base_url + path + suffix))
    out = stack.dir / "lighthouse"
    if out.exists():
        for old in out.glob("page-*.json"):
            old.unlink()
    result = subprocess.run(
        [str(stack.code / "scripts" / "lighthouse"), "--out", str(out)]
        + [url for _, _, url in runs],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    for line in result.stdout.splitlines():
        if line.strip() and "reports:" not in line:
            report.info(line)
    header = (
        f"{'page':<9}{'mode':<10}"
        + "".join(f"{c:>16}" for c in CATEGORIES)
        + f"{'compression':>13}"
    )
    report.info(header)
    table = []
    for n, (name, mode, url) in enumerate(runs, start=1):
        file = out / f"page-{n}.json"
        if not file.exists():
            report.fail(f"{name} ({mode}): Lighthouse wrote no report ({url})")
            continue
        scores = _scores(file)
        table.append((name, mode, scores))
        cells = "".join(
            f"{'n/a' if scores[c] is None else scores[c]:>16}" for c in CATEGORIES
        )
        report.info(
            f"{name:<9}{mode:<10}{cells}{'passed' if scores['compression'] else 'FAILED':>13}"
        )
    for name, mode, scores in table:
        required = [c for c in REQUIRED if not (c == "seo" and name in NOINDEX)]
        short = {c: scores[c] for c in required if scores[c] != 100}
        report.check(
            not short and scores["compression"],
            f"Lighthouse {name} ({mode}): "
            + ", ".join(f"{c} {scores[c]}" for c in required)
            + ", text compression "
            + ("passed" if scores["compression"] else "failed"),
            f"audits that failed: {', '.join(scores['failed_audits'])}"
            if short
            else "",
        )
    if result.returncode != 0 and not table:
        report.fail("scripts/lighthouse: " + (result.stderr or "").strip()[-500:])
    stack.facts["lighthouse"] = [
        {"page": name, "mode": mode, **scores} for name, mode, scores in table
    ]
