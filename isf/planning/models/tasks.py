"""The one work queue: every piece of work for a person or a team is a Task.

Contact plans, monitoring alerts, service orders, call lists, lead follow-ups and agreed
review actions all become tasks, so every user works from one list ordered by due time.
`dedupe_key` makes producers idempotent: at most one open task per key (e.g. one open alert
task per account and flag), enforced by a conditional unique constraint.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.core.language import in_language
from isf.planning.choices import (
    OPEN_STATUSES,
    WORKFLOW_KINDS,
    Side,
    TaskAction,
    TaskKind,
    TaskStatus,
    outcome_label,
)


class Task(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=300, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, default=Side.INSIDE)
    account = models.ForeignKey(
        "customers.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name=_("contact")
    )
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name=_("team")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    due_at = models.DateTimeField(_("due"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=30, blank=True, help_text=_("Which feature produced the task"))
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=160, blank=True, db_index=True)
    url = models.CharField(_("link"), max_length=200, blank=True, help_text=_("Where the work is done, if elsewhere"))
    # Ranking (isf.planning.priority): the number the queue orders by, higher first; its reasons as JSON
    # [[code, {params}], ...] rendered in the page language; the moment the number goes stale (SLA time left,
    # the next day overdue), after which the next reader recomputes it.
    priority = models.IntegerField(_("priority"), default=0)
    priority_reasons = models.CharField(_("priority reasons"), max_length=400, blank=True)
    priority_until = models.DateTimeField(_("priority valid until"), null=True, blank=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["priority", "priority_reasons", "priority_until"])

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["status", "team", "due_at"]),
            models.Index(fields=["status", "assignee", "due_at"]),
            models.Index(fields=["source", "source_id"]),
            models.Index(fields=["status", "team", "-priority", "due_at"], name="task_team_rank"),
            models.Index(fields=["status", "assignee", "-priority", "due_at"], name="task_assignee_rank"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(status__in=OPEN_STATUSES) & ~Q(dedupe_key=""),
                name="task_one_open_per_dedupe_key",
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.CLAIMED) | Q(assignee__isnull=False), name="task_claimed_has_assignee"
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(completed_at__isnull=False), name="task_done_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language: English when shown in English and there is one, else German."""
        return in_language(self.title, self.title_en)

    @property
    def outcome_choices(self) -> list:
        """The outcomes a user may choose when completing this task (a referral request has its own)."""
        from isf.planning.choices import user_outcomes

        return user_outcomes(self.kind)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def reason_text(self) -> str:
        return in_language(self.reason, self.reason_en)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def ends_with_workflow(self) -> bool:
        """Completed by its own workflow (``WORKFLOW_KINDS``), not from the queue."""
        return self.kind in WORKFLOW_KINDS

    @property
    def workflow_note(self) -> str:
        """Where a ``WORKFLOW_KINDS`` task is worked, in the page language (empty for other kinds)."""
        return str(WORKFLOW_KINDS.get(self.kind, ""))

    @property
    def is_overdue(self) -> bool:
        """Open after its due day (the one definition: ``isf.planning.selectors.overdue_cutoff``)."""
        from isf.planning.selectors import overdue_cutoff

        return self.is_open and self.due_at < overdue_cutoff()

    @property
    def priority_reason_texts(self) -> list[str]:
        """The reasons of the priority in the active language."""
        from isf.planning.priority import reason_texts

        return reason_texts(self.priority_reasons)


class TaskEvent(models.Model):
    """Append-only history of a task: who did what when."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(_("action"), max_length=20, choices=TaskAction.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("task event")
        verbose_name_plural = _("task events")

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"
