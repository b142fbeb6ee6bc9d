"""Infrastructure models: job locks and nightly-run bookkeeping (no domain data here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLock(models.Model):
    """A named lock in the database, so two nightly runs never overlap, even across machines.

    Acquired by inserting the row (unique name); a holder refreshes `heartbeat_at`, and a lock
    whose heartbeat is older than the timeout may be taken over (its holder died).
    """

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=200)
    acquired_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        verbose_name = _("job lock")
        verbose_name_plural = _("job locks")

    def __str__(self) -> str:
        return f"{self.name} ({self.holder})"


class NightlyRun(models.Model):
    """One run of `isf nightly`: which steps finished, so an interrupted run resumes."""

    run_date = models.DateField(_("business date"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    steps_done = models.JSONField(_("steps done"), default=dict)
    holder = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("nightly run")
        verbose_name_plural = _("nightly runs")

    def __str__(self) -> str:
        return f"{self.run_date} {'done' if self.finished_at else 'open'}"


class WorkerHeartbeat(models.Model):
    """One background worker (`isf worker`): where it runs, what it runs and when it last said it is alive.

    A task whose worker stopped beating (or whose process is gone on this machine) is recovered by the next
    worker: retried when the task is safe to repeat, marked failed otherwise (isf.core.workers).
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    heartbeat_at = models.DateTimeField(_("last heartbeat"))
    task_id = models.CharField(_("current task"), max_length=64, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        ordering = ["-heartbeat_at"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class JobEvent(models.Model):
    """What happened to a background task outside its own run: retried or failed after its worker stopped,
    cancelled by an operator. The task's own page (e.g. an import job) shows the message too."""

    class Action(models.TextChoices):
        RETRIED = "retried", _("queued again")
        FAILED = "failed", _("marked failed")
        CANCELLED = "cancelled", _("cancelled")

    task_id = models.CharField(_("task"), max_length=64, db_index=True)
    task_path = models.CharField(_("task kind"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    message = models.CharField(_("message"), max_length=500)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    by = models.CharField(_("by"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("job event")
        verbose_name_plural = _("job events")

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"
