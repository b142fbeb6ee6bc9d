"""Buying behaviour on hand-built order histories: the figures, per segment, and rules that use them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from isf.calls.models import CallLog
from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, add_line
from isf.segmentation.behaviour import account_behaviour, segment_behaviour
from isf.segmentation.models import Segment
from isf.segmentation.rules import RuleSpec, describe, find_conflicts, rule_errors
from isf.segmentation.services import SegmentError, segment_save, segments_assign_all, segments_create_defaults
from isf.segmentation.tests.helpers import TODAY
from isf.visits.models import VisitReport, VisitType

pytestmark = pytest.mark.django_db
SINCE = TODAY - dt.timedelta(days=365)  # the window is (SINCE, TODAY]


def order(account, day, revenue):
    made = OrderFactory(account=account, date=day)
    add_line(made, product=ProductFactory(), revenue=str(revenue), margin="0")
    return made


def phone_call(account, made):
    return CallLog.objects.create(direction="inbound", account=account, outcome="order", matched_order=made,
                                  started_at=timezone.make_aware(dt.datetime.combine(made.date, dt.time(10))))


def visit(account, day):
    kind, _ = VisitType.objects.get_or_create(code="STD", defaults={"name_de": "Besuch", "name_en": "Visit"})
    return VisitReport.objects.create(client_id=f"v-{account.pk}-{day}", account=account, visit_date=day,
                                      visit_type=kind)


@pytest.fixture
def history():
    """One account with a year of monthly small orders (some by phone, some after a visit) and a year before."""
    account = AccountFactory(potential=Decimal("8000"))
    days = [TODAY - dt.timedelta(days=15 + 30 * k) for k in range(12)]
    window = [order(account, day, 100) for day in days]
    before = [order(account, SINCE, 200), order(account, TODAY - dt.timedelta(days=400), 300),
              order(account, TODAY - dt.timedelta(days=500), 300)]
    for made in window[:3]:
        phone_call(account, made)
    visit(account, window[3].date - dt.timedelta(days=5))  # an order 5 days after a visit: field
    visit(account, window[4].date)  # on the visit's day: field
    visit(account, window[5].date - dt.timedelta(days=20))  # 20 days before: too long ago, direct
    visit(account, window[0].date - dt.timedelta(days=2))  # the phone order stays a phone order
    return account, window, before


def test_figures_of_one_account_count_its_orders(history):
    account, window, before = history
    figures = account_behaviour(account_ids=[account.pk], today=TODAY)[account.pk]
    in_window = [o for o in window + before if SINCE < o.date <= TODAY]
    earlier = [o for o in window + before if o.date <= SINCE]
    revenue = sum(line.net_revenue for o in in_window for line in o.lines.all())
    revenue_before = sum(line.net_revenue for o in earlier for line in o.lines.all())
    assert figures.orders == len(in_window) == 12
    assert figures.order_frequency == 12.0
    assert figures.revenue_12m == revenue
    assert figures.average_order_value == revenue / len(in_window) == Decimal("100.00")
    assert figures.revenue_before == revenue_before == Decimal("800.00")
    assert figures.trend == pytest.approx(float((revenue - revenue_before) / revenue_before * 100))  # +50 %
    assert figures.phone_orders == 3 and figures.field_orders == 2
    assert figures.phone_share == pytest.approx(3 * 100 / 12)
    assert figures.direct_share == pytest.approx(7 * 100 / 12)


def test_no_orders_no_average_and_no_trend():
    quiet = AccountFactory()
    lapsed = AccountFactory()
    order(lapsed, TODAY - dt.timedelta(days=500), 1000)
    figures = account_behaviour(account_ids=[quiet.pk, lapsed.pk], today=TODAY)
    assert figures[quiet.pk].orders == 0 and figures[quiet.pk].average_order_value is None
    assert figures[quiet.pk].trend is None and figures[quiet.pk].phone_share is None
    assert figures[lapsed.pk].trend == pytest.approx(-100.0)


def test_per_segment_sums_over_its_accounts(history):
    account, _window, _before = history
    segment = Segment.objects.create(code="X", name_de="X", name_en="X")
    other = AccountFactory()
    order(other, TODAY - dt.timedelta(days=3), 1000)
    Account.objects.filter(pk__in=[account.pk, other.pk]).update(segment=segment)
    row = segment_behaviour(today=TODAY)[segment.pk]
    assert row.accounts == 2 and row.orders == 13
    assert row.order_frequency == pytest.approx(13 / 2)
    assert row.average_order_value == ((Decimal("1200") + Decimal("1000")) / 13).quantize(Decimal("0.01"))
    assert row.trend == pytest.approx((2200 - 800) / 800 * 100)  # the other account had nothing the year before


def _frequent_small_rule(**extra):
    return {"orders_min": Decimal("12"), "order_value_max": Decimal("400"), "customer_type": "b2b", **extra}


def _smb_rules(segment):
    return [{f: getattr(r, f) for f in ("revenue_min", "revenue_max", "potential_min", "potential_max",
                                        "customer_type")} for r in segment.rules.order_by("position")]


def test_rule_frequent_small_orders_moves_to_smb(history):
    account, _window, _before = history
    fewer = AccountFactory(potential=Decimal("8000"))
    for k in range(11):
        order(fewer, TODAY - dt.timedelta(days=10 + 30 * k), 150)
    big_orders = AccountFactory(potential=Decimal("8000"))
    for k in range(12):
        order(big_orders, TODAY - dt.timedelta(days=10 + 30 * k), 410)  # 4,920 € a year: below SMB's 5,000 €
    segments_create_defaults(teams={})
    segments_assign_all(today=TODAY)
    assert {a.pk: a.segment.code for a in Account.objects.select_related("segment")} == {
        account.pk: "C", fewer.pk: "C", big_orders.pk: "C"}
    smb = Segment.objects.get(code="SMB")
    segment_save(segment=smb, data={}, rules=[*_smb_rules(smb), _frequent_small_rule()])
    result = segments_assign_all(today=TODAY)
    assert result["changed"] == 1
    assert {a.pk: a.segment.code for a in Account.objects.select_related("segment")} == {
        account.pk: "SMB", fewer.pk: "C", big_orders.pk: "C"}


def test_rule_on_phone_share_and_trend(history):
    account, _window, _before = history
    segment_a = Segment.objects.create(code="PHONE", name_de="Telefon", name_en="Phone", precedence=1)
    segment_b = Segment.objects.create(code="REST", name_de="Rest", name_en="Rest", precedence=2)
    segment_save(segment=segment_b, data={}, rules=[{}])
    segment_save(segment=segment_a, data={}, rules=[{"phone_share_min": Decimal("25"), "trend_min": Decimal("0")}])
    segments_assign_all(today=TODAY)
    account.refresh_from_db()
    assert account.segment == segment_a  # 25 % by phone, +50 %
    segment_save(segment=segment_a, data={}, rules=[{"phone_share_min": Decimal("25.1")}])
    segments_assign_all(today=TODAY)
    account.refresh_from_db()
    assert account.segment == segment_b
    segment_save(segment=segment_a, data={}, rules=[{"trend_max": Decimal("0")}])  # shrinking customers only
    segments_assign_all(today=TODAY)
    account.refresh_from_db()
    assert account.segment == segment_b


def test_negative_threshold_is_refused_with_its_name_and_nothing_changes():
    segment = Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB")
    segment_save(segment=segment, data={}, rules=[{"revenue_min": Decimal("5000")}])
    with translation.override("en"), pytest.raises(SegmentError) as refused:
        segment_save(segment=Segment.objects.get(pk=segment.pk), data={}, rules=[{"orders_min": Decimal("-2")}])
    assert refused.value.field == "orders_min" and "orders a year" in refused.value.message
    assert "must not be negative" in refused.value.message
    assert list(segment.rules.values_list("revenue_min", "orders_min")) == [(Decimal("5000.00"), None)]
    with translation.override("de"):
        errors = rule_errors(RuleSpec("X", 1, order_value_min=Decimal("-1"), phone_share_max=Decimal("120")))
    assert [f for f, _m in errors] == ["order_value_min", "phone_share_max"]
    assert "Ø Auftragswert" in errors[0][1] and "100 %" in errors[1][1]
    # a falling trend is a legitimate bound
    assert rule_errors(RuleSpec("X", 1, trend_min=Decimal("-50"), trend_max=Decimal("-10"))) == []


def test_description_and_conflicts_with_behaviour():
    rule = RuleSpec("SMB", 30, orders_min=Decimal("12"), order_value_max=Decimal("400"), customer_type="b2b",
                    trend_min=Decimal("-10"))
    with translation.override("en"):
        assert describe(rule) == ("12 orders a year or more, average order value below 400 €, revenue trend from "
                                  "-10 %, B2B only")
    with translation.override("de"):
        assert describe(rule) == ("ab 12 Bestellungen im Jahr, Ø Auftragswert unter 400 €, Umsatztrend ab -10 %, "
                                  "nur B2B")
    # the C rule (revenue from 1,000 €) does not cover frequent small orders, nor the other way round
    assert find_conflicts([rule, RuleSpec("C", 40, Decimal("1000"), customer_type="b2b")]) == []
    # a rule on the average order value does not cover accounts without orders (no average)
    assert find_conflicts([RuleSpec("A", 1, order_value_min=Decimal("0")), RuleSpec("B", 2)]) == []
    with translation.override("en"):
        conflicts = find_conflicts([RuleSpec("A", 1, orders_min=Decimal("5")),
                                    RuleSpec("B", 2, orders_min=Decimal("10"), orders_max=Decimal("20"))])
    assert len(conflicts) == 1 and "can never apply" in conflicts[0]
