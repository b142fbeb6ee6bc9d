"""The call log and the cross-sell model.

A CallLog row is one phone call of inside sales (inbound or outbound) with its start time,
duration, team and agent: it documents the customer contact and is the data source for the call
volumes per interval of the capacity planning. A call the phone system reported (``source`` telephony,
``call_id`` its id) carries the measured answer and end times, wait, talk and wrap-up seconds; its
``duration_seconds`` is the handling time, talk plus wrap-up. The events themselves are TelephonyEvent rows. ``closed_tasks`` are the work-queue tasks the call
completed (the planned contacts it fulfilled and those the agent ticked). Cross-sell offers and acceptances on calls are
counted for the KPI reports.

A CrossSellModel row is one refresh of the co-occurrence model (isf_stats.crosssell), stored as
compressed numpy arrays; the newest row is the one in use.

A call with the outcome "order taken" records the order's value and product groups; ``matched_order`` is the ERP
order it was matched to when the import brought it (isf.calls.attribution). An Attribution row is one order
counted as brought in by inside sales, with the one rule and the call, task or quote that claimed it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from isf.calls.choices import AttributionRule, CallOutcome, CallSource, Direction, TelephonyEventKind


class CallLog(models.Model):
    """One phone call of inside sales with a customer (or an unknown caller)."""

    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    started_at = models.DateTimeField(_("started"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    team = models.ForeignKey(
        "org.Team", verbose_name=_("inside team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="calls",
    )
    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="calls",
    )
    contact = models.ForeignKey(
        "customers.Contact", verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="calls",
    )
    phone = models.CharField(_("phone number (E.164)"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallOutcome.choices, blank=True,
                               help_text=_("Empty while a call of the phone system waits for the agent's log"))
    source = models.CharField(_("source"), max_length=10, choices=CallSource.choices, default=CallSource.MANUAL)
    call_id = models.CharField(_("call id of the phone system"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("wait (seconds)"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("talk (seconds)"), null=True, blank=True)
    wrap_up_seconds = models.PositiveIntegerField(_("wrap-up (seconds)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    cross_sell_offered = models.BooleanField(_("cross-sell offered"), default=False)
    cross_sell_accepted = models.BooleanField(_("cross-sell accepted"), default=False)
    cross_sell_group = models.ForeignKey(
        "customers.ProductGroup", verbose_name=_("cross-sell product group"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    order_value = models.DecimalField(_("order value (EUR)"), max_digits=12, decimal_places=2, null=True,
                                      blank=True)
    order_groups = models.ManyToManyField("customers.ProductGroup", verbose_name=_("product groups ordered"),
                                          blank=True, related_name="+")
    matched_order = models.ForeignKey(
        "customers.Order", verbose_name=_("ERP order"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="phone_calls",
    )
    follow_up_task = models.ForeignKey(
        "planning.Task", verbose_name=_("follow-up task"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_tasks = models.ManyToManyField(
        "planning.Task", verbose_name=_("tasks the call completed"), blank=True, related_name="closing_calls",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            models.Index(fields=["team", "started_at"]),
            models.Index(fields=["account", "started_at"]),
            models.Index(fields=["started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cross_sell_accepted=False) | Q(cross_sell_offered=True),
                name="call_accepted_needs_offer",
            ),
            models.CheckConstraint(
                condition=Q(order_value__isnull=True) | Q(outcome=CallOutcome.ORDER, order_value__gte=0),
                name="call_order_value_only_for_orders",
            ),
            models.UniqueConstraint(fields=["matched_order"], condition=Q(matched_order__isnull=False),
                                    name="call_one_call_per_erp_order"),
            models.UniqueConstraint(fields=["call_id"], condition=~Q(call_id=""), name="call_one_per_telephony_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def outcome_label(self) -> str:
        """The outcome in the page language; a call of the phone system the agent has not logged yet says so."""
        return self.get_outcome_display() if self.outcome else str(_("not logged yet"))

    @property
    def measured_text(self) -> str:
        """'wait 0:12 · talk 4:00 · wrap-up 1:30' for a call of the phone system ('' for one logged by hand)."""
        parts = [(_("wait"), self.wait_seconds), (_("talk"), self.talk_seconds), (_("wrap-up"), self.wrap_up_seconds)]
        return " · ".join(f"{label} {value // 60}:{value % 60:02d}" for label, value in parts if value is not None)


class TelephonyEvent(models.Model):
    """One event of the phone system about a call (``call_id``); a call has each event at most once."""

    call_id = models.CharField(_("call id"), max_length=100)
    event = models.CharField(_("event"), max_length=10, choices=TelephonyEventKind.choices)
    at = models.DateTimeField(_("at"))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    from_number = models.CharField(_("from"), max_length=40, blank=True)
    to_number = models.CharField(_("to"), max_length=40, blank=True)
    agent_ref = models.CharField(_("agent as sent"), max_length=150, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    call_log = models.ForeignKey(CallLog, verbose_name=_("call"), on_delete=models.CASCADE, related_name="events")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["call_id", "at", "pk"]
        verbose_name = _("telephony event")
        verbose_name_plural = _("telephony events")
        constraints = [
            models.UniqueConstraint(fields=["call_id", "event"], name="telephony_event_once_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.event} {self.at:%Y-%m-%d %H:%M:%S}"


class CrossSellModel(models.Model):
    """One refresh of the product-group co-occurrence model; the newest is used."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    learned_until = models.DateField(_("orders up to"))
    n_accounts = models.PositiveIntegerField(_("accounts"))
    group_ids = models.JSONField(_("product group ids (column order)"))
    data = models.BinaryField(_("model arrays"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cross-sell model")
        verbose_name_plural = _("cross-sell models")

    def __str__(self) -> str:
        return f"{self.learned_until} ({self.n_accounts} accounts)"


class Attribution(models.Model):
    """One ERP order counted as brought in by inside sales: by one rule, claimed by one call, task or quote.

    Computed by isf.calls.attribution (nightly and after every order import) and stored so the figures per agent,
    team, segment and month are sums over an index. One row per order: an order is attributed once.
    """

    order = models.OneToOneField("customers.Order", verbose_name=_("order"), on_delete=models.CASCADE,
                                 related_name="attribution")
    account = models.ForeignKey("customers.Account", verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="+")
    order_date = models.DateField(_("order date"))
    rule = models.CharField(_("rule"), max_length=12, choices=AttributionRule.choices)
    call = models.ForeignKey(CallLog, verbose_name=_("call"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="attributions")
    task = models.ForeignKey("planning.Task", verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    quote = models.ForeignKey("customers.Quote", verbose_name=_("quote"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("org.Team", verbose_name=_("inside team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    segment = models.ForeignKey("segmentation.Segment", verbose_name=_("segment"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    revenue = models.DecimalField(_("attributed revenue (EUR)"), max_digits=14, decimal_places=2)
    margin = models.DecimalField(_("attributed margin (EUR)"), max_digits=14, decimal_places=2)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        ordering = ["-order_date", "-pk"]
        verbose_name = _("attributed order")
        verbose_name_plural = _("attributed orders")
        indexes = [models.Index(fields=["order_date", "team"], name="attribution_date_team")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(call__isnull=False, task__isnull=True, quote__isnull=True)
                           | Q(call__isnull=True, task__isnull=False, quote__isnull=True)
                           | Q(call__isnull=True, task__isnull=True, quote__isnull=False)),
                name="attribution_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.rule}"
