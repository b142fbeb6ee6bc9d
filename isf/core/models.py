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
