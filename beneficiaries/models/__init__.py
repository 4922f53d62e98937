"""Beneficiary files (with visits, transfers and attendance at reports) and
cases (with notes and referrals). The tables keep the names they were made
with when the activities app held these models (``activities_*``): moving the
models moved no row."""

from .cases import Case, CaseNote, CaseNotesAppendOnly, Referral
from .files import Attendance, Beneficiary, BeneficiaryTransfer, Gender, Visit

__all__ = [
    "Attendance",
    "Beneficiary",
    "BeneficiaryTransfer",
    "Case",
    "CaseNote",
    "CaseNotesAppendOnly",
    "Gender",
    "Referral",
    "Visit",
]
