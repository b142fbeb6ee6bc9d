"""The service contract (Dienstleistungsvertrag) between sales (VL) and inside sales (IDL).

Per period and versioned: the agreed catalog entries with their service levels and expected monthly
volume, and the decision rights delegated to inside sales. It is in force once both leads accepted it;
a change to an accepted contract is a new version (the old one stays as it was).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.service.choices import TargetUnit, service_level_text


class ServiceContract(models.Model):
    """One version of the contract for a period (e.g. the year 2027)."""

    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2027"))
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    max_discount_percent = models.DecimalField(
        _("maximum discount (%)"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    max_goodwill_eur = models.DecimalField(
        _("maximum goodwill credit (EUR)"), max_digits=10, decimal_places=2, default=Decimal("500")
    )
    max_payment_term_days = models.PositiveIntegerField(_("maximum payment-term extension (days)"), default=14)
    due_soon_fraction = models.DecimalField(
        _("'due soon' from this share of the service level"), max_digits=3, decimal_places=2, default=Decimal("0.75")
    )
    notes = models.TextField(_("agreements"), blank=True)
    accepted_by_vl = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("accepted by sales lead"),
    )
    accepted_by_vl_at = models.DateTimeField(_("accepted by sales lead at"), null=True, blank=True)
    accepted_by_idl = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("accepted by inside-sales lead"),
    )
    accepted_by_idl_at = models.DateTimeField(_("accepted by inside-sales lead at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from", "-version"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="contract_unique_period_version"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="contract_valid_range"),
            models.CheckConstraint(condition=Q(max_discount_percent__gte=0) & Q(max_discount_percent__lte=100),
                                   name="contract_discount_range"),
            models.CheckConstraint(condition=Q(max_goodwill_eur__gte=0), name="contract_goodwill_not_negative"),
            models.CheckConstraint(condition=Q(due_soon_fraction__gt=0) & Q(due_soon_fraction__lte=1),
                                   name="contract_due_soon_fraction_range"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    @property
    def is_accepted(self) -> bool:
        return bool(self.accepted_by_vl_id and self.accepted_by_idl_id)


class ContractLine(models.Model):
    """A catalog entry as agreed in a contract: its service level and the expected monthly volume."""

    contract = models.ForeignKey(ServiceContract, on_delete=models.CASCADE, related_name="lines",
                                 verbose_name=_("contract"))
    service = models.ForeignKey("service.ServiceCatalogEntry", on_delete=models.PROTECT, related_name="contract_lines",
                                verbose_name=_("service"))
    target_value = models.DecimalField(_("service level"), max_digits=6, decimal_places=2)
    target_unit = models.CharField(_("unit"), max_length=5, choices=TargetUnit.choices, default=TargetUnit.HOURS)
    expected_monthly_volume = models.PositiveIntegerField(_("expected orders per month"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "service__sort_order", "service__code"]
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")
        constraints = [
            models.UniqueConstraint(fields=["contract", "service"], name="contractline_unique_service"),
            models.CheckConstraint(condition=Q(target_value__gt=0), name="contractline_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.service}"

    @property
    def service_level_label(self) -> str:
        return service_level_text(self.target_value, self.target_unit)


class SegmentTarget(models.Model):
    """A contract line's service level for one customer segment (a key account's quote in 4 business hours, a C
    customer's in 2 business days). A segment without one falls back to the line's default. Part of the contract
    version: changed only through a draft both leads accept again."""

    line = models.ForeignKey(ContractLine, on_delete=models.CASCADE, related_name="segment_targets",
                             verbose_name=_("contract line"))
    segment = models.ForeignKey("segmentation.Segment", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("segment"))
    target_value = models.DecimalField(_("service level"), max_digits=6, decimal_places=2)
    target_unit = models.CharField(_("unit"), max_length=5, choices=TargetUnit.choices, default=TargetUnit.HOURS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "segment__precedence", "segment__code"]
        verbose_name = _("service level per segment")
        verbose_name_plural = _("service levels per segment")
        constraints = [
            models.UniqueConstraint(fields=["line", "segment"], name="segmenttarget_unique_segment"),
            models.CheckConstraint(condition=Q(target_value__gt=0), name="segmenttarget_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line} · {self.segment}"

    @property
    def service_level_label(self) -> str:
        return service_level_text(self.target_value, self.target_unit)
