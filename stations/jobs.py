"""The organisation app's kind of background job: the import of the network's
sheets (stations/services/imports.py runs it), registered with the job framework
when the app is ready."""

from django.utils.translation import gettext_lazy as _

NETWORK_IMPORT = "network_import"


def register_kinds() -> None:
    from core.jobs import JobKind, register
    from stations.services.imports import network_import_job

    from .permissions import job_units_q

    register(
        JobKind(
            NETWORK_IMPORT,
            _("社工站网络数据导入"),
            network_import_job,
            visible_to=job_units_q,
        )
    )
