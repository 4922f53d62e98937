"""Background jobs: one row per long piece of work (an import, an export, a batch
of photos), holding who started it, for which unit, how far it has come and what
came of it. core/jobs/ starts and runs them; the row is the job's state,
whether it runs in a Celery worker, a thread of the web process or inline. The
kinds, and who may see a job of each, are what the apps register
(core/jobs/registry.py).

Files a job reads (``input_file``) and writes (``result_file``) are kept in
their own storage outside MEDIA_ROOT (``JobFileStorage``): they are served only
through the job's download view, to those who may see the job."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..storage import FileSystemStorage


class JobFileStorage(FileSystemStorage):
    """Files under ``settings.JOBS_ROOT``, read at each use (tests move it), with
    no URL: nothing here is ever linked to directly."""

    @property
    def base_location(self):
        return settings.JOBS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("job files are served by the job download view only")


job_storage = JobFileStorage()


def _job_storage():
    # A callable keeps the storage out of the migration.
    return job_storage


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("未完成")

    # One of the kinds the apps register (core/jobs/registry.py): a name
    # stored as it is, never an app's module path.
    kind = models.CharField(_("任务类型"), max_length=30)
    title = models.CharField(_("任务"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    # The unit of the organisation the job works on, as the app that started it
    # writes it (a path such as "city:1/county:5/station:12"): the kind's own
    # rule reads it to tell who, besides the starter, may see the job. Core
    # never reads it.
    unit = models.CharField(_("所属单位"), max_length=100, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # Starting the same thing twice (a double click on "确认导入") returns the
    # job already started instead of a second one.
    idempotency_key = models.CharField(_("幂等键"), max_length=100, blank=True)

    input_file = models.FileField(
        _("上传的文件"),
        upload_to="jobs/in/%Y/%m/",
        storage=_job_storage,
        max_length=200,
        blank=True,
    )
    input_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    input_expires_at = models.DateTimeField(
        _("上传文件删除时间"), null=True, blank=True
    )

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)

    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)

    result = models.JSONField(_("结果"), default=dict, blank=True)
    result_file = models.FileField(
        _("结果文件"),
        upload_to="jobs/out/%Y/%m/",
        storage=_job_storage,
        max_length=200,
        blank=True,
    )
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    result_url = models.CharField(_("结果链接"), max_length=300, blank=True)
    row_errors = models.JSONField(_("逐行错误"), default=list, blank=True)
    log_tail = models.TextField(_("日志（最后部分）"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        # The table the jobs were first written to, when the organisation app
        # held them: moving the model moved no row.
        db_table = "stations_job"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="job_starter_idx"),
            models.Index(fields=["status", "updated_at"], name="job_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="job_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total"))
                | Q(progress_total=0),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("core_staff:job", args=[self.pk])

    @property
    def kind_label(self) -> str:
        """The kind's name for people, as its app registered it."""
        from ..jobs.registry import kind_label

        return kind_label(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is unknown."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_dry_run(self) -> bool:
        return bool(self.params.get("dry_run"))

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
