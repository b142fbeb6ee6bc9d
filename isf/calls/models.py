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
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from isf.calls.choices import CallOutcome, CallSource, Direction, TelephonyEventKind


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
