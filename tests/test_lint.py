"""The code stays ruff-clean (CONVENTIONS.md, Style): lint and format are checked
with the rest of the suite, so CI holds the line."""

import shutil
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"


def _ruff(*args):
    return subprocess.run(
        [RUFF, *args], cwd=BASE, capture_output=True, text=True, timeout=120
    )


def test_ruff_lint_is_clean():
    result = _ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
