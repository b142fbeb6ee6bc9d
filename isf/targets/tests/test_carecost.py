"""Care cost against hand-computed values, the VL's two lists, the rates' bad input, GET /api/v1/segments."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from isf.planning.models import CareMatrix, Task
from isf.targets import services
from isf.targets.carecost import care_costs, costlier_than_worth, segment_costs, under_cared
from isf.targets.models import CostRate, RegionTravel
from isf.targets.services import TargetError

from .conftest import BERLIN, TODAY


def test_care_cost_per_account_by_hand(contacts):
    costs = care_costs(today=TODAY)
    a1, a2 = costs[contacts["a1"].pk], costs[contacts["a2"].pk]
    assert (a1.calls, a1.visits, a1.minutes, a1.cost, a1.visit_cost) == (3, 1, 125.0, Decimal("175.00"),
                                                                          Decimal("150.00"))
    assert (a2.calls, a2.visits, a2.minutes, a2.cost, a2.visit_cost) == (1, 2, 208.0, Decimal("308.00"),
                                                                          Decimal("300.00"))


def test_segment_average_against_budget(contacts):
    seg = segment_costs(today=TODAY)
    ka, smb = seg[contacts["ka"].pk], seg[contacts["smb"].pk]
    assert (ka.accounts, ka.cost_per_account, ka.budget_per_account, ka.over_budget) == (
        1, Decimal("175.00"), Decimal("2000.00"), False)
    assert (smb.accounts, smb.cost_per_account, smb.budget_per_account, smb.over_budget) == (
        1, Decimal("308.00"), Decimal("300.00"), True)


def test_costlier_than_margin_or_budget(contacts):
    cases = costlier_than_worth(today=TODAY)
    assert [(c.account.name, c.cost.cost, c.margin_12m, c.budget, c.excess) for c in cases] == [
        ("Beta", Decimal("308.00"), Decimal("80.00"), Decimal("300.00"), Decimal("228.00"))]


def test_high_potential_below_plan(contacts):
    c = contacts
    CareMatrix.objects.create(segment=c["ka"], potential_classes=[["A", 500000], ["B", 0]])
    due = datetime(2026, 10, 1, 9, tzinfo=BERLIN)
    for status in ("done", "cancelled", "open"):
        Task.objects.create(kind="care_call", title="Betreuungsanruf", account=c["a1"], team=c["team"],
                            status=status, due_at=due, source="plan",
                            completed_at=due if status == "done" else None)
    Task.objects.create(kind="care_call", title="Betreuungsanruf", account=c["a2"], team=c["team2"],
                        status="open", due_at=due, source="plan")  # SMB has no matrix classes: not high potential
    cases = under_cared(today=TODAY)
    assert [(x.account.name, x.planned, x.done, x.cost.cost) for x in cases] == [("Alpha", 3, 1, Decimal("175.00"))]


@pytest.mark.parametrize(("rates", "travel", "message", "field"), [
    ({"ad": "0"}, {}, "rate_ad: the cost rate must be above zero", "rate_ad"),
    ({"ad": "-5"}, {}, "rate_ad: the cost rate must be above zero", "rate_ad"),
    ({"id": "sechzig"}, {}, "rate_id: 'sechzig' is not a number", "rate_id"),
    ({"boss": "10"}, {}, "rate_boss: unknown role", "rate_boss"),
    ({"ad": "95"}, {"999999": "30"}, "travel_999999: unknown region", "travel_999999"),
    ({"ad": "95"}, {"REGION": "-1"}, "whole minutes from 0 to 600", "travel_REGION"),
])
def test_bad_rates_change_nothing(company, rates, travel, message, field):
    travel = {(company["region"].pk if k == "REGION" else k): v for k, v in travel.items()}
    field = field.replace("REGION", str(company["region"].pk))
    with pytest.raises(TargetError) as e:
        services.cost_rates_set(rates=rates, travel=travel, actor=company["vl"])
    assert message in str(e.value)
    assert e.value.field == field
    assert not CostRate.objects.exists() and not RegionTravel.objects.exists()


def test_only_the_sales_lead_sets_rates(company):
    with pytest.raises(TargetError):
        services.cost_rates_set(rates={"ad": "90"}, actor=company["idl"])
    assert not CostRate.objects.exists()


def test_segments_api_has_care_cost_beside_budget(contacts, client):
    client.force_login(contacts["vl"])
    rows = {r["code"]: r for r in client.get("/api/v1/segments").json()}
    assert (rows["KA"]["budget_per_account"], rows["KA"]["care_cost_per_account"]) == ("2000.00", "175.00")
    assert (rows["SMB"]["budget_per_account"], rows["SMB"]["care_cost_per_account"]) == ("300.00", "308.00")


def test_window_is_the_last_12_months(contacts):
    # a day later the 200-day-old visit is still in; 400 days ago never was
    assert care_costs(today=date(2026, 11, 16))[contacts["a2"].pk].visits == 2
