"""KPI figures: exact values from the committed apps, and from the call log when it is installed."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from isf.capacity import kpis, sources
from isf.capacity.processtimes import planned_contact_times
from isf.customers.tests.factories import AccountFactory
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.services import task_create

pytestmark = pytest.mark.django_db
NOVEMBER = kpis.Period(date(2026, 11, 1), date(2026, 11, 30))


def test_periods_are_calendar_weeks_months_and_quarters():
    today = date(2026, 11, 27)
    assert kpis.period_for("week", today) == kpis.Period(date(2026, 11, 23), date(2026, 11, 27))
    assert kpis.period_for("month", today, -1) == kpis.Period(date(2026, 10, 1), date(2026, 10, 31))
    assert kpis.period_for("quarter", date(2026, 1, 5), -1) == kpis.Period(date(2025, 10, 1), date(2025, 12, 31))


def test_quote_conversion_counts_won_against_decided_quotes():
    from isf.customers.models import Quote

    account = AccountFactory()
    for i, status in enumerate(["won", "won", "lost", "expired", "sent"]):
        Quote.objects.create(number=f"AN-{i}", account=account, date=date(2026, 11, 10), amount=Decimal("1000"),
                             valid_until=date(2026, 12, 10), status=status)
    Quote.objects.create(number="AN-old", account=account, date=date(2026, 10, 10), amount=Decimal("1"),
                         valid_until=date(2026, 11, 10), status="won")
    q = kpis.quote_conversion(NOVEMBER)
    assert (q["n"], q["won"], q["lost"], q["rate"], q["won_amount"]) == (5, 2, 2, 0.5, 2000.0)


def test_contact_plan_on_time_and_planned_contact_delays(time_machine):
    from isf.planning.models import Task

    time_machine.move_to(datetime(2026, 11, 27, 9, tzinfo=UTC), tick=False)
    team = TeamFactory(code="SMB", state="BY")
    due = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday 09:00 local
    tasks = [task_create(kind="care_call", title=f"Pflegeanruf {i}", due_at=due, team=team, source="plan")
             for i in range(4)]
    task_create(kind="care_call", title="not planned", due_at=due, team=team)  # not the contact plan
    # two done on the due day, one done Tuesday 10:00 local (2 business hours late), one still open
    for task, done_at in zip(tasks, [due + timedelta(hours=2), due + timedelta(hours=8),
                                     datetime(2026, 11, 24, 9, tzinfo=UTC)], strict=False):
        Task.objects.filter(pk=task.pk).update(status="done", completed_at=done_at)
    plan = kpis.contact_plan(NOVEMBER, team)
    assert plan == {"due": 4, "on_time": 2, "late": 1, "open": 1, "rate": 0.5}
    assert kpis.overdue_tasks(team) == 2  # the open planned call and the unplanned one
    times = planned_contact_times(since=NOVEMBER.since, until=NOVEMBER.until, team=team)
    assert times["done"] == 3
    assert times["delay_median_h"] == 0.0
    assert times["delay_p90_h"] == pytest.approx(0.8 * 2.0)  # 90th percentile of [0, 0, 2] hours


def test_cross_sell_revenue_counts_orders_in_the_offered_group_within_60_days():
    call_model = sources.call_model()
    if call_model is None or "cross_sell_group" not in {f.name for f in call_model._meta.get_fields()}:
        pytest.skip("the call log is not installed yet")
    from isf.customers.models import Order, OrderLine, Product, ProductGroup

    account = AccountFactory()
    agent = UserFactory()
    group = ProductGroup.objects.create(code="XS", name="Zubehör")
    other = ProductGroup.objects.create(code="YY", name="Sonstiges")
    product = Product.objects.create(sku="XS-1", name="Filter", group=group)
    other_product = Product.objects.create(sku="YY-1", name="Schraube", group=other)
    call_model.objects.create(direction="inbound", started_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
                              duration_seconds=200, agent=agent, account=account, outcome=call_model._meta.get_field("outcome").choices[0][0],
                              cross_sell_offered=True, cross_sell_accepted=True, cross_sell_group=group)
    order = Order.objects.create(number="A-1", account=account, date=date(2026, 11, 20))
    for no, (prod, revenue, day) in enumerate([(product, "500.00", date(2026, 11, 20)),
                                               (other_product, "999.00", date(2026, 11, 20)),
                                               (product, "250.00", date(2027, 2, 1))], start=1):
        OrderLine.objects.create(order=order, line_no=no, account=account, order_date=day, product=prod,
                                 quantity=1, net_revenue=Decimal(revenue), margin=Decimal("0"))
    data = kpis.calls_handled(NOVEMBER)
    assert data["cross_sell"]["accepted"] == 1
    assert data["cross_sell"]["revenue"] == 500.0
