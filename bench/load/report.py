"""What bench/load_test.py prints of a run: per side (public, staff) and page
group, p50/p95/p99, requests/s, errors and cache hits over the measured window,
each side's verdict against its target; then the logins, the CPU each party
used (the load generator, gunicorn, PostgreSQL, the rest of the machine) and
what limited the figures; and the server errors gunicorn logged."""

from pathlib import Path

# A generator above this share of one core, or whose event loop wakes a
# sleeping greenlet this late (p95, ms), adds its own delay to what it records.
GENERATOR_BUSY = 0.8
GENERATOR_LAG_MS = 20
# The machine's cores count as full above this share of their time.
MACHINE_FULL = 0.9


def side_report(title, side, run, target_ms) -> tuple[bool, dict]:
    """Print one side's table and verdict; return whether it met the target
    and its figures. ``side`` is None when no request of the side was made."""
    print(f"\n{title}")
    if side is None:
        print("  no requests in the window: NOT MET")
        return False, {}
    hits, seen = run["cache_hits"], run["cache_seen"]
    print(
        f"  {'page group':<18}{'requests':>9}{'errors':>8}{'p50':>7}{'p95':>7}"
        f"{'p99':>7}{'req/s':>8}  cache hits"
    )
    rows = [*sorted(side["groups"].items()), ("all", side["all"])]
    for name, figures in rows:
        share = f"{hits.get(name, 0) / seen[name]:.0%}" if seen.get(name) else ""
        print(
            f"  {name:<18}{figures['requests']:>9}{figures['errors']:>8}"
            f"{figures['p50']:>7.0f}{figures['p95']:>7.0f}{figures['p99']:>7.0f}"
            f"{figures['rps']:>8.1f}  {share}"
        )
    total = side["all"]
    met = total["requests"] > 0 and total["p95"] < target_ms and total["errors"] == 0
    print(
        f"  target p95 < {target_ms} ms, no errors: p95 {total['p95']:.0f} ms, "
        f"{total['errors']} errors: {'met' if met else 'NOT MET'}"
    )
    return met, {**side["groups"], "all": total}


def run_report(run, users: dict, wait: tuple[float, float], cores: int) -> dict:
    """The window, the logins, the errors, the CPU and what limited the
    figures; returns the CPU and generator figures for the JSON output."""
    seconds = run["seconds"]
    print(f"\nmeasured window: {seconds:.0f} s with every user running")
    logins = sorted(run["login_seconds"])
    if logins:
        print(
            f"  logins (before the window): {len(logins)} in "
            f"{run['login_ramp_seconds']:.0f} s, median "
            f"{1000 * logins[len(logins) // 2]:.0f} ms, slowest "
            f"{1000 * logins[-1]:.0f} ms"
        )
    for error in sorted(run["errors"], key=lambda e: -e["count"])[:10]:
        print(f"  error: {error['side']} {error['group']}: {error['error']} "
              f"x{error['count']}")  # fmt: skip
    # A closed loop: each user waits for its answer, then thinks. Answered at
    # once, the users ask users / mean think time pages a second (the load
    # the targets are about); at the response times measured, users / (mean
    # think time + mean response time), which a generator that keeps up sends.
    think = (wait[0] + wait[1]) / 2
    wanted = offered = achieved = 0.0
    for name, side in run["sides"].items():
        wanted += users[name] / think if think else float("inf")
        offered += users[name] / (think + side["all"]["mean"] / 1000)
        achieved += side["all"]["rps"]
    requests = sum(side["all"]["requests"] for side in run["sides"].values())
    cpu = run["cpu"]
    per_request = 1000 / max(requests, 1)
    server_ms = (cpu["gunicorn"] + cpu["postgres"]) * per_request
    ceiling = 1000 * cores / server_ms if server_ms else float("inf")
    generator_share = cpu["generator"] / seconds
    machine_share = cpu["machine"] / (seconds * cores)
    lag = run["lag_ms"]
    print(
        f"  requests/s: {achieved:.0f} sent; the users ask {wanted:.0f} when "
        f"answered at once, {offered:.0f} at the response times measured "
        f"(sent/that: {achieved / offered if offered else 0:.2f})"
    )
    print(f"  CPU over the window ({cores} cores = {cores * seconds:.0f} core-s):")
    for label, key in (
        ("load generator (locust)", "generator"),
        ("gunicorn", "gunicorn"),
        ("PostgreSQL, this database", "postgres"),
        ("other work on the machine", "other"),
    ):
        print(
            f"    {label:<28}{cpu[key]:>7.1f} s = {cpu[key] / seconds:>4.0%} "
            f"of a core, {cpu[key] * per_request:>5.1f} ms per request"
        )
    print(
        f"    {'machine, busy':<28}{cpu['machine']:>7.1f} s = "
        f"{machine_share:.0%} of all cores"
    )
    print(
        f"  server CPU per request (gunicorn + PostgreSQL): {server_ms:.1f} ms, so "
        f"{cores} cores to itself serve at most ~{ceiling:.0f} requests/s of this mix"
    )
    print(
        f"  generator event-loop lag: p50 {lag['p50']:.1f} ms, "
        f"p95 {lag['p95']:.1f} ms, max {lag['max']:.0f} ms"
    )
    # The lag is the generator's own delay in every response time it records,
    # whether it comes from its own work or from waiting for a core.
    least_p95 = min((s["all"]["p95"] for s in run["sides"].values()), default=0)
    lag_matters = lag["p95"] > GENERATOR_LAG_MS and lag["p95"] > 0.25 * least_p95
    if generator_share > GENERATOR_BUSY or lag_matters:
        limit = (
            f"the load generator ({generator_share:.0%} of a core, lag p95 "
            f"{lag['p95']:.0f} ms against a p95 of {least_p95:.0f} ms): the "
            "response times carry its own delay; run locust on another machine"
        )
    elif machine_share > MACHINE_FULL:
        limit = (
            f"the machine's cores (busy {machine_share:.0%}: gunicorn "
            f"{cpu['gunicorn'] / seconds:.0%} of a core, PostgreSQL "
            f"{cpu['postgres'] / seconds:.0%}, generator {generator_share:.0%}, "
            f"other work {cpu['other'] / seconds:.0%}); the generator's delay is "
            f"small beside the response times (lag p95 {lag['p95']:.0f} ms)"
        )
        if ceiling < wanted:
            limit += (
                f"; the {wanted:.0f} requests/s asked need more CPU than "
                f"{cores} cores have at this cost per request"
            )
    else:
        limit = (
            f"neither the generator nor the cores (busy {machine_share:.0%}): "
            "the response times are the server's own"
        )
    print(f"  what limited the figures: {limit}")
    return {
        "cpu_seconds": cpu,
        "server_cpu_ms_per_request": server_ms,
        "server_ceiling_per_second": ceiling,
        "generator_core_share": generator_share,
        "machine_busy_share": machine_share,
        "lag_ms": lag,
        "requests_per_second": achieved,
        "asked_per_second": wanted,
        "offered_per_second": offered,
        "limited_by": limit,
    }


def server_errors(log: Path) -> None:
    """How many server errors gunicorn logged, and the end of the first."""
    text = log.read_text(errors="replace")
    count = text.count("Traceback (most recent call last)")
    if count:
        first = text[text.index("Traceback") :].splitlines()
        print(f"\ngunicorn logged {count} tracebacks; the first ends:")
        print("\n".join("  " + line for line in first[:60][-8:]))
