"""Import jobs (an upload being imported in the background) and saved column mappings per source."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file being validated/imported by a background task; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    path = models.CharField(max_length=500, editable=False)
    options = models.JSONField(_("options"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors_total = models.PositiveIntegerField(_("errors"), default=0)
    first_errors = models.JSONField(_("first errors"), default=list, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="de")
    preview = models.JSONField(_("preview"), default=dict, blank=True, editable=False)
    placed = models.JSONField(_("placed"), default=dict, blank=True, editable=False)
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    checked_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="imports",
                                   verbose_name=_("checked by dry run"))
    message = models.CharField(_("message"), max_length=500, blank=True)
    error_report = models.CharField(max_length=500, blank=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("user"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name} ({self.status})"


class ImportMapping(models.Model):
    """A saved column mapping and dialect override for one source (e.g. "SAP Aufträge"), reusable per kind."""

    kind = models.CharField(_("kind"), max_length=20)
    source = models.CharField(_("source"), max_length=100)
    mapping = models.JSONField(_("mapping"), default=dict)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "source"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [models.UniqueConstraint(fields=["kind", "source"], name="importmapping_unique_source")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.source}"
