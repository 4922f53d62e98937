from .lists import ActivityKind, BeneficiaryCategory, Partner
from .projects import Project
from .reports import ActivityReport, Level, ReportPhoto, ReportTransition, Status
from .reviews import ReportReviewSnapshot
from .trainings import Training, TrainingAttendance, TrainingSession

__all__ = [
    "ActivityKind",
    "ActivityReport",
    "BeneficiaryCategory",
    "Level",
    "Partner",
    "Project",
    "ReportPhoto",
    "ReportReviewSnapshot",
    "ReportTransition",
    "Status",
    "Training",
    "TrainingAttendance",
    "TrainingSession",
]
