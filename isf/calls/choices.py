from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class CallOutcome(models.TextChoices):
    """What came of a call; 'reached' outcomes count as a conversation."""

    ORDER = "order", _("Order taken")
    INFO = "info", _("Information given")
    QUOTE = "quote", _("Quote requested")
    COMPLAINT = "complaint", _("Complaint")
    APPOINTMENT = "appointment", _("Appointment set")
    CALLBACK = "callback", _("Call back agreed")
    NO_INTEREST = "no_interest", _("No interest")
    NO_ANSWER = "no_answer", _("Not reached")
    VOICEMAIL = "voicemail", _("Voicemail")


REACHED_OUTCOMES = frozenset({"order", "info", "quote", "complaint", "appointment", "callback", "no_interest"})


class AttributionRule(models.TextChoices):
    """Why an order counts as brought in by inside sales; the order of the members is the precedence (the first
    rule that claims an order wins, see isf.calls.attribution)."""

    PHONE_ORDER = "phone_order", _("Order taken by phone")
    QUOTE_WON = "quote_won", _("Quote followed up and won")
    CROSS_SELL = "cross_sell", _("Cross-sell accepted on a call")
    WIN_BACK = "win_back", _("Win-back or reactivation call")


class CallSource(models.TextChoices):
    """Who recorded the call: the phone system's events or an agent by hand."""

    TELEPHONY = "telephony", _("Phone system")
    MANUAL = "manual", _("Logged by hand")


class TelephonyEventKind(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("Answered")
    ENDED = "ended", _("Ended")
    MISSED = "missed", _("Missed")
