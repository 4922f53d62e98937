"""The beneficiaries app's kind of background job: a station's sheet of files,
checked or imported (beneficiaries/services/imports.py), registered with the job
framework when the app is ready."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import JobResult, job_input
from core.sheets import read_dataset
from stations.models import Station
from stations.services.imports import report_job_result

from .services import imports as file_imports

BENEFICIARY_IMPORT = "beneficiary_import"


def beneficiary_import_job(job, progress) -> JobResult:
    """Params: ``station`` (pk) and ``dry_run``. All or nothing."""
    dry_run = bool(job.params.get("dry_run"))
    station = Station.objects.with_place().filter(pk=job.params["station"]).first()
    if station is None:
        raise ValidationError(_("这个社工站已不存在，没有导入。"))
    progress(0, None, _("读取文件"))
    dataset = read_dataset(job.input_name, job_input(job))
    report = file_imports.import_files(
        dataset,
        user=job.started_by,
        station=station,
        dry_run=dry_run,
        progress=progress,
    )
    return report_job_result(
        report, dry_run=dry_run, url=reverse("beneficiaries_staff:beneficiaries")
    )


def register_kinds() -> None:
    """Who may see the job besides its starter: who manages its station. The
    sheet holds full ID numbers and phones: its upload goes after a day."""
    from core.jobs import JobKind, register
    from stations.permissions import job_units_q

    register(
        JobKind(
            BENEFICIARY_IMPORT,
            gettext_lazy("服务对象档案导入"),
            beneficiary_import_job,
            visible_to=job_units_q,
            sensitive_input=True,
        )
    )
