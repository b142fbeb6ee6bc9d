"""Customer segments (Kundensegmente): grouping by potential and buying behaviour.

A segment has rules; an account belongs to the first segment (lowest precedence number) with a
rule that matches its revenue of the last 12 months, its estimated potential, its type and its
buying behaviour (orders a year, average order value, revenue trend, share of orders by phone:
see isf/segmentation/behaviour.py).
Within a rule all conditions must hold; a segment's rules are alternatives. Ranges are
half-open: `from` inclusive, `below` exclusive, empty = open. The sales lead may override the
assignment per account (with reason, optionally until a date); every change is recorded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.core.language import in_language
from isf.segmentation.choices import ChangeSource, RuleCustomerType


class Segment(models.Model):
    """A segment with its criteria, care budget and the inside team that serves it."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    criteria = models.TextField(_("criteria"), blank=True)
    particularities = models.TextField(_("particularities"), blank=True)
    precedence = models.PositiveIntegerField(_("precedence"), default=100, help_text=_("Lower is checked first"))
    care_budget = models.DecimalField(_("care budget per account and year (EUR)"), max_digits=10, decimal_places=2, default=0)
    team = models.ForeignKey(
        "org.Team", verbose_name=_("inside team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["precedence", "code"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [models.CheckConstraint(condition=Q(care_budget__gte=0), name="segment_budget_not_negative")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return in_language(self.name_de, self.name_en)


def _range_ok(low: str, high: str) -> Q:
    return Q(**{f"{low}__isnull": True}) | Q(**{f"{high}__isnull": True}) | Q(**{f"{low}__lt": models.F(high)})


class SegmentRule(models.Model):
    """One rule of a segment: all its conditions must hold (empty bounds are open)."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="rules", verbose_name=_("segment"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    revenue_min = models.DecimalField(
        _("revenue 12 months from (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    revenue_max = models.DecimalField(
        _("revenue 12 months below (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    potential_min = models.DecimalField(_("potential from (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    potential_max = models.DecimalField(_("potential below (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    customer_type = models.CharField(
        _("customer type"), max_length=3, choices=RuleCustomerType.choices, default=RuleCustomerType.ANY
    )
    # buying behaviour (isf.segmentation.behaviour): the last 12 months, trend against the 12 months before
    orders_min = models.DecimalField(_("orders a year from"), max_digits=7, decimal_places=1, null=True, blank=True)
    orders_max = models.DecimalField(_("orders a year below"), max_digits=7, decimal_places=1, null=True, blank=True)
    order_value_min = models.DecimalField(_("average order value from (EUR)"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    order_value_max = models.DecimalField(_("average order value below (EUR)"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    trend_min = models.DecimalField(_("revenue trend from (%)"), max_digits=7, decimal_places=1, null=True,
                                    blank=True)
    trend_max = models.DecimalField(_("revenue trend below (%)"), max_digits=7, decimal_places=1, null=True,
                                    blank=True)
    phone_share_min = models.DecimalField(_("orders by phone from (%)"), max_digits=4, decimal_places=1, null=True,
                                          blank=True)
    phone_share_max = models.DecimalField(_("orders by phone below (%)"), max_digits=4, decimal_places=1, null=True,
                                          blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["segment__precedence", "segment__code", "position", "pk"]
        verbose_name = _("segment rule")
        verbose_name_plural = _("segment rules")
        constraints = [
            models.CheckConstraint(condition=_range_ok("revenue_min", "revenue_max"), name="segrule_revenue_range"),
            models.CheckConstraint(condition=_range_ok("potential_min", "potential_max"), name="segrule_potential_range"),
            models.CheckConstraint(
                condition=(Q(revenue_min__isnull=True) | Q(revenue_min__gte=0))
                & (Q(potential_min__isnull=True) | Q(potential_min__gte=0)),
                name="segrule_bounds_not_negative",
            ),
            models.CheckConstraint(condition=_range_ok("orders_min", "orders_max"), name="segrule_orders_range"),
            models.CheckConstraint(condition=_range_ok("order_value_min", "order_value_max"),
                                   name="segrule_order_value_range"),
            models.CheckConstraint(condition=_range_ok("trend_min", "trend_max"), name="segrule_trend_range"),
            models.CheckConstraint(condition=_range_ok("phone_share_min", "phone_share_max"),
                                   name="segrule_phone_share_range"),
            models.CheckConstraint(
                condition=(Q(orders_min__isnull=True) | Q(orders_min__gte=0))
                & (Q(order_value_min__isnull=True) | Q(order_value_min__gte=0))
                & (Q(phone_share_min__isnull=True) | Q(phone_share_min__gte=0))
                & (Q(phone_share_max__isnull=True) | Q(phone_share_max__lte=100)),
                name="segrule_behaviour_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.segment.code}: {self.describe()}"

    def describe(self) -> str:
        from isf.segmentation.rules import describe

        return describe(self)


class SegmentOverride(models.Model):
    """A manual segment assignment by the sales lead; open until ended or past `valid_until`."""

    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="segment_overrides", verbose_name=_("account")
    )
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("segment"))
    reason = models.CharField(_("reason"), max_length=300)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: until ended"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("segment override")
        verbose_name_plural = _("segment overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(ended_at__isnull=True), name="segoverride_one_open_per_account"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="segoverride_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} → {self.segment.code}"


class SegmentChange(models.Model):
    """An append-only record of one change of an account's segment."""

    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="segment_changes", verbose_name=_("account")
    )
    from_segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("from")
    )
    to_segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("to")
    )
    source = models.CharField(_("source"), max_length=12, choices=ChangeSource.choices)
    rule = models.ForeignKey(
        SegmentRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("rule")
    )
    # The rule as it was when it applied, and the account's figures then (rules change later).
    rule_snapshot = models.JSONField(_("rule (as applied)"), default=dict, blank=True)
    revenue_12m = models.DecimalField(_("revenue 12 months"), max_digits=14, decimal_places=2, null=True, blank=True)
    potential = models.DecimalField(_("potential"), max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("when"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("who"),
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("segment change")
        verbose_name_plural = _("segment changes")
        indexes = [models.Index(fields=["account", "changed_at"])]

    def __str__(self) -> str:
        old = self.from_segment.code if self.from_segment_id else "–"
        new = self.to_segment.code if self.to_segment_id else "–"
        return f"{old} → {new}"

    @property
    def rule_text(self) -> str:
        from isf.segmentation.rules import describe

        return describe(self.rule_snapshot) if self.rule_snapshot else ""
