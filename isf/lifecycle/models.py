"""Customer lifecycle: the configurable phase rules and the record of every phase transition."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from isf.core.language import in_language
from isf.lifecycle.choices import Phase, PhaseSource


class LifecycleRules(models.Model):
    """The phase rules (one row): thresholds in days, editable by the sales lead."""

    new_days = models.PositiveSmallIntegerField(_("new customer: first order within (days)"), default=90)
    lost_days = models.PositiveSmallIntegerField(_("lost: no order for (days)"), default=365)
    won_back_days = models.PositiveSmallIntegerField(_("won back becomes active after (days)"), default=182)
    at_risk_factor = models.DecimalField(
        _("at risk: no order for more than … × the usual interval"), max_digits=4, decimal_places=1, default=2
    )
    at_risk_min_orders = models.PositiveSmallIntegerField(_("at risk: minimum orders for a usual interval"), default=3)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lifecycle rules")
        verbose_name_plural = _("lifecycle rules")
        constraints = [
            models.CheckConstraint(condition=Q(new_days__gte=1) & Q(new_days__lte=730), name="rules_new_days_range"),
            models.CheckConstraint(condition=Q(lost_days__gte=30) & Q(lost_days__lte=1825), name="rules_lost_days_range"),
            models.CheckConstraint(
                condition=Q(won_back_days__gte=1) & Q(won_back_days__lte=730), name="rules_won_back_days_range"
            ),
            models.CheckConstraint(
                condition=Q(at_risk_factor__gte=1) & Q(at_risk_factor__lte=20), name="rules_at_risk_factor_range"
            ),
        ]

    def __str__(self) -> str:
        return str(_("lifecycle rules"))

    @classmethod
    def current(cls) -> "LifecycleRules":
        rules = cls.objects.order_by("pk").first()
        return rules or cls.objects.create()


class PhaseChange(models.Model):
    """One transition of an account's lifecycle phase: from, to, why, when, and who or which rule."""

    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("account")
    )
    from_phase = models.CharField(_("from"), max_length=12, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=12, choices=Phase.choices)
    reason = models.CharField(_("reason"), max_length=300)
    reason_en = models.CharField(_("reason (English)"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), db_index=True)
    effective = models.DateField(
        _("effective"), null=True, blank=True, help_text=_("The day the data put the account into the phase")
    )
    source = models.CharField(_("source"), max_length=12, choices=PhaseSource.choices, default=PhaseSource.RULE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("who")
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        indexes = [models.Index(fields=["account", "at"]), models.Index(fields=["to_phase", "effective"])]
        constraints = [models.CheckConstraint(condition=~Q(from_phase=models.F("to_phase")), name="phasechange_changes")]

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"

    @property
    def reason_text(self) -> str:
        return in_language(self.reason, self.reason_en)

    @property
    def who(self) -> str:
        if self.actor_id:
            return str(self.actor)
        return str(self.get_source_display())
