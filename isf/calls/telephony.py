"""Calls from the phone system: its events (``ringing``, ``answered``, ``ended``, ``missed``) make one call.

Every event of a call (the phone system's ``call_id``) is stored once (``TelephonyEvent``, unique by call id and
event), and after each one the call (``CallLog``, ``source`` telephony) is computed again from all events the call
has so far - so events that arrive out of order end in the same call as events in order:

* started = the earliest event (normally ``ringing``); answered = ``answered``; ended = ``ended`` (or ``missed``);
* wait = answered (or, unanswered, missed/ended) - started; talk = ended - answered;
* the agent is the one named by ``ended``, else ``answered``, else ``ringing``/``missed`` (a transferred call ends
  with the agent who took it last); the team is the agent's, else the account's, else the inbound team of the
  dialled number (:func:`inbound_team`: the team having that number, else the default inbound team, else the first
  team by code) - so a missed call from a number nobody knows still reaches a team's queue;
* the customer's number is ``from`` of an inbound call, ``to`` of an outbound one; the account is the one
  customer having that number (a number nobody has, or several accounts share, is kept on the call for a later
  lead);
* a call ended without an answer, or missed, is "not reached"; a missed inbound call becomes one callback task
  for the team, ranked in the work queue like every task (``task_create`` -> ``isf.planning.priority``).

The agent's log from the customer screen of a ringing call (``call_log_create`` with ``call_id``) adds outcome,
note and the rest to this same call; the time from the end of the call to that log is its wrap-up (at most
``services.WRAP_UP_MAX_SECONDS``), and the call's ``duration_seconds`` is its handling time, talk plus wrap-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from isf.calls import lookup
from isf.calls.choices import CallOutcome, CallSource, Direction, TelephonyEventKind
from isf.calls.models import CallLog, TelephonyEvent
from isf.calls.services import EARLIEST_CALL
from isf.customers.models import Account
from isf.customers.phones import PhoneParseError, to_e164
from isf.org.choices import Role
from isf.planning.choices import Side, TaskKind
from isf.planning.services import task_create

#: the phone system's short directions and the stored ones
DIRECTIONS = {"in": Direction.INBOUND, "out": Direction.OUTBOUND,
              Direction.INBOUND.value: Direction.INBOUND, Direction.OUTBOUND.value: Direction.OUTBOUND}
CLOCK_SKEW = timedelta(minutes=1)  # an event this far in the future is a clock difference, not an error
CALLBACK_DUE = timedelta(hours=1)  # a missed call is called back within the hour
#: (later, earlier): the later event of a call cannot lie before the earlier one
SEQUENCE = ((TelephonyEventKind.ANSWERED, TelephonyEventKind.RINGING), (TelephonyEventKind.ENDED, TelephonyEventKind.RINGING),
            (TelephonyEventKind.ENDED, TelephonyEventKind.ANSWERED), (TelephonyEventKind.MISSED, TelephonyEventKind.RINGING))


class TelephonyError(Exception):
    """An event that cannot be taken: ``field`` names the key, ``status`` the HTTP answer (422, 409 or 403)."""

    def __init__(self, message: str, field: str, status: int = 422):
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


@dataclass
class EventResult:
    call: CallLog
    event: TelephonyEvent
    duplicate: bool  # the same event was received before: nothing changed
    callback: object | None = None  # the callback task a missed call created


def agent_by_ref(ref: str):
    """The active user with this user name or phone extension, or None."""
    ref = (ref or "").strip()
    if not ref:
        return None
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(username=ref).first() or users.filter(extension=ref).first()


def _customer_number(direction: str, from_number: str, to_number: str) -> str:
    return from_number if direction == Direction.INBOUND else to_number


def phone_e164(raw: str) -> str:
    """The number as E.164 when it is one, else as sent (cut to the call's 20 characters)."""
    raw = lookup.phone_from_param(raw or "").strip()
    try:
        return to_e164(raw)[:20] if raw else ""
    except PhoneParseError:
        return raw[:20]


def account_for_number(number: str):
    """The one account having this number (any account: the phone system serves everyone), else None."""
    if not number:
        return None
    found = lookup.by_phone(Account.objects.all(), number)
    return found.account if not found.error else None


def inbound_team(dialled: str):
    """The team an inbound call to this number belongs to when neither agent nor customer tell: the team that lists
    the number among its ``inbound_numbers``, else the default inbound team, else the first team by code (None only
    without any team). The one rule for calls nobody took from callers nobody knows."""
    from isf.org.models import Team

    number = phone_e164(dialled) if dialled else ""
    teams = list(Team.objects.order_by("code"))
    if number:
        for team in teams:
            if number in {phone_e164(n) for n in team.inbound_numbers.split(",") if n.strip()}:
                return team
    return next((t for t in teams if t.inbound_default), teams[0] if teams else None)


def _check(*, call_id: str, event: str, at: datetime, direction: str, now: datetime) -> None:
    if not call_id or len(call_id) > 100 or not call_id.isprintable():
        raise TelephonyError("call_id: give the phone system's id of the call (1 to 100 characters)", "call_id")
    if event not in TelephonyEventKind.values:
        raise TelephonyError(f"event: {event!r} is none of ringing, answered, ended, missed", "event")
    if direction not in DIRECTIONS:
        raise TelephonyError(f"direction: {direction!r} is neither in nor out", "direction")
    if timezone.is_naive(at):
        raise TelephonyError(f"at: event {event} of call {call_id} needs its time zone offset", "at")
    if at < EARLIEST_CALL:
        raise TelephonyError(f"at: event {event} of call {call_id} lies before the year 2000", "at")
    if at > now + CLOCK_SKEW:
        raise TelephonyError(f"at: event {event} of call {call_id} lies in the future ({at.isoformat()})", "at")


def _check_sequence(call_id: str, events: dict[str, TelephonyEvent]) -> None:
    """The events of one call must fit together: answered and missed exclude each other, times run forward."""
    if TelephonyEventKind.ANSWERED in events and TelephonyEventKind.MISSED in events:
        raise TelephonyError(f"event: call {call_id} cannot be both answered and missed", "event", 409)
    directions = {e.direction for e in events.values()}
    if len(directions) > 1:
        raise TelephonyError(f"direction: the events of call {call_id} name both directions", "direction", 409)
    for later, earlier in SEQUENCE:
        if later in events and earlier in events and events[later].at < events[earlier].at:
            raise TelephonyError(f"at: event {later} of call {call_id} ({events[later].at.isoformat()}) lies "
                                 f"before its {earlier} ({events[earlier].at.isoformat()})", "at")


@transaction.atomic
def telephony_event_record(*, call_id: str, event: str, at: datetime, direction: str, from_number: str = "",
                           to_number: str = "", agent: str = "", posted_by=None,
                           now: datetime | None = None) -> EventResult:
    """Store one event of the phone system and compute its call again from all its events (module docstring).

    The same event again (same call id, event and time) changes nothing (``duplicate``); the same event with
    another time or agent is a conflict (409). A user who is not the phone system's integration user (or an admin)
    may post events only for calls of his own extension (403)."""
    now = now or timezone.now()
    call_id, agent = (call_id or "").strip(), (agent or "").strip()
    _check(call_id=call_id, event=event, at=at, direction=direction, now=now)
    direction = DIRECTIONS[direction]
    user = agent_by_ref(agent)
    if agent and user is None:
        raise TelephonyError(f"agent: no user has the user name or extension {agent!r} (event {event} of call "
                             f"{call_id})", "agent")
    if posted_by is not None and posted_by.role not in {Role.TELEPHONY, Role.ADMIN}:  # no superuser bypass
        if user is None or user.pk != posted_by.pk:
            raise TelephonyError("agent: you may post events only for calls of your own extension", "agent", 403)
    stored = {e.event: e for e in TelephonyEvent.objects.select_for_update().filter(call_id=call_id)}
    if event in stored:
        old = stored[event]
        if old.at == at and old.agent_id == (user.pk if user else None):
            return EventResult(call=old.call_log, event=old, duplicate=True)
        raise TelephonyError(f"event: {event} of call {call_id} was received before with another time or agent "
                             f"({old.at.isoformat()}, {old.agent_ref or 'no agent'})", "event", 409)
    row = TelephonyEvent(call_id=call_id, event=event, at=at, direction=direction, from_number=from_number[:40],
                         to_number=to_number[:40], agent_ref=agent[:150], agent=user, posted_by=posted_by)
    _check_sequence(call_id, {**stored, event: row})
    call = CallLog.objects.select_for_update().filter(call_id=call_id).first()
    if call is None:
        call = CallLog(call_id=call_id, source=CallSource.TELEPHONY, direction=direction, started_at=at,
                       outcome="")
    row.call_log = call
    _apply(call, {**stored, event: row})
    try:
        with transaction.atomic():
            call.save()
            row.call_log = call
            row.save()
    except IntegrityError:  # another request stored this event (or created this call) at the same moment
        raise TelephonyError(f"event: {event} of call {call_id} is being received twice at once; send it again",
                             "event", 409) from None
    callback = _callback(call, row) if event == TelephonyEventKind.MISSED and direction == Direction.INBOUND else None
    return EventResult(call=call, event=row, duplicate=False, callback=callback)


def _apply(call: CallLog, events: dict[str, TelephonyEvent]) -> None:
    """Set the call's times, numbers, agent and account from all its events (see the module docstring)."""
    ringing, answered = events.get(TelephonyEventKind.RINGING), events.get(TelephonyEventKind.ANSWERED)
    ended, missed = events.get(TelephonyEventKind.ENDED), events.get(TelephonyEventKind.MISSED)
    first = min(events.values(), key=lambda e: e.at)
    call.source = CallSource.TELEPHONY
    call.direction = first.direction
    call.started_at = first.at
    call.answered_at = answered.at if answered else None
    finished = ended or missed
    call.ended_at = max(e.at for e in (ended, missed) if e) if finished else None
    waited_until = answered.at if answered else (call.ended_at if finished else None)
    call.wait_seconds = int((waited_until - call.started_at).total_seconds()) if waited_until else None
    call.talk_seconds = int((ended.at - answered.at).total_seconds()) if answered and ended else None
    call.duration_seconds = (call.talk_seconds or 0) + (call.wrap_up_seconds or 0)
    by_agent = next((e for e in (ended, answered, ringing, missed) if e and e.agent_id), None)
    if by_agent is not None:
        call.agent = by_agent.agent
    numbered = next((e for e in (ringing, answered, ended, missed) if e and (e.from_number or e.to_number)), None)
    if numbered is not None and not call.phone:
        call.phone = phone_e164(_customer_number(call.direction, numbered.from_number, numbered.to_number))
    if call.account_id is None and call.phone:
        call.account = account_for_number(call.phone)
    call.team = (call.agent.team if call.agent is not None and call.agent.team_id else None) or (
        call.account.team if call.account is not None else None)
    if call.team is None and call.direction == Direction.INBOUND:
        dialled = next((e.to_number for e in (ringing, answered, ended, missed) if e and e.to_number), "")
        call.team = inbound_team(dialled)
    if finished and not answered and call.outcome == "":
        call.outcome = CallOutcome.NO_ANSWER
    elif answered and call.outcome == CallOutcome.NO_ANSWER and not call.note:  # "ended" came before "answered"
        call.outcome = ""


def _callback(call: CallLog, missed: TelephonyEvent):
    """The callback task of a missed inbound call: one per call, for the team, due within the hour."""
    who = call.account.name if call.account is not None else call.phone or "?"
    local = timezone.localtime(missed.at)
    reason = f"Missed call at {local:%d.%m.%Y %H:%M} from {call.phone or '?'}"
    return task_create(
        kind=TaskKind.CALL_BACK, title=f"Rückruf: {who}", title_en=f"Call back: {who}",
        due_at=missed.at + CALLBACK_DUE, account=call.account, team=call.team, side=Side.INSIDE,
        reason=f"Verpasster Anruf am {local:%d.%m.%Y um %H:%M} von {call.phone or '?'}", reason_en=reason,
        source="telephony", source_id=str(call.pk), dedupe_key=f"missed-call:{call.call_id}",
    )


def telephony_call(call_id: str) -> CallLog | None:
    """The call of the phone system with this id, if any event of it has arrived (or the agent logged it)."""
    call_id = (call_id or "").strip()
    return CallLog.objects.filter(call_id=call_id).first() if call_id else None
