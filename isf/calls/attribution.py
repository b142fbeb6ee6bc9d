"""What inside sales brings in: the one place that decides which ERP order counts for inside sales, and why.

The rules, in their precedence (the first rule that claims an order wins, an order is attributed once):

1. **Order taken by phone** (``phone_order``): a call with the outcome "order taken"; the account's ERP order
   dated from the call's day to ``ISF_PHONE_ORDER_MATCH_DAYS`` later is matched to the call (the earliest such
   order not matched to another call; on the same day the one whose revenue is closest to the value the agent
   recorded). The call's value is never counted on top: the ERP order's revenue and margin are.
2. **Quote followed up and won** (``quote_won``): a quote marked won whose follow-up inside sales did (a quote
   follow-up with its task done, or decided as won; not a key-account quote whose owner rep decides); the
   account's first order from the quote's date to
   ``ISF_QUOTE_WON_DAYS`` later.
3. **Cross-sell accepted on a call** (``cross_sell``): a call on which the customer accepted a cross-sell offer
   of a product group; the account's first order with that product group from the call's day to
   ``ISF_CROSS_SELL_DAYS`` later. Only that product group's lines of the order count.
4. **Win-back or reactivation call** (``win_back``): a win-back call (lost customer) or an order-behaviour alert
   (customer at risk) completed with the customer reached; the account's next order from that day to
   ``ISF_WIN_BACK_DAYS`` later.

Each claim names one source: the call (rules 1 and 3), the quote (2) or the task (4). A source claims only its one
order (its next order, not the next free one); if a higher rule holds that order, the source claims nothing. Two
sources of the same rule for one order: the latest before the order wins (the touch nearest to the order), then
the lower id. The agent and team are the call's, the task's assignee and team, or the quote follow-up's decider
(else its task's assignee) and team; the segment is the account's when computed.

``attribution_refresh`` recomputes the orders of a date range and stores them (``Attribution``), so figures are
sums; the nightly run refreshes the last ``NIGHTLY_DAYS`` days and every order import the range of its orders.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isf.calls.choices import AttributionRule, CallOutcome
from isf.calls.models import Attribution, CallLog

NIGHTLY_DAYS = 400  # the nightly refresh reaches back over the longest window and the last full year


@dataclass(frozen=True)
class Rule:
    code: str
    precedence: int
    setting: str
    source: str  # "call", "quote" or "task"
    text: str

    @property
    def label(self) -> str:
        return AttributionRule(self.code).label

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))


RULES = [
    Rule(AttributionRule.PHONE_ORDER, 1, "ISF_PHONE_ORDER_MATCH_DAYS", "call", _(
        "A call with the outcome \"order taken\": the customer's ERP order dated from the day of the call to "
        "%(days)s days later is matched to the call (the earliest not matched to another call). The order counts "
        "with its revenue and margin from the ERP, never a second time with the value typed on the call.")),
    Rule(AttributionRule.QUOTE_WON, 2, "ISF_QUOTE_WON_DAYS", "quote", _(
        "A quote won after inside sales followed it up (not a key-account quote, where the field rep decides): the "
        "customer's first order from the quote's date to %(days)s days later.")),
    Rule(AttributionRule.CROSS_SELL, 3, "ISF_CROSS_SELL_DAYS", "call", _(
        "A cross-sell offer the customer accepted on a call: the customer's first order of that product group "
        "from the day of the call to %(days)s days later; only that product group's lines count.")),
    Rule(AttributionRule.WIN_BACK, 4, "ISF_WIN_BACK_DAYS", "task", _(
        "A win-back call (lost customer) or a reactivation call on an order-behaviour alert (customer at risk) in "
        "which the customer was reached: the customer's next order from that day to %(days)s days later.")),
]
RULE_BY_CODE = {r.code: r for r in RULES}

#: the quote follow-up rule in which the owner rep, not inside sales, follows up (key accounts)
OWNER_DECIDES = "owner_decides"
#: task kinds whose completion with the customer reached is a win-back or reactivation call
WIN_BACK_KINDS = ("winback_call", "alert")
#: task outcomes that mean the customer was reached
WIN_BACK_OUTCOMES = ("reached", "sale", "appointment", "quote", "by_call", "done")


def rules_described() -> list[dict]:
    """The rules in their precedence, each in the active language with its window in days (the rules page)."""
    return [{"code": r.code, "precedence": r.precedence, "label": r.label, "days": r.days, "source": r.source,
             "setting": r.setting, "text": r.text % {"days": r.days}} for r in RULES]


def phone_orders_match(*, since: date) -> int:
    """Match the unmatched "order taken" calls from ``since`` on to their ERP orders; returns how many matched.

    Calls in the order they were made; each takes the earliest order of its account in its window that no other
    call holds (on one day, the revenue closest to the call's value)."""
    days = RULE_BY_CODE[AttributionRule.PHONE_ORDER].days
    calls = list(CallLog.objects.filter(outcome=CallOutcome.ORDER, matched_order__isnull=True,
                                        account__isnull=False, started_at__date__gte=since)
                 .order_by("started_at", "pk").only("pk", "account_id", "started_at", "order_value"))
    if not calls:
        return 0
    from isf.customers.models import Order

    first = min(_day(c.started_at) for c in calls)
    accounts = {c.account_id for c in calls}
    taken = set(CallLog.objects.filter(matched_order__isnull=False, account_id__in=accounts)
                .values_list("matched_order_id", flat=True))
    orders = defaultdict(list)
    for pk, account_id, day, revenue in (
            Order.objects.filter(account_id__in=accounts, date__gte=first).annotate(revenue=Sum("lines__net_revenue"))
            .order_by("date", "pk").values_list("pk", "account_id", "date", "revenue")):
        orders[account_id].append((pk, day, revenue or Decimal(0)))
    changed = []
    for call in calls:
        start = _day(call.started_at)
        window = [o for o in orders[call.account_id]
                  if o[0] not in taken and start <= o[1] <= start + timedelta(days=days)]
        if not window:
            continue
        day = window[0][1]
        value = call.order_value
        best = min((o for o in window if o[1] == day),
                   key=lambda o: (abs(o[2] - value) if value is not None else 0, o[0]))
        call.matched_order_id = best[0]
        changed.append(call)
        taken.add(best[0])
    CallLog.objects.bulk_update(changed, ["matched_order"], batch_size=1000)
    return len(changed)


@dataclass
class _Claim:
    rule: AttributionRule
    order_id: int
    touched: date  # the source's day: the latest touch before the order wins within one rule
    source_pk: int
    source: str
    agent_id: int | None
    team_id: int | None
    group_id: int | None = None  # cross-sell: only this product group's lines count


@transaction.atomic
def attribution_refresh(*, since: date, until: date | None = None, today: date | None = None) -> dict:
    """Recompute and store the attribution of every order dated ``since`` .. ``until`` (default today).

    Matches the phone orders first, then gathers every rule's claims and keeps one per order by the precedence.
    Returns counts: ``matched`` phone orders, ``orders`` attributed, and per rule."""
    today = today or timezone.localdate()
    until = until or today
    _serialize()
    longest = max(r.days for r in RULES)
    matched = phone_orders_match(since=since - timedelta(days=longest))
    claims = _claims(since=since, until=until, longest=longest)
    best: dict[int, _Claim] = {}
    for claim in claims:
        held = best.get(claim.order_id)
        if held is None or _rank(claim) < _rank(held):
            best[claim.order_id] = claim
    Attribution.objects.filter(order_date__gte=since, order_date__lte=until).delete()
    ids = list(best)
    for start in range(0, len(ids), 5000):  # an order whose date an import moved into the range
        Attribution.objects.filter(order_id__in=ids[start:start + 5000]).delete()
    rows = _rows(best)
    Attribution.objects.bulk_create(rows, batch_size=1000)
    by_rule = {r.code: 0 for r in RULES}
    for row in rows:
        by_rule[row.rule] += 1
    return {"matched": matched, "orders": len(rows), "by_rule": by_rule}


def _serialize() -> None:
    """Two refreshes (the nightly run and an import's task) never interleave their delete and insert: PostgreSQL
    holds a transaction lock until the commit; SQLite lets one writer in at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('isf.calls.attribution'))")


def _rank(claim: _Claim):
    return (RULE_BY_CODE[claim.rule].precedence, -claim.touched.toordinal(), -claim.source_pk)


def _day(moment) -> date:
    return timezone.localtime(moment).date()


def _claims(*, since: date, until: date, longest: int) -> list[_Claim]:
    """Every rule's claims on orders dated ``since`` .. ``until``: a source's one order, whoever else claims it."""
    from isf.customers.models import Order, OrderLine, Quote
    from isf.planning.models import Task

    start = since - timedelta(days=longest)
    claims: list[_Claim] = []
    # 1. phone orders: the matched order
    for pk, order_id, started, agent_id, team_id in (
            CallLog.objects.filter(matched_order__date__gte=since, matched_order__date__lte=until)
            .values_list("pk", "matched_order_id", "started_at", "agent_id", "team_id")):
        claims.append(_Claim(AttributionRule.PHONE_ORDER, order_id, _day(started), pk, "call", agent_id, team_id))
    # the sources of the other rules, each with its account, day and window
    sources = []  # (rule, account_id, day, pk, source, agent_id, team_id, group_id)
    quote_days = RULE_BY_CODE[AttributionRule.QUOTE_WON].days
    for q in (Quote.objects.filter(status="won", date__gte=start, date__lte=until, followup__isnull=False)
              .filter(Q(followup__task__status="done") | Q(followup__outcome="won"))
              .exclude(followup__rule=OWNER_DECIDES)
              .values("pk", "account_id", "date", "followup__decided_by_id", "followup__task__assignee_id",
                      "followup__team_id")):
        sources.append((AttributionRule.QUOTE_WON, q["account_id"], q["date"], quote_days, q["pk"], "quote",
                        q["followup__decided_by_id"] or q["followup__task__assignee_id"], q["followup__team_id"],
                        None))
    cross_days = RULE_BY_CODE[AttributionRule.CROSS_SELL].days
    for pk, account_id, started, agent_id, team_id, group_id in (
            CallLog.objects.filter(cross_sell_accepted=True, cross_sell_group__isnull=False, account__isnull=False,
                                   started_at__date__gte=start, started_at__date__lte=until)
            .values_list("pk", "account_id", "started_at", "agent_id", "team_id", "cross_sell_group_id")):
        sources.append((AttributionRule.CROSS_SELL, account_id, _day(started), cross_days, pk, "call", agent_id,
                        team_id, group_id))
    win_days = RULE_BY_CODE[AttributionRule.WIN_BACK].days
    for pk, account_id, completed, agent_id, team_id in (
            Task.objects.filter(kind__in=WIN_BACK_KINDS, status="done", outcome__in=WIN_BACK_OUTCOMES,
                                account__isnull=False, completed_at__date__gte=start,
                                completed_at__date__lte=until)
            .values_list("pk", "account_id", "completed_at", "assignee_id", "team_id")):
        sources.append((AttributionRule.WIN_BACK, account_id, _day(completed), win_days, pk, "task", agent_id,
                        team_id, None))
    if not sources:
        return claims
    accounts = {s[1] for s in sources}
    first = min(s[2] for s in sources)
    orders = defaultdict(list)  # account -> [(day, order_id)] by date
    for pk, account_id, day in (Order.objects.filter(account_id__in=accounts, date__gte=first)
                                .order_by("date", "pk").values_list("pk", "account_id", "date")):
        orders[account_id].append((day, pk))
    groups = defaultdict(set)  # order -> product groups (only for the cross-sell accounts)
    cross_accounts = {s[1] for s in sources if s[0] == AttributionRule.CROSS_SELL}
    if cross_accounts:
        cross_first = min(s[2] for s in sources if s[0] == AttributionRule.CROSS_SELL)
        for order_id, group_id in (OrderLine.objects.filter(account_id__in=cross_accounts, order_date__gte=cross_first)
                                   .values_list("order_id", "product__group_id").distinct()):
            groups[order_id].add(group_id)
    for rule, account_id, day, days, pk, source, agent_id, team_id, group_id in sources:
        last = day + timedelta(days=days)
        for order_day, order_id in orders[account_id]:
            if order_day < day:
                continue
            if order_day > last:
                break
            if group_id is not None and group_id not in groups[order_id]:
                continue
            if since <= order_day <= until:
                claims.append(_Claim(rule, order_id, day, pk, source, agent_id, team_id, group_id))
            break  # the source's one order (inside the range or not)
    return claims


def _rows(best: dict[int, _Claim]) -> list[Attribution]:
    """The stored rows: each claimed order with its revenue and margin (a cross-sell: its product group's lines)."""
    from isf.customers.models import Order, OrderLine

    if not best:
        return []
    ids = list(best)
    facts = {}
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk:chunk + 5000]
        for pk, account_id, day, segment_id in (Order.objects.filter(pk__in=part)
                                                .values_list("pk", "account_id", "date", "account__segment_id")):
            facts[pk] = [account_id, day, segment_id, Decimal(0), Decimal(0)]
        whole = [pk for pk in part if best[pk].group_id is None]
        for order_id, revenue, margin in (OrderLine.objects.filter(order_id__in=whole).values("order_id")
                                          .annotate(r=Sum("net_revenue"), m=Sum("margin"))
                                          .values_list("order_id", "r", "m")):
            facts[order_id][3:] = [revenue or Decimal(0), margin or Decimal(0)]
        for pk in (pk for pk in part if best[pk].group_id is not None):
            sums = OrderLine.objects.filter(order_id=pk, product__group_id=best[pk].group_id).aggregate(
                r=Sum("net_revenue"), m=Sum("margin"))
            facts[pk][3:] = [sums["r"] or Decimal(0), sums["m"] or Decimal(0)]
    rows = []
    for order_id, claim in best.items():
        account_id, day, segment_id, revenue, margin = facts[order_id]
        rows.append(Attribution(
            order_id=order_id, account_id=account_id, order_date=day, rule=claim.rule,
            call_id=claim.source_pk if claim.source == "call" else None,
            task_id=claim.source_pk if claim.source == "task" else None,
            quote_id=claim.source_pk if claim.source == "quote" else None,
            agent_id=claim.agent_id, team_id=claim.team_id, segment_id=segment_id, revenue=revenue, margin=margin))
    return rows
