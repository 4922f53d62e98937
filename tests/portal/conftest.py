"""Fixtures the cross-cutting tests borrow from the apps' own test folders."""

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
