"""Demo content for what inside sales brings in: a year of orders taken by phone and their attribution.

The story: over the last twelve months inside sales turned from order desk into a sales unit. Each team takes a
share of its accounts' ERP orders by phone (C/D and SMB customers order by phone most, key accounts least), and
that share grows month by month as the teams call out actively. Each phone order is a call with the outcome
"order taken" a day or two before the ERP order, with the value the agent typed (a little off the ERP's
revenue: freight, discounts) and the order's product groups, already matched to its ERP order as the import would
have. Then the attribution is computed over the year, so the IDL's overview, the results page, the review pack and
the API show figures at once (at benchmark size the nightly run computes it).
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.db.models import Sum
from django.utils import timezone

from isf.calls.models import CallLog
from isf.customers.models import Order, OrderLine
from isf.org.choices import Role
from isf.org.models import User

DAYS = 365
#: the share of a team's ERP orders taken by phone at the end of the year (it starts at half of it)
PHONE_SHARE = {"KA": 0.06, "MP": 0.12, "SMB": 0.20, "CDP": 0.30}
LARGE_BASE = 20_000  # as isf.demo.services: bigger bases leave the attribution to the nightly run
NOTES = ["Bestellung telefonisch aufgenommen", "Nachbestellung wie zuletzt", "Bestellung nach Rückruf",
         "Auftrag mit Liefertermin aufgenommen"]


def load(ctx) -> None:
    calls = phone_orders(ctx)
    ctx.progress(f"phone orders: {calls:,} over the last year, matched to their ERP orders")
    if ctx.base.n <= LARGE_BASE:
        from isf.calls.attribution import attribution_refresh

        result = attribution_refresh(since=ctx.today - timedelta(days=DAYS), until=ctx.today, today=ctx.today)
        ctx.progress(f"attribution: {result['orders']:,} orders attributed to inside sales")


def phone_orders(ctx) -> int:
    rng = np.random.default_rng(ctx.seed + 77)
    tz = timezone.get_current_timezone()
    since = ctx.today - timedelta(days=DAYS)
    taken = set(CallLog.objects.filter(matched_order__isnull=False).values_list("matched_order_id", flat=True))
    chosen = []  # (order id, account id, order date, team, agents)
    for code, team in ctx.teams.items():
        agents = list(User.objects.filter(team=team, role=Role.INSIDE_AGENT, is_active=True)
                      .values_list("pk", flat=True))
        if not agents:
            continue
        rows = list(Order.objects.filter(account__team=team, date__gt=since, date__lte=ctx.today)
                    .values_list("pk", "account_id", "date"))
        if not rows:
            continue
        age = np.array([(ctx.today - day).days for _pk, _acct, day in rows])
        share = PHONE_SHARE.get(code, 0.15) * (1.0 - 0.5 * age / DAYS)  # half the share a year ago, all of it now
        pick = rng.random(len(rows)) < share
        chosen += [(rows[i][0], rows[i][1], rows[i][2], team, agents) for i in np.flatnonzero(pick)
                   if rows[i][0] not in taken]
    if not chosen:
        return 0
    ids = [c[0] for c in chosen]
    revenue, groups = {}, defaultdict(set)
    for start in range(0, len(ids), 5000):
        part = ids[start:start + 5000]
        revenue.update(OrderLine.objects.filter(order_id__in=part).values("order_id").annotate(r=Sum("net_revenue"))
                       .values_list("order_id", "r"))
        for order_id, group_id in (OrderLine.objects.filter(order_id__in=part)
                                   .values_list("order_id", "product__group_id").distinct()):
            groups[order_id].add(group_id)
    lags = rng.choice(3, len(chosen), p=[0.6, 0.3, 0.1])
    hours, minutes = rng.integers(8, 17, len(chosen)), rng.integers(0, 60, len(chosen))
    drift = rng.uniform(0.97, 1.03, len(chosen))
    calls = []
    for k, (order_id, account_id, day, team, agents) in enumerate(chosen):
        call_day = day - timedelta(days=int(lags[k]))
        while call_day.weekday() >= 5:
            call_day -= timedelta(days=1)
        typed = (Decimal(revenue.get(order_id) or 0) * Decimal(str(round(float(drift[k]), 3)))).quantize(
            Decimal("0.01"))
        calls.append(CallLog(
            direction="inbound" if k % 3 else "outbound",
            started_at=datetime.combine(call_day, time(int(hours[k]), int(minutes[k])), tzinfo=tz),
            duration_seconds=int(120 + rng.integers(0, 480)), team=team, agent_id=int(agents[k % len(agents)]),
            account_id=account_id, outcome="order", note=NOTES[k % len(NOTES)], order_value=typed,
            matched_order_id=order_id))
    CallLog.objects.bulk_create(calls, batch_size=2000)
    through = CallLog.order_groups.through
    through.objects.bulk_create(
        [through(calllog_id=call.pk, productgroup_id=g) for call in calls for g in sorted(groups[call.matched_order_id])],
        batch_size=5000)
    return len(calls)
