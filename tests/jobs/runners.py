"""Runners the job-machinery tests put in place of a kind's own (through the
``plug`` fixture): a batch that writes villages, idempotent on (town, name)
and all or nothing, which can be told to fail half-way; and a refusal."""

from django.db import transaction

from core.jobs import JobResult
from stations.models import Town, Village

# Each run's (job pk, attempt), to see what ran and how often.
CALLS = []
# Progress as the runner saw it reported, for the progress tests.
SEEN = []


def villages(job, progress):
    """Adds ``n`` villages to ``town``; reports a step per village. With
    ``fail_at``, raises there, inside the batch's transaction."""
    CALLS.append((job.pk, job.attempts))
    town = Town.objects.get(pk=job.params["town"])
    prefix = job.params.get("prefix", "新建")
    names = [f"{prefix}{n}村" for n in range(job.params["n"])]
    total = len(names)
    with transaction.atomic():
        for done, name in enumerate(names, start=1):
            if job.params.get("fail_at") == done:
                # A driver's message may quote a row's ID number or phone.
                raise RuntimeError("模拟故障：行 445302201405060011，电话 13812345678")
            Village.objects.get_or_create(
                town=town, name=name, defaults={"kind": Village.Kind.VILLAGE}
            )
            progress(done, total, "写入村（居）" if done == 1 else None)
            SEEN.append((progress.done, progress.total))
    return JobResult(message=f"已写入 {total} 个村（居）。", summary={"n": total})


def refuse(job, progress):
    return JobResult(
        ok=False,
        message="有 1 行存在错误，未导入任何数据。",
        row_errors=[{"line": 2, "errors": ["名称：不能为空"]}],
    )
