"""Hand-made order histories for the monitoring tests (bulk-created, so a small base takes well under a second)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from isf.customers.models import Account, Order, OrderLine, Product
from isf.customers.tests.factories import AccountFactory, ProductFactory, ProductGroupFactory
from isf.lifecycle.choices import Phase
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.segmentation.models import Segment

TODAY = date(2026, 6, 30)
_numbers = itertools.count(1)


def add_orders(account: Account, lines: list[tuple[date, Product, str]]) -> None:
    """One order per distinct day; each (day, product, revenue) becomes a line of that day's order."""
    by_day: dict[date, list] = {}
    for day, product, revenue in lines:
        by_day.setdefault(day, []).append((product, revenue))
    orders = Order.objects.bulk_create(
        [Order(number=f"T{next(_numbers):07d}", account=account, date=day) for day in sorted(by_day)]
    )
    rows = []
    for order in orders:
        for k, (product, revenue) in enumerate(by_day[order.date], start=1):
            rows.append(OrderLine(order=order, line_no=k, account=account, order_date=order.date, product=product,
                                  quantity=Decimal("1"), net_revenue=Decimal(revenue), margin=Decimal("0")))
    OrderLine.objects.bulk_create(rows)


def every(days: int, start: date, end: date, jitter=(0, 1, -1, 2, -2, 0, 1)) -> list[date]:
    out, day, k = [], start, 0
    while day <= end:
        out.append(day)
        k += 1
        day = day + timedelta(days=days + jitter[k % len(jitter)])
    return out


@dataclass
class Base:
    team: object
    ka_team: object
    owner: object
    segment: object
    ka: object
    g1: object
    g2: object
    p1: object
    p2: object
    accounts: dict = field(default_factory=dict)


def make_base(today: date = TODAY) -> Base:
    """A small base: 40 regular accounts, 12 that faded out, and the accounts the tests look at:

    ``overdue`` orders about every 10 days and has not ordered for 80 days; ``drop`` orders every 14 days but
    its revenue fell to 30 % of the year before; ``group`` stopped buying "Toner" (every 28 days, a fifth of its revenue) 200 days ago;
    ``healthy`` orders every 14 days, last 5 days ago; ``key`` is a key account (segment KA, owner ad) that is
    overdue like ``overdue``.
    """
    team = TeamFactory(code="ID-M", name="Innendienst Mitte")
    ka_team = TeamFactory(code="ID-KA", name="Innendienst Key Accounts")
    owner = UserFactory(username="ad-test", role=Role.FIELD_REP)
    segment = Segment.objects.create(code="B", name_de="Mittelstand", name_en="Mid-market", precedence=20, team=team)
    ka = Segment.objects.create(code="KA", name_de="Key Accounts", name_en="Key accounts", precedence=10, team=ka_team)
    g1 = ProductGroupFactory(code="WZ", name="Werkzeug", name_en="Tools")
    g2 = ProductGroupFactory(code="TO", name="Toner", name_en="toner")
    p1, p2 = ProductFactory(group=g1), ProductFactory(group=g2)
    base = Base(team, ka_team, owner, segment, ka, g1, g2, p1, p2)
    start = today - timedelta(days=720)

    def account(name, **extra):
        values = {"segment": segment, "phase": Phase.ACTIVE, **extra}
        acc = AccountFactory(name=name, **values)
        base.accounts[name] = acc
        return acc

    for i in range(40):
        acc = account(f"Regular {i}")
        days = every(12 + i % 9, start + timedelta(days=i % 11), today - timedelta(days=i % 6))
        add_orders(acc, [(d, p1, str(150 + 10 * (i % 7))) for d in days])
    for i in range(12):
        acc = account(f"Faded {i}", phase=Phase.LOST)
        days = every(20, start + timedelta(days=3 * i), start + timedelta(days=3 * i + 20 * (i % 4)))
        add_orders(acc, [(d, p1, "90") for d in days])

    overdue = account("overdue")
    add_orders(overdue, [(d, p1, "200") for d in every(10, start, today - timedelta(days=80))])
    key = account("key", segment=ka, owner=owner)
    add_orders(key, [(d, p1, "900") for d in every(10, start, today - timedelta(days=80))])
    drop = account("drop")
    add_orders(drop, [(d, p1, "500" if d <= today - timedelta(days=365) else "150")
                      for d in every(14, start, today - timedelta(days=3))])
    group = account("group")
    lines = [(d, p1, "200") for d in every(14, start, today - timedelta(days=4))]
    lines += [(d, p2, "150") for d in every(28, start, today - timedelta(days=200))]  # a fifth of its revenue
    add_orders(group, lines)
    healthy = account("healthy")
    add_orders(healthy, [(d, p1, "180") for d in every(14, start, today - timedelta(days=5))])
    return base
