"""What bench/load_test.py prints of a phase: per page group and overall,
p50/p95/p99, requests/s, errors and cache hits from locust's statistics and the
locustfile's side file, then the verdict; and the server errors gunicorn logged."""

from pathlib import Path


def figure(row, key) -> float:
    value = row.get(key, "")
    return float(value) if value not in {"", "N/A"} else float("nan")


def report(title, phase, target_ms, is_target) -> tuple[bool, dict]:
    groups = phase["groups"]
    side = phase["side"]
    hits, seen = side["cache_hits"], side["cache_seen"]
    print(f"\n{title}")
    print(
        f"  {'page group':<18}{'requests':>9}{'errors':>8}{'p50':>7}{'p95':>7}"
        f"{'p99':>7}{'req/s':>8}  cache hits"
    )
    summary = {}
    names = sorted(n for n in groups if n not in {"Aggregated", "login"})
    for name in [*names, "Aggregated"]:
        row = groups[name]
        figures = {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50": figure(row, "50%"),
            "p95": figure(row, "95%"),
            "p99": figure(row, "99%"),
            "rps": figure(row, "Requests/s"),
        }
        summary[name] = figures
        share = f"{hits.get(name, 0) / seen[name]:.0%}" if seen.get(name) else ""
        label = "all" if name == "Aggregated" else name
        print(
            f"  {label:<18}{figures['requests']:>9}{figures['errors']:>8}"
            f"{figures['p50']:>7.0f}{figures['p95']:>7.0f}{figures['p99']:>7.0f}"
            f"{figures['rps']:>8.1f}  {share}"
        )
    total = summary["Aggregated"]
    cpu_ms = 1000 * side["server_cpu"] / max(total["requests"], 1)
    logins = side["login_seconds"]
    if logins:
        logins = sorted(logins)
        print(
            f"  logins: {len(logins)}, median {1000 * logins[len(logins) // 2]:.0f} ms,"
            f" slowest {1000 * logins[-1]:.0f} ms (before the window, not above)"
        )
    print(
        f"  measured {side['seconds']:.0f} s; gunicorn CPU {side['server_cpu']:.1f} s"
        f" = {cpu_ms:.1f} ms per request; load average after "
        f"{phase['load_average'][0]:.2f}"
    )
    for failure in phase["failures"][:10]:
        print(f"  error: {failure}")
    met = total["p95"] < target_ms and total["errors"] == 0
    kind = "target" if is_target else "reference (not a load-test target)"
    print(
        f"  {kind}: p95 < {target_ms} ms with no errors: "
        f"p95 {total['p95']:.0f} ms, {total['errors']} errors: "
        f"{'met' if met else 'NOT MET'}"
    )
    return met, summary


def server_errors(log: Path) -> None:
    """How many server errors gunicorn logged, and the end of the first."""
    text = log.read_text(errors="replace")
    count = text.count("Traceback (most recent call last)")
    if count:
        first = text[text.index("Traceback") :].splitlines()
        print(f"\ngunicorn logged {count} tracebacks; the first ends:")
        print("\n".join("  " + line for line in first[:60][-8:]))
