"""The demo's targets on a small hand-built company: last year's figures with the segment's growth, agreed in
January by both leads; next year's draft approved by the VL only; the VL's cost rates."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from isf.customers.tests.factories import OrderFactory, add_line
from isf.targets import demo
from isf.targets.choices import PlanStatus
from isf.targets.models import CostRate, RegionTravel, Target, TargetPlan

from .conftest import TODAY


def test_demo_targets_tell_the_story(company):
    c = company
    # last year: Alpha (KA) 20,000 € revenue, 5,000 € margin, all in March
    add_line(OrderFactory(account=c["a1"], date=date(2025, 3, 10)), revenue="20000.00", margin="5000.00")
    ctx = SimpleNamespace(users={"vl": c["vl"], "idl": c["idl"]}, regions=[c["region"]], today=TODAY,
                          progress=lambda text: None)
    demo.load(ctx)
    year = TargetPlan.objects.get(period="2026")
    assert (year.status, year.sales_lead, year.inside_lead) == (PlanStatus.AGREED, c["vl"], c["idl"])
    assert year.agreed_at.date() == date(2026, 1, 14)
    # KA grows 4 %: 20,800 € for the year, all of it in March (last year's seasonality), none in April
    ka = {t.period: t.value for t in Target.objects.filter(plan=year, scope="segment", code="KA", metric="revenue")}
    assert (ka["2026"], ka["2026-Q1"], ka["2026-03"], ka["2026-04"]) == (
        Decimal("20800.00"), Decimal("20800.00"), Decimal("20800.00"), Decimal("0.00"))
    # a rep grows by the default 5 %: 5,250 €, rounded to the hundred
    assert Target.objects.get(plan=year, period="2026", scope="rep", code="ad1", metric="margin").value == Decimal(
        "5300.00")
    draft = TargetPlan.objects.get(period="2027")
    assert (draft.status, draft.sales_lead, draft.inside_lead) == (PlanStatus.DRAFT, c["vl"], None)
    assert CostRate.objects.get(role="ad").hourly_rate == Decimal("92.00")
    assert RegionTravel.objects.get(region=c["region"]).travel_minutes == 45
