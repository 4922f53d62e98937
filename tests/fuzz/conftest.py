"""Fuzzing the staff forms and uploads with hypothesis.

The profile keeps the suite fast: FUZZ_EXAMPLES examples per form (25 unless
set), no deadline (a page render is not a pure function), no example database
in the work tree, and derandomised so CI runs the same inputs every time; set
FUZZ_RANDOM=1 to explore new ones locally."""

import os

from hypothesis import HealthCheck, settings

from tests.activities.conftest import draft, report_at  # noqa: F401
from tests.beneficiaries.conftest import (  # noqa: F401
    case_a1,
    categories,
    file_a1,
    make_case,
    make_file,
)
from tests.newsletter.conftest import (  # noqa: F401
    approve,
    assemble,
    publication,
    three_levels,
)

settings.register_profile(
    "portal",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)),
    deadline=None,
    database=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("portal")
