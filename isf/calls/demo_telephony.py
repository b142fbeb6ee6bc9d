"""The demo's phone system: the inbound calls of the last two weeks came in as telephony events.

Each such call has the phone system's id, its real start, answer and end, wait, talk and wrap-up seconds, and its
events (ringing, answered, ended - or ringing, missed) as a connector would have posted them, so the capacity
page's intervals and volumes for recent weeks are measured rather than imported. A missed call of the last
workday has its open callback task, made by the same rule as a live missed event
(``isf.calls.telephony._callback``); older ones were called back. Deterministic: its own random stream.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.utils import timezone

from isf.calls.models import CallLog, TelephonyEvent

TELEPHONY_DAYS = 14  # the phone system was connected two weeks before the demo's today
MISSED_SHARE = 0.05  # callers who hung up before anyone answered


def telephony_fields(rng: np.random.Generator, *, call_no: int, started, talk: int, phone: str) -> dict:
    """The measured fields of one inbound call that came in through the phone system."""
    if rng.random() < MISSED_SHARE:
        wait = int(np.clip(rng.lognormal(np.log(40), 0.5), 5, 240))
        return {"source": "telephony", "call_id": f"demo-{call_no}", "phone": phone, "outcome": "no_answer",
                "note": "", "answered_at": None, "ended_at": started + timedelta(seconds=wait), "wait_seconds": wait,
                "talk_seconds": None, "wrap_up_seconds": None, "duration_seconds": 0,
                "cross_sell_offered": False, "cross_sell_accepted": False, "cross_sell_group_id": None}
    wait = int(np.clip(rng.lognormal(np.log(18), 0.7), 2, 300))
    wrap_up = int(np.clip(rng.lognormal(np.log(50), 0.5), 5, 600))
    answered = started + timedelta(seconds=wait)
    return {"source": "telephony", "call_id": f"demo-{call_no}", "phone": phone, "answered_at": answered,
            "ended_at": answered + timedelta(seconds=talk), "wait_seconds": wait, "talk_seconds": talk,
            "wrap_up_seconds": wrap_up, "duration_seconds": talk + wrap_up}


def unknown_number(rng: np.random.Generator) -> str:
    """A German landline nobody in the demo has (a later lead)."""
    return f"+49{int(rng.choice([30, 40, 69, 89, 221, 351, 511, 711, 911]))}{int(rng.integers(2_000_000, 9_999_999))}"


def record_events(ctx) -> None:
    """The events of the demo's telephony calls, and the callback tasks of the most recent missed ones."""
    from isf.calls.telephony import _callback, phone_e164

    calls = list(CallLog.objects.filter(source="telephony", call_id__startswith="demo-")
                 .select_related("agent", "team", "account").order_by("started_at", "pk"))
    lines = {code: phone_e164(team.inbound_numbers.split(",")[0]) for code, team in ctx.teams.items()
             if team.inbound_numbers}
    events = []
    for call in calls:
        ext = call.agent.extension if call.agent_id else ""
        base = {"call_id": call.call_id, "direction": "inbound", "from_number": call.phone,
                "to_number": lines.get(call.team.code, "") if call.team_id else "", "call_log": call}
        events.append(TelephonyEvent(event="ringing", at=call.started_at, agent_ref=ext, agent=call.agent, **base))
        if call.answered_at is None:
            events.append(TelephonyEvent(event="missed", at=call.ended_at, **base))
        else:
            events.append(TelephonyEvent(event="answered", at=call.answered_at, agent_ref=ext, agent=call.agent,
                                         **base))
            events.append(TelephonyEvent(event="ended", at=call.ended_at, agent_ref=ext, agent=call.agent, **base))
    TelephonyEvent.objects.bulk_create(events, batch_size=2000)
    missed = list(TelephonyEvent.objects.filter(event="missed", call_id__startswith="demo-").order_by("at"))
    last_day = timezone.localdate(missed[-1].at) if missed else None
    missed = {e.call_id: e for e in missed if timezone.localdate(e.at) == last_day}
    tasks = [_callback(call, missed[call.call_id]) for call in calls if call.call_id in missed]
    ctx.progress(f"phone system: {len(calls):,} calls with {len(events):,} events, {len(tasks)} callbacks open")
