"""Targets per period agreed by the sales lead (VL) and the inside-sales lead (IDL), and what care costs.

A ``TargetPlan`` is one version of the targets for a period (a year, a quarter or a month): a draft is edited
(on the page or by a CSV import), then agreed by both leads - each on his own, or both at once in a review
meeting. Agreeing supersedes the period's earlier agreed version; a draft whose period overlaps an agreed
version of another period is refused (revise that version instead). The plan holds ``Target`` rows for its
period and the periods inside it (a year plan: the year, its quarters and months).

Care cost: every contact costs its process time times the hourly cost rate of the role of whoever made it
(``CostRate``, set by the VL); a field visit adds the travel time of the account's region (``RegionTravel``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.org.choices import Role
from isf.targets.choices import Metric, PlanAction, PlanStatus, Scope


class TargetPlan(models.Model):
    """One version of the targets for a period, with who agreed it and when."""

    period = models.CharField(_("period"), max_length=7, help_text=_("2026, 2026-Q4 or 2026-12"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sales_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("agreed by (sales lead)"),
    )
    sales_lead_at = models.DateTimeField(_("sales lead agreed at"), null=True, blank=True)
    inside_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("agreed by (inside-sales lead)"),
    )
    inside_lead_at = models.DateTimeField(_("inside-sales lead agreed at"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    meeting = models.ForeignKey(
        "reviews.ReviewMeeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="target_plans",
        verbose_name=_("agreed in review meeting"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "period", "-version"]
        verbose_name = _("target plan")
        verbose_name_plural = _("target plans")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="targetplan_version_unique"),
            models.UniqueConstraint(fields=["period"], condition=Q(status=PlanStatus.AGREED),
                                    name="targetplan_one_agreed_per_period"),
            models.UniqueConstraint(fields=["period"], condition=Q(status=PlanStatus.DRAFT),
                                    name="targetplan_one_draft_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="targetplan_range"),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.AGREED)
                | Q(sales_lead__isnull=False, inside_lead__isnull=False, agreed_at__isnull=False),
                name="targetplan_agreed_by_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class Target(models.Model):
    """One target: a metric for a segment, an inside team or a field rep in a period of its plan."""

    plan = models.ForeignKey(TargetPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    period = models.CharField(_("period"), max_length=7)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    code = models.CharField(_("code"), max_length=150, help_text=_("Segment code, team code or the rep's user name"))
    segment = models.ForeignKey("segmentation.Segment", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("segment"))
    team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("inside team"))
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("field rep"))
    metric = models.CharField(_("metric"), max_length=25, choices=Metric.choices)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "period_start", "period", "scope", "code", "metric"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period", "scope", "code", "metric"], name="target_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(
                condition=Q(scope=Scope.SEGMENT, segment__isnull=False, team__isnull=True, rep__isnull=True)
                | Q(scope=Scope.TEAM, team__isnull=False, segment__isnull=True, rep__isnull=True)
                | Q(scope=Scope.REP, rep__isnull=False, segment__isnull=True, team__isnull=True),
                name="target_one_scope",
            ),
        ]
        indexes = [models.Index(fields=["period", "scope"])]

    def __str__(self) -> str:
        return f"{self.period} {self.scope} {self.code} {self.metric}: {self.value}"


class TargetPlanEvent(models.Model):
    """What happened to a plan: created, changed, imported, approved by one lead, agreed, superseded."""

    plan = models.ForeignKey(TargetPlan, on_delete=models.CASCADE, related_name="events", verbose_name=_("plan"))
    action = models.CharField(_("action"), max_length=12, choices=PlanAction.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=PlanStatus.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("who"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("target plan event")
        verbose_name_plural = _("target plan events")

    def __str__(self) -> str:
        return f"{self.plan} {self.action}"


#: the roles whose people make contacts and so have a cost rate; the phone system's integration user
#: (Role.TELEPHONY) reports calls, it makes none
COSTED_ROLES = [(value, label) for value, label in Role.choices if value != Role.TELEPHONY]


class CostRate(models.Model):
    """The hourly cost of one role's working time (EUR), set by the sales lead."""

    role = models.CharField(_("role"), max_length=10, choices=COSTED_ROLES, unique=True)
    hourly_rate = models.DecimalField(_("cost per hour (EUR)"), max_digits=8, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        verbose_name = _("cost rate")
        verbose_name_plural = _("cost rates")
        constraints = [models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="costrate_positive")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.hourly_rate} €/h"


class RegionTravel(models.Model):
    """Travel time of a field visit in a region (there and back, minutes), set by the sales lead."""

    region = models.OneToOneField("org.Region", on_delete=models.CASCADE, related_name="travel",
                                  verbose_name=_("region"))
    travel_minutes = models.PositiveSmallIntegerField(_("travel time per visit (min)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["region"]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")

    def __str__(self) -> str:
        return f"{self.region}: {self.travel_minutes} min"


#: Used until the sales lead sets a rate or a travel time (EUR per hour; minutes).
DEFAULT_RATES = {
    Role.SALES_LEAD: Decimal("110"), Role.FIELD_REP: Decimal("85"), Role.INSIDE_LEAD: Decimal("70"),
    Role.INSIDE_AGENT: Decimal("50"), Role.MARKETING: Decimal("60"), Role.ADMIN: Decimal("55"),
}
DEFAULT_TRAVEL_MINUTES = 60
#: Time at the customer of one field visit (minutes), travel not included.
VISIT_MINUTES = 60
