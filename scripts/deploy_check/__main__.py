"""The production check: build the stack, then the journey, the checks,
Lighthouse and the faults; a summary with each step's time. Exit 0 only when
every point passed.

    scripts/deploy-check            (installs what is missing, then runs this)
    .venv/bin/python -m scripts.deploy_check [--only stack,journey,checks,lighthouse,faults]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from .report import Report
from .stack import Stack, StackError

STEPS = ("journey", "checks", "lighthouse", "faults")


def _step(report: Report, title: str, call) -> None:
    """Runs one step; an exception fails it (with its traceback) and the check
    goes on with the next one."""
    try:
        call()
    except StackError as error:
        report.fail(f"{title}: {error}")
    except Exception:  # noqa: BLE001 - any error is a failed step, not the end
        report.fail(f"{title}: {traceback.format_exc(limit=6).strip()}")


def run_faults(stack: Stack, report: Report) -> None:
    report.section("faults")
    try:
        faults = importlib.import_module("scripts.deploy_check.faults")
    except ModuleNotFoundError as error:
        if error.name == "scripts.deploy_check.faults":
            report.fail("faults not present (scripts/deploy_check/faults.py)")
            return
        raise
    faults.run(stack, report)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="deploy-check", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--only",
        default=",".join(STEPS),
        help="comma-separated steps after the stack (default: all): " + ",".join(STEPS),
    )
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(STEPS)
    if unknown:
        parser.error("unknown steps: " + ", ".join(sorted(unknown)))

    report = Report()
    stack = Stack(report)
    try:
        try:
            stack.build()
        except StackError as error:
            report.fail(f"stack: {error}")
            return report.summary()
        if "journey" in only:
            from . import journey

            report.section("journey (Playwright, chromium, 390 px)")
            _step(report, "journey", lambda: journey.run(stack, report))
        if "checks" in only:
            from . import checks

            _step(report, "checks", lambda: checks.run(stack, report))
        if "lighthouse" in only:
            from . import lighthouse

            report.section("Lighthouse")
            _step(report, "lighthouse", lambda: lighthouse.run(stack, report))
        if "faults" in only:
            _step(report, "faults", lambda: run_faults(stack, report))
    finally:
        report.section("close")
        stack.close()
        report.end_section()
    return report.summary()


if __name__ == "__main__":
    sys.exit(main())
