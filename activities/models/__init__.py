from .beneficiaries import (
    Attendance,
    Beneficiary,
    BeneficiaryTransfer,
    Gender,
    Visit,
)
from .cases import Case, CaseNote, CaseNotesAppendOnly, Referral
from .lists import ActivityKind, BeneficiaryCategory, Partner
from .projects import Project
from .reports import ActivityReport, Level, ReportPhoto, ReportTransition, Status
from .trainings import Training, TrainingAttendance, TrainingSession

__all__ = [
    "ActivityKind",
    "ActivityReport",
    "BeneficiaryCategory",
    "Level",
    "Partner",
    "Project",
    "ReportPhoto",
    "ReportTransition",
    "Status",
    "Training",
    "TrainingAttendance",
    "TrainingSession",
    # beneficiary files and cases
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
