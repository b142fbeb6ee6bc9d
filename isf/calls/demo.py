"""Demo content for the call log and cross-selling.

Eight weeks of inbound and outbound calls per inside team with a weekday x time-of-day pattern
(Monday mornings busiest, Friday afternoons quiet), realistic durations and outcomes, cross-sell
offers and acceptances; and the cross-sell model fitted from the generated order lines.
"""

from datetime import datetime, time, timedelta

import numpy as np
from django.utils import timezone

from isf.calls import demo_telephony
from isf.calls.crosssell import cross_sell_store
from isf.calls.models import CallLog
from isf.customers.models import Account, PhoneNumber, ProductGroup
from isf.demo import catalog
from isf.demo.generator import products_per_group
from isf.org.models import User

WEEKS = 8
# calls per workday by team at the demo's size (scaled for small demos)
INBOUND_PER_DAY = {"KA": 35, "MP": 60, "SMB": 110, "CDP": 80}
WEEKDAY = [1.25, 1.05, 1.0, 0.95, 0.78]  # Mon..Fri
# share of the day's calls per hour 08..17 (double hump)
HOURS = np.array([0.07, 0.14, 0.15, 0.12, 0.07, 0.08, 0.12, 0.11, 0.09, 0.05])
INBOUND_OUTCOMES = (["order", "info", "quote", "complaint", "callback", "no_interest"], [0.30, 0.36, 0.12, 0.06, 0.10, 0.06])
OUTBOUND_OUTCOMES = (["no_answer", "voicemail", "info", "appointment", "order", "callback", "no_interest", "quote"],
                     [0.24, 0.10, 0.20, 0.10, 0.12, 0.10, 0.08, 0.06])
NOTES = ["Liefertermin bestätigt", "Preisauskunft gegeben", "Bestellung aufgenommen", "Rückruf vereinbart",
         "Muster angefragt", "Reklamation aufgenommen", "Angebot angefordert", "Ansprechpartner gewechselt"]


def load(ctx) -> None:
    _cross_sell(ctx)
    _extensions(ctx)  # before the calls: the phone system's events name the agents by extension
    _calls(ctx)
    demo_telephony.record_events(ctx)
    from isf.calls import demo_results

    demo_results.load(ctx)  # a year of orders taken by phone, and what inside sales brought in


def _extensions(ctx) -> None:
    """Phone extensions 201, 202, ... for the inside agents (id1 -> 201), as the phone system names them in its call
    events (docs/telephony.md); the integration user is created with a token when a phone system is connected."""
    agents = [u for name, u in ctx.users.items() if name.startswith("id") and name[2:].isdigit()]
    for user in agents:
        user.extension = str(200 + int(user.username[2:]))
    User.objects.bulk_update(agents, ["extension"])
    ctx.progress(f"phone extensions: {len(agents)} inside agents")


def _cross_sell(ctx) -> None:
    base = ctx.base
    sizes = np.array([len(items) for items in products_per_group()])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group_index = np.searchsorted(offsets, base.line_product, side="right") - 1
    accounts = base.order_account[base.line_order] + 1
    key = np.unique(accounts.astype(np.int64) * 1000 + group_index)
    by_code = dict(ProductGroup.objects.values_list("code", "pk"))
    group_ids = sorted(by_code.values())
    column = {pk: i for i, pk in enumerate(group_ids)}
    col_of_index = np.array([column[by_code[g[0]]] for g in catalog.PRODUCT_GROUPS])
    pairs = list(zip((key // 1000).tolist(), col_of_index[key % 1000].tolist(), strict=True))
    result = cross_sell_store(pairs=pairs, group_ids=group_ids, learned_until=ctx.today)
    ctx.progress(f"cross-sell model: {result['accounts']:,} accounts, {result['groups']} product groups")


def _calls(ctx) -> None:
    rng = np.random.default_rng(ctx.seed + 50)
    measured = np.random.default_rng(ctx.seed + 51)  # the phone system's figures: their own stream
    phones = dict(PhoneNumber.objects.filter(contact__isnull=True).order_by("account_id", "pk")
                  .values_list("account_id", "e164"))
    scale = ctx.volume_scale
    tz = timezone.get_current_timezone()
    groups = list(ProductGroup.objects.values_list("pk", flat=True))
    rows = []
    for code, team in ctx.teams.items():
        agents = list(User.objects.filter(team=team).values_list("pk", flat=True))
        account_ids = np.array(Account.objects.filter(team=team).values_list("pk", flat=True)[:50000])
        if not agents or account_ids.size == 0:
            continue
        per_day = INBOUND_PER_DAY.get(code, 50) * scale
        for d in range(WEEKS * 7, 0, -1):
            day = ctx.today - timedelta(days=d)
            if day.weekday() >= 5:
                continue
            for direction, factor in (("inbound", 1.0), ("outbound", 0.55)):
                n = int(rng.poisson(per_day * factor * WEEKDAY[day.weekday()]))
                hours = rng.choice(10, n, p=HOURS / HOURS.sum()) + 8
                minutes = rng.integers(0, 60, n)
                seconds = rng.integers(0, 60, n)
                outcomes, probs = INBOUND_OUTCOMES if direction == "inbound" else OUTBOUND_OUTCOMES
                picked = rng.choice(len(outcomes), n, p=probs)
                for k in range(n):
                    outcome = outcomes[int(picked[k])]
                    reached = outcome not in ("no_answer", "voicemail")
                    duration = int(np.clip(rng.lognormal(np.log(200 if reached else 25), 0.6), 10, 3600))
                    offered = reached and rng.random() < 0.22
                    accepted = offered and rng.random() < 0.27
                    started = datetime.combine(day, time(int(hours[k]), int(minutes[k]), int(seconds[k])), tzinfo=tz)
                    known = direction == "outbound" or rng.random() < 0.93
                    fields = {
                        "direction": direction, "started_at": started, "duration_seconds": duration, "team": team,
                        "agent_id": int(agents[int(rng.integers(len(agents)))]),
                        "account_id": int(account_ids[int(rng.integers(account_ids.size))]) if known else None,
                        "outcome": outcome, "note": NOTES[int(rng.integers(len(NOTES)))] if reached else "",
                        "cross_sell_offered": offered, "cross_sell_accepted": accepted,
                        "cross_sell_group_id": int(groups[int(rng.integers(len(groups)))]) if offered and groups
                        else None,
                    }
                    if direction == "inbound" and d <= demo_telephony.TELEPHONY_DAYS:
                        phone = (phones.get(fields["account_id"]) if known else None) or (
                            demo_telephony.unknown_number(measured))
                        fields.update(demo_telephony.telephony_fields(measured, call_no=len(rows) + 1,
                                                                      started=started, talk=duration, phone=phone))
                    rows.append(CallLog(**fields))
    CallLog.objects.bulk_create(rows, batch_size=2000)
    ctx.progress(f"calls: {len(rows):,} over {WEEKS} weeks")
