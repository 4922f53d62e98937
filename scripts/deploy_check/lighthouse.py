"""Lighthouse 12 (scripts/lighthouse) on the home page, an issue and an article
behind nginx: prints the scores, fails when text compression does."""

from __future__ import annotations

import subprocess

PAGES = ("home", "issue_url", "article_url")


def run(stack, report) -> None:
    urls = [stack.base_url + "/"]
    for key in ("issue_url", "article_url"):
        path = stack.facts.get(key)
        if path:
            urls.append(stack.base_url + path)
        else:
            report.info(f"no {key.replace('_url', '')} from the journey: not measured")
    out = stack.dir / "lighthouse"
    result = subprocess.run(
        [str(stack.code / "scripts" / "lighthouse"), "--out", str(out), *urls],
        capture_output=True,
        text=True,
        timeout=400,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    for line in lines:
        report.info(line)
    scored = [line for line in lines if "uses-text-compression" in line]
    report.check(
        result.returncode == 0 and len(scored) == len(urls),
        f"Lighthouse on {len(urls)} pages: text compression passed",
        (result.stderr or "").strip()[-500:],
    )
    stack.facts["lighthouse"] = scored
