"""Writes of the call log: log a call with its outcome, cross-sell, follow-up task and service order, and close the
work it did: a call in which the customer was reached completes the account's due planned contacts (care, welcome,
win-back and satisfaction calls) and the open tasks the agent ticked. The customer screen and
``POST /api/v1/calls`` both log through ``call_log_create``."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.calls import sources
from isf.calls.choices import REACHED_OUTCOMES, CallOutcome, Direction
from isf.calls.crosssell import cross_sell_refresh  # noqa: F401  (the nightly run's entry point lives here too)
from isf.calls.models import CallLog
from isf.planning.choices import OPEN_STATUSES, OWN_WORKFLOW_KINDS, Side, TaskKind, TaskOutcome
from isf.planning.models import Task
from isf.planning.selectors import tasks_a_call_fulfils
from isf.planning.services import task_create, tasks_complete_done_elsewhere


class CallLogError(Exception):
    """A call that cannot be logged; `field` names the form field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field
        self.message = message


EARLIEST_CALL = datetime(2000, 1, 1, tzinfo=UTC)  # an older start is a typing or clock error
WRAP_UP_MAX_SECONDS = 30 * 60  # a log later than this after the call's end counts this much wrap-up


def wrap_up_seconds(call: CallLog, logged_at: datetime) -> int | None:
    """The time from the call's end to the agent's log, at most WRAP_UP_MAX_SECONDS (None while it runs)."""
    if call.ended_at is None or logged_at < call.ended_at:
        return None
    return min(int((logged_at - call.ended_at).total_seconds()), WRAP_UP_MAX_SECONDS)


def call_start_check(started_at: datetime, *, now: datetime | None = None) -> None:
    """A call starts between 2000 and now (a minute of clock skew allowed); raises CallLogError otherwise."""
    now = now or timezone.now()
    if started_at.year < EARLIEST_CALL.year:
        raise CallLogError(_("Give a time from the year 2000 on."), "started_at")
    if timezone.is_naive(started_at):
        raise CallLogError(_("Give the time with its time zone."), "started_at")
    if started_at > now + timedelta(minutes=1):
        raise CallLogError(_("The call cannot start in the future."), "started_at")


@transaction.atomic
def call_log_create(
    *,
    agent,
    direction: str,
    outcome: str,
    account=None,
    contact=None,
    phone: str = "",
    note: str = "",
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    cross_sell_group=None,
    cross_sell_offered: bool = False,
    cross_sell_accepted: bool = False,
    follow_up_due: datetime | None = None,
    follow_up_note: str = "",
    service_code: str = "",
    task_ids=(),
    order_value=None,
    order_groups=(),
    call_id: str = "",
) -> CallLog:
    """Log one call; a follow-up task and a service order are created in the same transaction.

    A call in which the customer was reached (``REACHED_OUTCOMES``) completes the account's open planned contacts
    it fulfils (``tasks_a_call_fulfils``) and the account's open tasks ``task_ids`` the agent ticked; each gets the
    outcome "done by a logged call", the call's note and an event naming the call, and the call lists them in
    ``closed_tasks``.

    A call with the outcome "order taken" may carry the order's value (``order_value``, EUR) and product groups
    (``order_groups``); the ERP order is matched to it later (isf.calls.attribution), so it is counted once.

    ``call_id`` (the phone system's id, from the screen of a ringing call) makes this the same call as the phone
    system's events (``isf.calls.telephony``): the stored call gets the outcome and the rest, its measured times
    stay, and the time since its end is its wrap-up; an id none has arrived for yet starts the call, which the
    events complete later.
    """
    now = timezone.now()
    ended_at = ended_at or now
    started_at = started_at or ended_at
    if direction not in Direction.values:
        raise CallLogError(_("Choose inbound or outbound."), "direction")
    if outcome not in CallOutcome.values:
        raise CallLogError(_("Choose what came of the call."), "outcome")
    call_start_check(started_at, now=now)
    if started_at > ended_at:
        started_at = ended_at
    if contact is not None and (account is None or contact.account_id != account.pk):
        raise CallLogError(_("%(contact)s is not a contact of this account.") % {"contact": contact}, "contact")
    if cross_sell_group is not None:
        cross_sell_offered = True
    if cross_sell_accepted and not cross_sell_offered:
        raise CallLogError(_("cross-sell: a suggestion can only be accepted after it was offered"), "cross_sell_group")
    if (follow_up_due or service_code) and account is None:
        raise CallLogError(_("A follow-up needs a known account."), "account")
    ticked = _ticked_tasks(task_ids, account, outcome)
    order_value = _order_value(order_value, outcome, order_groups)
    if order_value is not None and account is None:
        raise CallLogError(_("account: an order taken by phone needs a known account"), "account")
    call_id = (call_id or "").strip()[:100]
    call = CallLog.objects.select_for_update().filter(call_id=call_id).first() if call_id else None
    if call is None:
        call = CallLog.objects.create(
            direction=direction, started_at=started_at, duration_seconds=int((ended_at - started_at).total_seconds()),
            team=getattr(agent, "team", None), agent=agent, account=account, contact=contact, phone=phone[:20],
            outcome=outcome, note=note, cross_sell_offered=cross_sell_offered,
            cross_sell_accepted=cross_sell_accepted, cross_sell_group=cross_sell_group, order_value=order_value,
            call_id=call_id,
        )
    else:
        _complete_telephony_call(call, agent=agent, outcome=outcome, account=account, contact=contact, phone=phone,
                                 note=note, cross_sell_offered=cross_sell_offered,
                                 cross_sell_accepted=cross_sell_accepted, cross_sell_group=cross_sell_group,
                                 order_value=order_value, now=now)
    if order_groups:
        call.order_groups.set(order_groups)
    if outcome in REACHED_OUTCOMES and account is not None:
        due = set(tasks_a_call_fulfils(account, timezone.localtime(started_at).date()).values_list("pk", flat=True))
        closed = tasks_complete_done_elsewhere(
            task_ids=due | ticked, user=agent, outcome=TaskOutcome.BY_CALL, note=note, by="call", ref=call.pk)
        call.closed_tasks.set(closed)
    if follow_up_due is not None:
        if follow_up_due < now - timedelta(days=1):
            raise CallLogError(_("follow-up: the date lies in the past"), "follow_up_due")
        task = task_create(
            kind=TaskKind.CALL_BACK, title=_("Call back: %(account)s") % {"account": account.name},
            due_at=follow_up_due, account=account, contact=contact, assignee=agent,
            team=getattr(agent, "team", None), side=Side.INSIDE, reason=follow_up_note or note[:300],
            reason_en=follow_up_note or note[:300], source="calls", source_id=str(call.pk), actor=agent,
        )
        call.follow_up_task = task
        call.save(update_fields=["follow_up_task"])
    if service_code:
        try:
            sources.service_order_create(code=service_code, account=account, requester=agent, contact=contact,
                                         note=note, source="call")
        except sources.ServiceOrderFailed as exc:
            raise CallLogError(str(exc), exc.field) from exc
    return call


@transaction.atomic
def task_complete_with_order(*, task, user, note: str = "", order_value=None, order_groups=()) -> CallLog:
    """The queue's outcome "sale" on a call task: the task is completed as a sale (its event written) and the order is
    logged as an outbound call with the outcome "order taken", its value and product groups (``order_groups``: ids
    or groups), so it reaches the customer's history and is matched to its ERP order (isf.calls.attribution)."""
    from isf.customers.models import ProductGroup
    from isf.planning.services import task_complete

    groups = [g if isinstance(g, ProductGroup) else None for g in order_groups]
    if None in groups:
        groups = list(ProductGroup.objects.filter(pk__in=list(order_groups)))
    task = task_complete(task=task, user=user, outcome=TaskOutcome.SALE, note=note)
    call = call_log_create(agent=user, direction=Direction.OUTBOUND, outcome=CallOutcome.ORDER, account=task.account,
                           contact=task.contact, note=note, order_value=order_value, order_groups=groups)
    call.closed_tasks.add(task)
    return call


ORDER_VALUE_MAX = Decimal("10000000000")  # 10 billion EUR: above this the value was mistyped


def _order_value(value, outcome: str, groups) -> Decimal | None:
    """The order value of a call, checked: only for "order taken", a number from 0 to 10 billion, in cents."""
    if value is None or value == "":
        if groups and outcome != CallOutcome.ORDER:
            raise CallLogError(_("product groups: only an order taken by phone has product groups"), "order_groups")
        return None
    if outcome != CallOutcome.ORDER:
        raise CallLogError(_("order value: only a call with the outcome \"order taken\" has an order value"),
                           "order_value")
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CallLogError(_("order value: give the amount in euros, e.g. 1250.00"), "order_value") from None
    if not value.is_finite() or value < 0 or value >= ORDER_VALUE_MAX:
        raise CallLogError(_("order value: give an amount from 0 to 10 billion euros"), "order_value")
    return value.quantize(Decimal("0.01"))


def _complete_telephony_call(call: CallLog, *, agent, outcome, account, contact, phone, note, cross_sell_offered,
                             cross_sell_accepted, cross_sell_group, order_value, now) -> None:
    """The agent's log of a call the phone system reported: what the agent knows, on the measured call."""
    unanswered = call.answered_at is None and call.outcome == CallOutcome.NO_ANSWER  # set by the events alone
    if call.note or (call.outcome and not unanswered):
        raise CallLogError(_("call: this call was logged already"), "call")
    call.outcome, call.note, call.contact = outcome, note, contact
    call.account = account or call.account
    call.agent = call.agent or agent
    call.team = call.team or getattr(agent, "team", None)
    call.phone = call.phone or phone[:20]
    call.cross_sell_offered, call.cross_sell_accepted = cross_sell_offered, cross_sell_accepted
    call.cross_sell_group = cross_sell_group
    call.order_value = order_value
    call.wrap_up_seconds = wrap_up_seconds(call, now)
    call.duration_seconds = (call.talk_seconds or 0) + (call.wrap_up_seconds or 0)
    call.save()


def _ticked_tasks(task_ids, account, outcome: str) -> set[int]:
    """The ids of the ticked tasks, checked: open tasks of this account without a workflow of their own."""
    try:
        wanted = {int(pk) for pk in task_ids or ()}
    except (TypeError, ValueError):
        raise CallLogError(_("Give the ids of the account's open tasks."), "tasks") from None
    if any(not 0 < pk < 2**63 for pk in wanted):
        raise CallLogError(_("Give the ids of the account's open tasks."), "tasks")
    if not wanted:
        return set()
    if account is None:
        raise CallLogError(_("Only a call with a known account completes tasks."), "tasks")
    if outcome not in REACHED_OUTCOMES:
        raise CallLogError(_("The customer was not reached, so the call took care of no task."), "tasks")
    found = set(Task.objects.filter(pk__in=wanted, account=account, status__in=OPEN_STATUSES)
                .exclude(kind__in=OWN_WORKFLOW_KINDS).values_list("pk", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise CallLogError(_("%(ids)s is not an open task of this account that a call can complete.")
                           % {"ids": ", ".join(str(pk) for pk in missing)}, "tasks")
    return found
