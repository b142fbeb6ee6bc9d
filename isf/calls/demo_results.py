"""Demo content for what inside sales brings in: a year of orders taken by phone and their attribution.

The story: over the last twelve months inside sales turned from order desk into a sales unit. The calls of the
last weeks (isf.calls.demo) with the outcome "order taken" find their ERP orders as an import would match them;
the share of each team's orders taken by phone that this gives is where the year ends, and before those weeks
each team took half that share a year ago, growing month by month. Each phone order carries the value the agent
typed (a little off the ERP's revenue: freight, discounts) and the order's product groups. A third of the
cross-sell offers accepted on a call turn into the customer's first order of that group within weeks. Then the
attribution is computed over the year, so the IDL's overview, the results page, the review pack and the API show
figures at once (at benchmark size the nightly run computes it).
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
    from isf.calls.attribution import phone_orders_match

    first = CallLog.objects.order_by("started_at").values_list("started_at", flat=True).first()
    logged_since = timezone.localtime(first).date() if first else ctx.today
    matched = phone_orders_match(since=logged_since)
    _typed_values(ctx)
    ctx.progress(f"phone orders: {matched:,} calls of the last weeks matched to their ERP orders")
    accepted = _cross_sell_orders(ctx)
    ctx.progress(f"cross-sell: {accepted:,} accepted offers ordered within weeks")
    calls = phone_orders(ctx, until=logged_since, end_share=_phone_share(logged_since, ctx.today))
    ctx.progress(f"phone orders: {calls:,} over the last year, matched to their ERP orders")
    if ctx.base.n <= LARGE_BASE:
        from isf.calls.attribution import attribution_refresh

        result = attribution_refresh(since=ctx.today - timedelta(days=DAYS), until=ctx.today, today=ctx.today)
        ctx.progress(f"attribution: {result['orders']:,} orders attributed to inside sales")


def _phone_share(since, until) -> dict:
    """Per team code: the share of its accounts' orders from ``since`` to ``until`` matched to a call."""
    from django.db.models import Count

    orders = dict(Order.objects.filter(date__gte=since, date__lte=until, account__team__isnull=False)
                  .values("account__team__code").annotate(n=Count("pk")).values_list("account__team__code", "n"))
    phone = dict(CallLog.objects.filter(matched_order__date__gte=since, matched_order__date__lte=until)
                 .values("team__code").annotate(n=Count("pk")).values_list("team__code", "n"))
    return {code: min(0.6, phone.get(code, 0) / n) for code, n in orders.items() if n}


def _typed_values(ctx) -> None:
    """The matched calls without a value get the one the agent typed: the ERP order's revenue, a little off."""
    rng = np.random.default_rng(ctx.seed + 78)
    calls = list(CallLog.objects.filter(matched_order__isnull=False, order_value__isnull=True))
    revenue = dict(OrderLine.objects.filter(order_id__in=[c.matched_order_id for c in calls]).values("order_id")
                   .annotate(r=Sum("net_revenue")).values_list("order_id", "r"))
    drift = rng.uniform(0.97, 1.03, len(calls))
    for k, call in enumerate(calls):
        call.order_value = (Decimal(revenue.get(call.matched_order_id) or 0)
                            * Decimal(str(round(float(drift[k]), 3)))).quantize(Decimal("0.01"))
    CallLog.objects.bulk_update(calls, ["order_value"], batch_size=1000)


def _cross_sell_orders(ctx) -> int:
    """A third of the accepted cross-sell offers name a group the customer then ordered within 60 days (and had not
    ordered in the 60 days before the call): the offer worked."""
    rng = np.random.default_rng(ctx.seed + 79)
    calls = [c for c in CallLog.objects.filter(cross_sell_accepted=True, account__isnull=False).order_by("pk")
             if rng.random() < 1 / 3]
    if not calls:
        return 0
    accounts = {c.account_id for c in calls}
    first = min(timezone.localtime(c.started_at).date() for c in calls) - timedelta(days=60)
    bought = defaultdict(list)  # account -> [(day, group)]
    for account_id, day, group_id in (OrderLine.objects.filter(account_id__in=accounts, order_date__gte=first)
                                      .values_list("account_id", "order_date", "product__group_id").distinct()):
        bought[account_id].append((day, group_id))
    changed = []
    for call in calls:
        day = timezone.localtime(call.started_at).date()
        before = {g for d, g in bought[call.account_id] if day - timedelta(days=60) <= d < day}
        after = sorted((d, g) for d, g in bought[call.account_id]
                       if day <= d <= day + timedelta(days=60) and g not in before)
        if after:
            call.cross_sell_group_id = after[0][1]
            changed.append(call)
    CallLog.objects.bulk_update(changed, ["cross_sell_group"], batch_size=1000)
    return len(changed)


def phone_orders(ctx, *, until, end_share: dict) -> int:
    """Calls with the outcome "order taken" for a share of each team's orders before ``until``: ``end_share`` (or
    ``PHONE_SHARE``) today, half of it a year ago."""
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
        rows = list(Order.objects.filter(account__team=team, date__gt=since, date__lt=until)
                    .values_list("pk", "account_id", "date"))
        if not rows:
            continue
        age = np.array([(ctx.today - day).days for _pk, _acct, day in rows])
        share = (end_share.get(code) or PHONE_SHARE.get(code, 0.15)) * (1.0 - 0.5 * age / DAYS)  # half a year ago
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
