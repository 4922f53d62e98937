"""What the check prints: sections, passed and failed points, timings."""

from __future__ import annotations

import sys
import time


class Report:
    """Prints as it goes (a run is followed live) and counts failures; ``fail``
    never raises, so one broken point does not hide the ones after it."""

    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.started = time.monotonic()
        self.failed = 0
        self.passed = 0
        self.failures: list[str] = []
        self.timings: list[tuple[str, float, int]] = []
        self._section: str | None = None
        self._section_started = 0.0
        self._section_failed = 0

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def section(self, title: str) -> None:
        """Starts a step; the previous one is closed with its elapsed time."""
        self.end_section()
        self._section = title
        self._section_started = time.monotonic()
        self._section_failed = self.failed
        self._print(f"\n=== {title} ===")

    def end_section(self) -> None:
        if self._section is None:
            return
        elapsed = time.monotonic() - self._section_started
        failures = self.failed - self._section_failed
        self.timings.append((self._section, elapsed, failures))
        self._print(
            f"--- {self._section}: {elapsed:.1f} s"
            + (f", {failures} failed" if failures else "")
        )
        self._section = None

    def ok(self, text: str) -> None:
        self.passed += 1
        self._print(f"  ok    {text}")

    def fail(self, text: str) -> None:
        self.failed += 1
        where = f"{self._section}: " if self._section else ""
        self.failures.append(where + text)
        self._print(f"  FAIL  {text}")

    def info(self, text: str) -> None:
        self._print(f"        {text}")

    def check(self, condition: bool, text: str, detail: str = "") -> bool:
        """ok(text) when condition holds, else fail(text + detail)."""
        if condition:
            self.ok(text)
        else:
            self.fail(f"{text}{(' — ' + detail) if detail else ''}")
        return bool(condition)

    def rows(self, label: str, before: dict, after: dict) -> None:
        """A small table of row counts before and after something."""
        self._print(f"        {label}")
        names = sorted(set(before) | set(after), key=str)
        width = max([len(str(n)) for n in names] + [5])
        self._print(f"          {'table':<{width}}  {'before':>8}  {'after':>8}")
        for name in names:
            self._print(
                f"          {str(name):<{width}}  {str(before.get(name, '-')):>8}"
                f"  {str(after.get(name, '-')):>8}"
            )

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> int:
        """Prints the timings and the outcome; returns the exit code."""
        self.end_section()
        self._print("\n=== summary ===")
        for title, seconds, failures in self.timings:
            mark = "FAIL" if failures else "ok  "
            self._print(f"  {mark}  {seconds:7.1f} s  {title}")
        self._print(f"  total {self.elapsed:.1f} s ({self.elapsed / 60:.1f} min)")
        for failure in self.failures:
            self._print(f"  FAILED: {failure}")
        self._print(
            f"  {self.passed} passed, {self.failed} failed: "
            + ("PASS" if not self.failed else "FAIL")
        )
        return 0 if not self.failed else 1
