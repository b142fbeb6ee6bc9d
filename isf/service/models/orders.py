"""Service orders (Serviceaufträge): the field orders, inside sales delivers against a business-hours clock.

The clock fields are maintained by the services only: ``clock_started_at`` (first business moment after
receipt), ``due_at`` and ``due_soon_at`` (recomputed whenever the clock resumes; exact for a running
clock because elapsed business time only grows), ``breach_at`` (the next business moment from ``due_at``:
done at 17:00 sharp is on time, the breach starts when the clock runs again), ``business_seconds_elapsed`` (running time accumulated up
to ``clock_resumed_at``) and ``sla_state`` (frozen while paused and at the end). So the SLA state of every
running order is a pure SQL condition on ``now`` and lists can filter by it without computing anything.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.core.language import in_language
from isf.service.choices import (
    DecisionKind,
    DecisionStatus,
    EventAction,
    NotificationKind,
    OrderStatus,
    SlaSource,
    SlaState,
    TargetUnit,
    service_level_text,
)


class ServiceOrder(models.Model):
    """A service ordered by a field rep (or VL) for an account, served by an inside team."""

    service = models.ForeignKey("service.ServiceCatalogEntry", on_delete=models.PROTECT, related_name="orders",
                                verbose_name=_("service"))
    account = models.ForeignKey("customers.Account", on_delete=models.CASCADE, related_name="service_orders",
                                verbose_name=_("account"))
    contact = models.ForeignKey("customers.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="service_orders", verbose_name=_("contact"))
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_orders",
                                  verbose_name=_("requester"))
    team = models.ForeignKey("org.Team", null=True, on_delete=models.SET_NULL, related_name="service_orders",
                             verbose_name=_("inside team"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assigned_orders", verbose_name=_("assignee"))
    contract = models.ForeignKey("service.ServiceContract", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="orders", verbose_name=_("contract"))
    status = models.CharField(_("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.NEW)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=20, default="app")
    checklist = models.JSONField(_("process checklist"), default=list, blank=True)
    created_at = models.DateTimeField(_("received"), db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # SLA clock
    target_seconds = models.PositiveIntegerField(_("service level (business seconds)"))
    due_soon_fraction = models.DecimalField(_("'due soon' share"), max_digits=3, decimal_places=2, default=Decimal("0.75"))
    clock_started_at = models.DateTimeField(_("clock started"))
    clock_resumed_at = models.DateTimeField(_("clock running since"), null=True, blank=True)
    business_seconds_elapsed = models.FloatField(_("business seconds elapsed"), default=0)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    due_soon_at = models.DateTimeField(_("due soon from"), null=True, blank=True)
    breach_at = models.DateTimeField(_("breached after"), null=True, blank=True, db_index=True)
    sla_state = models.CharField(_("SLA state"), max_length=10, choices=SlaState.choices, default=SlaState.ON_TRACK)
    # the service level that applied when the order was received (a later contract change does not rewrite it)
    segment = models.ForeignKey("segmentation.Segment", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("segment at receipt"))
    sla_value = models.DecimalField(_("service level"), max_digits=6, decimal_places=2, null=True, blank=True)
    sla_unit = models.CharField(_("unit"), max_length=5, choices=TargetUnit.choices, blank=True)
    sla_source = models.CharField(_("service level from"), max_length=8, choices=SlaSource.choices, blank=True)
    history = HistoricalRecords(excluded_fields=["business_seconds_elapsed", "clock_resumed_at", "checklist"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        indexes = [
            models.Index(fields=["status", "team", "due_at"]),
            models.Index(fields=["account", "created_at"]),
            models.Index(fields=["requester", "created_at"]),
            models.Index(fields=["service", "completed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status=OrderStatus.NEW) | Q(assignee__isnull=True),
                                   name="order_new_is_unclaimed"),
            models.CheckConstraint(
                condition=~Q(status__in=[OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.WAITING,
                                         OrderStatus.DONE]) | Q(assignee__isnull=False),
                name="order_worked_has_assignee"),
            models.CheckConstraint(
                condition=~Q(status__in=[OrderStatus.DONE, OrderStatus.REJECTED, OrderStatus.CANCELLED])
                | Q(completed_at__isnull=False), name="order_final_has_time"),
            models.CheckConstraint(condition=~Q(status=OrderStatus.REJECTED) | ~Q(reason=""),
                                   name="order_rejected_has_reason"),
            models.CheckConstraint(condition=Q(target_seconds__gt=0), name="order_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.service} · {self.account.name}"

    def get_absolute_url(self) -> str:
        return reverse("service:order-detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"SA-{self.pk:06d}"

    @property
    def sla_hours(self) -> float:
        """The service level that applied, in business hours (a business day counts as the team's day)."""
        return round(self.target_seconds / 3600, 2)

    @property
    def service_level_label(self) -> str:
        """The service level as agreed ('2 Geschäftstage'); orders from before it was stored: in business hours."""
        if self.sla_value is not None and self.sla_unit:
            return service_level_text(self.sla_value, self.sla_unit)
        return service_level_text(Decimal(str(self.sla_hours)), TargetUnit.HOURS)


class ServiceOrderEvent(models.Model):
    """Append-only timeline of an order: who did what when, status from -> to, note."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("who"))
    action = models.CharField(_("action"), max_length=12, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=OrderStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        indexes = [models.Index(fields=["order", "at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} {self.from_status}->{self.to_status}"


class ServiceRating(models.Model):
    """The requester's rating of a completed order (1-5 and a comment)."""

    order = models.OneToOneField(ServiceOrder, on_delete=models.CASCADE, related_name="rating",
                                 verbose_name=_("order"))
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("rated by"))
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.score}"


class Decision(models.Model):
    """A commercial decision taken on an order or a complaint (discount, goodwill, payment term).

    Within the contract's decision rights inside sales decides alone (status ``within``); above them the
    decision is an approval request to the account's owner (``pending`` -> ``approved`` / ``declined``).
    Both are recorded.
    """

    order = models.ForeignKey(ServiceOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions",
                              verbose_name=_("order"))
    account = models.ForeignKey("customers.Account", on_delete=models.CASCADE, related_name="service_decisions",
                                verbose_name=_("account"))
    contract = models.ForeignKey("service.ServiceContract", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="decisions", verbose_name=_("contract"))
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    limit = models.DecimalField(_("delegated limit"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("decided/requested by"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="approval_requests", verbose_name=_("approver (owner)"))
    source = models.CharField(_("source"), max_length=30, default="service")
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("answer"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="decision_value_not_negative"),
            models.CheckConstraint(condition=~Q(status="pending") | Q(approver__isnull=False),
                                   name="decision_pending_has_approver"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} ({self.get_status_display()})"


class SlaNotice(models.Model):
    """One SLA notice per order and state (due soon, breached): makes the escalation idempotent."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="sla_notices",
                              verbose_name=_("order"))
    state = models.CharField(_("SLA state"), max_length=10, choices=SlaState.choices)
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.CharField(_("recipients"), max_length=500, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("SLA notice")
        verbose_name_plural = _("SLA notices")
        constraints = [models.UniqueConstraint(fields=["order", "state"], name="slanotice_once_per_state")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.state}"


class Notification(models.Model):
    """An in-app message to a person (SLA warnings and escalations, approval requests and answers, the requester's
    order done or waiting for him); the header shows the unread count."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_notes",
                                  verbose_name=_("recipient"))
    order = models.ForeignKey(ServiceOrder, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="notifications", verbose_name=_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices, blank=True)
    message = models.CharField(_("message"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the page language (isf.core.language: German master, English where stored)."""
        return in_language(self.message, self.message_en)
