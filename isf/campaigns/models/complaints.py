"""Sales-active complaints (Reklamationen), quote follow-ups and recorded company changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.campaigns.choices import (
    CompanyChangeKind,
    ComplaintCategory,
    ComplaintStatus,
    GoodwillStatus,
    QuoteOutcome,
    QuoteRule,
    Satisfaction,
    Severity,
)
from isf.core.text import LONG_TEXT_MAX


class Complaint(models.Model):
    """A complaint handled to sell: resolution, goodwill within rights, satisfaction call."""

    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="complaints", verbose_name=_("account")
    )
    order = models.ForeignKey(
        "customers.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("order reference"),
    )
    category = models.CharField(_("category"), max_length=10, choices=ComplaintCategory.choices)
    description = models.TextField(_("description"), max_length=LONG_TEXT_MAX)
    severity = models.CharField(_("severity"), max_length=6, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=18, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True, max_length=LONG_TEXT_MAX)
    goodwill_eur = models.DecimalField(_("goodwill (EUR)"), max_digits=10, decimal_places=2, default=0)
    goodwill_status = models.CharField(
        _("goodwill"), max_length=14, choices=GoodwillStatus.choices, default=GoodwillStatus.NONE
    )
    goodwill_limit_eur = models.DecimalField(
        _("goodwill limit applied (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(condition=Q(goodwill_eur__gte=0), name="complaint_goodwill_not_negative"),
            models.CheckConstraint(
                condition=~Q(status__in=[ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED]) | ~Q(resolution=""),
                name="complaint_resolved_has_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Complaint')} {self.pk} · {self.account.name}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:complaint-detail", args=[self.pk])


class ComplaintEvent(models.Model):
    """Append-only status history of a complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=18, blank=True)
    to_status = models.CharField(max_length=18)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.from_status}->{self.to_status}"


class QuoteFollowup(models.Model):
    """The follow-up of one open quote: its task, rule, and the won/lost outcome."""

    quote = models.OneToOneField(
        "customers.Quote", on_delete=models.CASCADE, related_name="followup", verbose_name=_("quote")
    )
    segment_code = models.CharField(_("segment"), max_length=10, blank=True)
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("inside team")
    )
    rule = models.CharField(_("rule"), max_length=20, choices=QuoteRule.choices)
    due_at = models.DateTimeField(_("follow-up due"))
    task = models.ForeignKey("planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=4, choices=QuoteOutcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("quote follow-up")
        verbose_name_plural = _("quote follow-ups")
        constraints = [
            models.CheckConstraint(condition=Q(outcome="") | ~Q(reason=""), name="quotefollowup_outcome_has_reason"),
        ]

    def __str__(self) -> str:
        return str(self.quote)


class AccountChange(models.Model):
    """A company change (growth, relocation, merger) recorded from a call or visit."""

    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="company_changes", verbose_name=_("account")
    )
    kind = models.CharField(_("change"), max_length=10, choices=CompanyChangeKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("company change")
        verbose_name_plural = _("company changes")

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind}"
