"""Order-behaviour monitoring (C8), Django side: the model's view of each account, the flags, the runs.

The numbers come from the Django-free `isf_stats.purchase` package (BG/NBD, features, at-risk score);
this app reads the order lines, stores the results and turns new flags into work-queue tasks.
`AccountScore` is derived data, rewritten in full by every run; `Flag` is the durable record of
each irregularity: raised once, one task, resolved when the account orders again.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from isf.core.language import in_language
from isf.monitoring.choices import FlagCode, FlagStatus, Resolution, Trend


class AccountScore(models.Model):
    """The purchase model's view of one account as of the last monitoring run (one row per ordering account)."""

    account = models.OneToOneField(
        "customers.Account", primary_key=True, on_delete=models.CASCADE, related_name="purchase_score",
        verbose_name=_("account"),
    )
    as_of = models.DateField(_("as of"))
    n_orders = models.PositiveIntegerField(_("orders (distinct days)"))
    first_order = models.DateField(_("first order"))
    last_order = models.DateField(_("last order"))
    mean_interval_days = models.FloatField(_("usual interval (days)"), null=True, blank=True)
    p_alive = models.FloatField(_("probability still active"), null=True, blank=True)
    expected_orders_90d = models.FloatField(_("expected orders in the next 90 days"), null=True, blank=True)
    next_order_from = models.DateField(_("next order expected from"), null=True, blank=True)
    next_order_to = models.DateField(_("next order expected until"), null=True, blank=True)
    revenue_last_12m = models.FloatField(_("revenue last 12 months (EUR)"), default=0)
    revenue_prev_12m = models.FloatField(_("revenue 12 months before (EUR)"), default=0)
    trend = models.CharField(_("trend"), max_length=5, choices=Trend.choices)
    risk_score = models.FloatField(_("risk score"))
    overdue = models.FloatField(_("signal: overdue"), default=0)
    few_expected = models.FloatField(_("signal: few expected orders"), default=0)
    revenue_drop = models.FloatField(_("signal: revenue drop"), default=0)
    group_dropped = models.FloatField(_("signal: product group dropped"), default=0)

    class Meta:
        ordering = ["-risk_score"]
        verbose_name = _("purchase model result")
        verbose_name_plural = _("purchase model results")
        indexes = [models.Index(fields=["risk_score"])]
        constraints = [
            models.CheckConstraint(condition=Q(risk_score__gte=0) & Q(risk_score__lte=1), name="score_risk_0_1"),
            models.CheckConstraint(
                condition=Q(p_alive__isnull=True) | (Q(p_alive__gte=0) & Q(p_alive__lte=1)), name="score_p_alive_0_1"
            ),
            models.CheckConstraint(
                condition=Q(expected_orders_90d__isnull=True) | Q(expected_orders_90d__gte=0),
                name="score_expected_not_negative",
            ),
            models.CheckConstraint(condition=Q(last_order__gte=models.F("first_order")), name="score_order_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.risk_score:.2f}"


class Flag(models.Model):
    """One irregularity of an account (overdue order, revenue drop, ...) with its score and plain-language reason.

    At most one open flag per account and code. It is resolved when the account orders again; its task
    (and the key-account owner's notice) are closed then too.
    """

    account = models.ForeignKey(
        "customers.Account", on_delete=models.CASCADE, related_name="monitoring_flags", verbose_name=_("account")
    )
    code = models.CharField(_("flag"), max_length=20, choices=FlagCode.choices)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    score = models.FloatField(_("score"))
    risk_score = models.FloatField(_("risk score"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    reason_en = models.CharField(_("reason (English)"), max_length=300, blank=True)
    params = models.JSONField(_("details"), default=dict, blank=True)
    raised_on = models.DateField(_("raised on"), db_index=True)
    last_order = models.DateField(_("last order when raised"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)
    segment = models.ForeignKey(
        "segmentation.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("segment when raised"),
    )
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("inside team")
    )
    task = models.ForeignKey(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("task")
    )
    owner_task = models.ForeignKey(
        "planning.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("notice to the field rep"),
    )

    class Meta:
        ordering = ["-raised_on", "-score", "pk"]
        verbose_name = _("order-behaviour flag")
        verbose_name_plural = _("order-behaviour flags")
        indexes = [models.Index(fields=["status", "account"]), models.Index(fields=["raised_on", "code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "code"], condition=Q(status=FlagStatus.OPEN), name="flag_one_open_per_account_code"
            ),
            models.CheckConstraint(
                condition=Q(status=FlagStatus.OPEN) | Q(resolved_on__isnull=False), name="flag_resolved_has_date"
            ),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="flag_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.code} {self.raised_on}"

    @property
    def reason_text(self) -> str:
        return in_language(self.reason, self.reason_en)

    @property
    def dedupe_key(self) -> str:
        return alert_key(self.account_id, self.code)


def alert_key(account_id: int, code: str) -> str:
    """The work-queue dedupe key of the inside team's task for a flag."""
    return f"alert:{account_id}:{code}"


def owner_key(account_id: int, code: str) -> str:
    """The dedupe key of the key-account owner's notice for a flag."""
    return f"alert:{account_id}:{code}:owner"


class MonitorRun(models.Model):
    """One monitoring run over the whole base: what was read, fitted and written."""

    as_of = models.DateField(_("as of"), db_index=True)
    started_at = models.DateTimeField(_("started"))
    seconds = models.FloatField(_("seconds"), default=0)
    order_lines = models.PositiveIntegerField(_("order lines read"), default=0)
    accounts = models.PositiveIntegerField(_("accounts scored"), default=0)
    flags_raised = models.PositiveIntegerField(_("flags raised"), default=0)
    flags_resolved = models.PositiveIntegerField(_("flags resolved"), default=0)
    tasks_created = models.PositiveIntegerField(_("tasks created"), default=0)
    tasks_closed = models.PositiveIntegerField(_("tasks closed"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("monitoring run")
        verbose_name_plural = _("monitoring runs")

    def __str__(self) -> str:
        return f"{self.as_of} ({self.accounts} accounts)"


class FlagCalibration(models.Model):
    """Which flag kinds earn a call: the evaluation of the flags on a time split of the base's own orders
    (``isf.monitoring.evaluation``), kept so the nightly run raises only the kinds that beat their base rate."""

    evaluated_on = models.DateField(_("evaluated on"), db_index=True)
    cutoff = models.DateField(_("learned up to"))
    result = models.JSONField(_("result"), default=dict, blank=True)
    raised = models.JSONField(_("kinds raised"), default=dict, blank=True)

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("flag calibration")
        verbose_name_plural = _("flag calibrations")

    def __str__(self) -> str:
        return f"{self.evaluated_on} (cutoff {self.cutoff})"
