"""Segment KPIs against a hand-computed fixture; the API's keys and permissions."""

import datetime as dt
from decimal import Decimal

import pytest

from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, add_line
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory
from isf.segmentation.models import Segment
from isf.segmentation.selectors import segment_kpis

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


def line(account, day, revenue, margin):
    order = OrderFactory(account=account, date=day)
    add_line(order, product=ProductFactory(), revenue=revenue, margin=margin)


@pytest.fixture
def fixture():
    """A: 2 accounts, B: 2 accounts, 1 without segment.

    revenue 12 m: A 4000 + 2000 = 6000, B 500 + 0 = 500, none 500 → total 7000
    margin:       A 1200 +  500 = 1700, B 100,          none 100 → total 1900
    potential:    A 10000 + 6000 = 16000, B 4000 + 0 = 4000, none 1000 → total 21000
    budget:       A 1000 × 2 = 2000, B 100 × 2 = 200 → total 2200 (440 per account over 5)
    """
    a = Segment.objects.create(code="A", name_de="Segment A", name_en="Segment A", precedence=10,
                               care_budget=Decimal("1000"))
    b = Segment.objects.create(code="B", name_de="Segment B", name_en="Segment B", precedence=20,
                               care_budget=Decimal("100"))
    a1 = AccountFactory(segment=a, potential=Decimal("10000"))
    line(a1, TODAY - dt.timedelta(days=10), "3000.00", "900.00")
    line(a1, TODAY - dt.timedelta(days=364), "1000.00", "300.00")  # first day inside the window
    line(a1, TODAY - dt.timedelta(days=365), "5000.00", "2000.00")  # exactly 12 months ago: outside
    line(a1, TODAY + dt.timedelta(days=1), "7000.00", "2000.00")  # after "today": outside
    a2 = AccountFactory(segment=a, potential=Decimal("6000"))
    line(a2, TODAY, "2000.00", "500.00")
    b1 = AccountFactory(segment=b, potential=Decimal("4000"))
    line(b1, TODAY - dt.timedelta(days=100), "500.00", "100.00")
    AccountFactory(segment=b, potential=Decimal("0"))
    none = AccountFactory(segment=None, potential=Decimal("1000"))
    line(none, TODAY - dt.timedelta(days=5), "500.00", "100.00")
    return a, b


def test_kpis_match_the_hand_computed_fixture(fixture):
    k = segment_kpis(today=TODAY)
    rows = {r.code: r for r in k.rows}
    assert list(rows) == ["A", "B", ""]
    a, b, none = rows["A"], rows["B"], rows[""]
    assert (a.accounts, a.revenue_12m, a.margin_12m, a.potential) == (2, Decimal("6000.00"), Decimal("1700.00"),
                                                                       Decimal("16000.00"))
    assert (b.accounts, b.revenue_12m, b.margin_12m, b.potential) == (2, Decimal("500.00"), Decimal("100.00"),
                                                                       Decimal("4000.00"))
    assert (none.accounts, none.revenue_12m, none.potential) == (1, Decimal("500.00"), Decimal("1000.00"))
    assert a.revenue_share == pytest.approx(6000 / 7000) and b.revenue_share == pytest.approx(500 / 7000)
    assert a.margin_share == pytest.approx(1700 / 1900) and none.margin_share == pytest.approx(100 / 1900)
    assert a.potential_share == pytest.approx(16000 / 21000) and b.potential_share == pytest.approx(4000 / 21000)
    assert a.share_of_wallet == pytest.approx(0.375) and b.share_of_wallet == pytest.approx(0.125)
    assert (a.budget_per_account, a.budget_total, b.budget_total) == (Decimal("1000"), Decimal("2000"), Decimal("200"))
    for attr in ("revenue_share", "margin_share", "potential_share", "account_share"):
        assert sum(getattr(r, attr) for r in k.rows) == pytest.approx(1.0)
    t = k.total
    assert (t.accounts, t.revenue_12m, t.margin_12m, t.potential, t.budget_total, t.budget_per_account) == (
        5, Decimal("7000.00"), Decimal("1900.00"), Decimal("21000.00"), Decimal("2200"), Decimal("440.00"))
    assert t.share_of_wallet == pytest.approx(7000 / 21000)


def test_kpis_use_a_fixed_number_of_queries(fixture, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # segments, accounts, order lines; buying behaviour: 5
        segment_kpis(today=TODAY)


def _bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_segments_keys_and_values(client, fixture, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC))
    body = client.get("/api/v1/segments", **_bearer(UserFactory(role=Role.SALES_LEAD))).json()
    assert [r["code"] for r in body] == ["A", "B", ""]
    a = body[0]
    assert set(a) >= {"code", "name", "accounts", "revenue_12m", "revenue_share", "margin_12m", "margin_share",
                      "potential", "potential_share", "budget_per_account"}
    assert a["accounts"] == 2 and Decimal(a["revenue_12m"]) == Decimal("6000.00")
    assert a["revenue_share"] == pytest.approx(6 / 7) and Decimal(a["budget_per_account"]) == Decimal("1000.00")
    assert sum(r["revenue_share"] for r in body) == pytest.approx(1.0)
    assert sum(r["margin_share"] for r in body) == pytest.approx(1.0)
    assert client.get("/api/v1/segments", **_bearer(UserFactory(role=Role.INSIDE_LEAD))).status_code == 200
    # buying behaviour: A has 3 orders in the window (a1 twice, a2 once) for 6,000 €, a1 had 5,000 € the year
    # before; B one order of 500 € over 2 accounts and nothing before; none was taken by phone
    b, none = body[1], body[2]
    assert a["order_frequency"] == pytest.approx(3 / 2) and Decimal(a["average_order_value"]) == Decimal("2000.00")
    assert a["revenue_trend"] == pytest.approx(20.0) and a["phone_order_share"] == 0.0
    assert b["order_frequency"] == pytest.approx(1 / 2) and Decimal(b["average_order_value"]) == Decimal("500.00")
    assert b["revenue_trend"] is None
    assert none["order_frequency"] == 1.0
    assert {"care_cost_per_account", "budget_total", "share_of_wallet", "team"} <= set(a)  # the keys kept


@pytest.mark.parametrize("role", [Role.INSIDE_AGENT, Role.FIELD_REP, Role.MARKETING])
def test_api_segments_is_for_leads_only(client, fixture, role):
    response = client.get("/api/v1/segments", **_bearer(UserFactory(role=role)))
    assert response.status_code == 403 and "message" in response.json()
