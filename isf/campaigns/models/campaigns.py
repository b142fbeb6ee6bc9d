"""Campaigns (Kampagnen) with their call lists (Anrufliste) and attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from isf.campaigns.choices import CallOutcome, CampaignKind, CampaignStatus, ConsentBasis, EntryStatus


class Campaign(models.Model):
    """A target list built from filters, worked by agents as a call list."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=14, choices=CampaignKind.choices, default=CampaignKind.PRODUCT)
    description = models.TextField(_("talking points"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    excluded = models.JSONField(_("excluded by consent rules"), default=dict, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts per entry"), default=3)
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    #: the share of the eligible accounts held out as a control group that is not called (telemarketing lists)
    control_share = models.PositiveSmallIntegerField(_("control group (%)"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1) & Q(max_attempts__lte=20), name="campaign_attempts_range"
            ),
            models.CheckConstraint(condition=Q(control_share__lte=50), name="campaign_control_share_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign-detail", args=[self.pk])


class CallListEntry(models.Model):
    """One account on a campaign's call list, with attempts, outcome and next attempt."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries", verbose_name=_("campaign"))
    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="call_list_entries", verbose_name=_("account")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_list_entries",
    )
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.OPEN)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    #: why the account is on the list: [{"code": ..., ...}] (isf.campaigns.telemarketing_reasons renders them)
    reasons = models.JSONField(_("why on the list"), default=list, blank=True)
    consent_basis = models.CharField(_("consent basis"), max_length=10, choices=ConsentBasis.choices, blank=True)

    class Meta:
        ordering = ["campaign", "next_attempt_at", "pk"]
        verbose_name = _("call-list entry")
        verbose_name_plural = _("call-list entries")
        indexes = [models.Index(fields=["campaign", "status", "agent"])]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="entry_one_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.account_id}"


class CallAttempt(models.Model):
    """Append-only log of calls on an entry: who called when, with what outcome."""

    entry = models.ForeignKey(CallListEntry, on_delete=models.CASCADE, related_name="calls", verbose_name=_("entry"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    contact = models.ForeignKey("customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    order_value = models.DecimalField(_("order value (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.outcome}"


class ControlAccount(models.Model):
    """An eligible account held out of a call list (the control group): never called by the list, measured like
    the called entries so the list's effect is measured, not assumed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="control_accounts",
                                 verbose_name=_("campaign"))
    account = models.ForeignKey("customers.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("account"))
    reasons = models.JSONField(_("why on the list"), default=list, blank=True)
    consent_basis = models.CharField(_("consent basis"), max_length=10, choices=ConsentBasis.choices, blank=True)

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name = _("control-group account")
        verbose_name_plural = _("control-group accounts")
        constraints = [models.UniqueConstraint(fields=["campaign", "account"], name="control_one_per_account")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.account_id}"
