"""Choices of the internal service firm: order status, SLA state, decision kinds."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy


class OrderStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for requester")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: The SLA clock runs in these states; it pauses while waiting and stops at the end.
RUNNING_STATUSES = (OrderStatus.NEW, OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS)
OPEN_STATUSES = (*RUNNING_STATUSES, OrderStatus.WAITING)
FINAL_STATUSES = (OrderStatus.DONE, OrderStatus.REJECTED, OrderStatus.CANCELLED)

#: target status -> allowed source statuses (the workflow of the issue).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.ACCEPTED: (OrderStatus.NEW,),
    OrderStatus.IN_PROGRESS: (OrderStatus.ACCEPTED, OrderStatus.WAITING),
    OrderStatus.WAITING: (OrderStatus.IN_PROGRESS,),
    OrderStatus.DONE: (OrderStatus.IN_PROGRESS,),
    OrderStatus.REJECTED: OPEN_STATUSES,
    OrderStatus.CANCELLED: OPEN_STATUSES,
}


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    BREACHED = "breached", _("Breached")


class TargetUnit(models.TextChoices):
    # a context of their own: the root catalog's "business hours" are a team's opening hours (Geschäftszeiten)
    HOURS = "hours", pgettext_lazy("service level unit", "business hours")
    DAYS = "days", pgettext_lazy("service level unit", "business days")


class SlaSource(models.TextChoices):
    """Where an order's service level came from when it was received."""

    SEGMENT = "segment", _("the segment's own target")
    CONTRACT = "contract", _("default of the contract")
    CATALOG = "catalog", _("service catalog (not in the contract)")


def service_level_text(value, unit: str) -> str:
    """A service level as people read it: '4 Geschäftsstunden', '1 Geschäftstag' / '1 business day', '2,5 …'."""
    from isf.core.numbers import format_number

    number = Decimal(value).normalize()
    shown = format_number(number, max(-number.as_tuple().exponent, 0))
    count = int(number) if number == number.to_integral_value() else 2  # a fraction reads as plural
    if unit == TargetUnit.DAYS:
        return ngettext("%(n)s business day", "%(n)s business days", count) % {"n": shown}
    return ngettext("%(n)s business hour", "%(n)s business hours", count) % {"n": shown}


class InputType(models.TextChoices):
    TEXT = "text", _("Text")
    TEXTAREA = "textarea", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")


class EventAction(models.TextChoices):
    CREATED = "created", _("created")
    TRANSITION = "transition", _("status changed")
    STEP = "step", _("step ticked")
    DECISION = "decision", _("decision")
    RATED = "rated", _("rated")
    ESCALATED = "escalated", _("SLA notice")


class DecisionKind(models.TextChoices):
    DISCOUNT = "discount", _("Discount (%)")
    GOODWILL = "goodwill", _("Goodwill credit (EUR)")
    PAYMENT_TERM = "payment_term", _("Payment-term extension (days)")


class DecisionStatus(models.TextChoices):
    WITHIN_RIGHTS = "within", _("Decided by inside sales (within rights)")
    PENDING = "pending", _("Awaiting owner approval")
    APPROVED = "approved", _("Approved by owner")
    DECLINED = "declined", _("Declined by owner")


class NotificationKind(models.TextChoices):
    """What an in-app notification is about; the page shows the label in its language."""

    ORDER_DONE = "order_done", _("Your order is done")
    ORDER_WAITING = "order_waiting", _("Your order needs your input")
    APPROVAL_REQUESTED = "approval_asked", _("Your approval is requested")
    APPROVAL_ANSWERED = "approval_done", _("Approval answered")
    SLA = "sla", _("SLA notice")
    CUSTOMER_NEED = "customer_need", _("Your customer has a need")
    POTENTIAL = "potential", _("New potential estimate for your customer")
    CUSTOMER_CONTACT = "customer_contact", _("New or changed contact at your customer")
