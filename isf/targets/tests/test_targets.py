"""Target plans: versions, agreement by both leads, bad input, actuals and run-rate forecast, the API."""

from decimal import Decimal

import pytest
from django.utils import translation

from isf.reviews.models import ReviewMeeting
from isf.targets import services
from isf.targets.choices import PlanAction, PlanStatus
from isf.targets.models import Target, TargetPlan, TargetPlanEvent
from isf.targets.selectors import target_progress
from isf.targets.services import TargetError

from .conftest import NOW


def _q4(company, values: dict):
    plan = services.target_plan_create(period="2026-Q4", actor=company["vl"])
    for (scope, code, metric), value in values.items():
        services.target_set(plan=plan, period="2026-Q4", scope=scope, code=code, metric=metric, value=value,
                            actor=company["vl"])
    return plan


def test_targets_against_actual_with_run_rate(company):
    plan = services.target_plan_create(period="2026-Q4", actor=company["vl"])
    for scope, code, metric, value in [
        ("segment", "KA", "revenue", "4000"), ("segment", "KA", "margin", "1000"),
        ("segment", "SMB", "new_customers", "4"), ("team", "KAT", "revenue", "3000"),
        ("rep", "ad1", "revenue", "2500"), ("rep", "ad2", "revenue", "800"),
    ]:
        services.target_set(plan=plan, period="2026-Q4", scope=scope, code=code, metric=metric, value=value,
                            actor=company["vl"])
    got, rows = target_progress(period="2026-Q4")
    assert got == plan
    # 15 November: 46 of Q4's 92 days, so the forecast is twice the actual
    assert [(r.scope, r.code, r.metric, r.target, r.actual, r.attainment, r.forecast) for r in rows] == [
        ("segment", "KA", "revenue", Decimal("4000.00"), Decimal("1000.00"), 0.25, Decimal("2000.00")),
        ("segment", "KA", "margin", Decimal("1000.00"), Decimal("300.00"), 0.3, Decimal("600.00")),
        ("segment", "SMB", "new_customers", Decimal("4.00"), Decimal("1.00"), 0.25, Decimal("2.00")),
        ("team", "KAT", "revenue", Decimal("3000.00"), Decimal("1000.00"), 0.3333, Decimal("2000.00")),
        ("rep", "ad1", "revenue", Decimal("2500.00"), Decimal("1000.00"), 0.4, Decimal("2000.00")),
        ("rep", "ad2", "revenue", Decimal("800.00"), Decimal("400.00"), 0.5, Decimal("800.00")),
    ]


def test_agreement_needs_both_leads_and_supersedes_the_last_version(company):
    vl, idl = company["vl"], company["idl"]
    v1 = _q4(company, {("segment", "KA", "revenue"): "4000"})
    services.target_plan_agree(plan=v1, actor=vl)
    v1.refresh_from_db()
    assert (v1.status, v1.sales_lead, v1.inside_lead) == (PlanStatus.DRAFT, vl, None)
    services.target_plan_agree(plan=v1, actor=idl)
    v1.refresh_from_db()
    assert (v1.status, v1.sales_lead, v1.inside_lead, v1.agreed_at) == (PlanStatus.AGREED, vl, idl, NOW)
    # a change after agreement needs a new version, which starts from the agreed targets
    with pytest.raises(TargetError, match="^plan: version 1 of 2026-Q4 is Agreed"):
        services.target_set(plan=v1, period="2026-Q4", scope="segment", code="KA", metric="revenue", value="1",
                            actor=vl)
    v2 = services.target_plan_create(period="2026-Q4", actor=idl)
    assert (v2.version, list(v2.targets.values_list("code", "value"))) == (2, [("KA", Decimal("4000.00"))])
    services.target_set(plan=v2, period="2026-Q4", scope="segment", code="KA", metric="revenue", value="4500",
                        actor=idl)
    # until v2 is agreed, v1 counts
    assert target_progress(period="2026-Q4")[1][0].target == Decimal("4000.00")
    services.target_plan_agree(plan=v2, actor=idl)
    services.target_plan_agree(plan=v2, actor=vl)
    v1.refresh_from_db()
    assert v1.status == PlanStatus.SUPERSEDED
    assert target_progress(period="2026-Q4")[1][0].target == Decimal("4500.00")
    assert list(TargetPlanEvent.objects.filter(plan=v1).order_by("pk").values_list("action", "to_status")) == [
        (PlanAction.CREATED, PlanStatus.DRAFT), (PlanAction.CHANGED, ""), (PlanAction.APPROVED, ""),
        (PlanAction.AGREED, PlanStatus.AGREED), (PlanAction.SUPERSEDED, PlanStatus.SUPERSEDED)]


def test_agreed_in_a_review_meeting_records_both_leads_and_the_meeting(company):
    meeting = ReviewMeeting.objects.create(title="Q4", period_start=NOW.date(), period_end=NOW.date(),
                                           scheduled_at=NOW, sales_lead=company["vl"], inside_lead=company["idl"])
    plan = _q4(company, {("team", "KAT", "planned_contacts"): "120"})
    services.target_plan_agree(plan=plan, actor=company["idl"], meeting=meeting)
    plan.refresh_from_db()
    assert (plan.status, plan.sales_lead, plan.inside_lead, plan.meeting) == (
        PlanStatus.AGREED, company["vl"], company["idl"], meeting)
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Targets 2026-Q4 agreed (version 1)"]


def test_a_period_overlapping_an_agreed_version_is_refused(company):
    year = services.target_plan_create(period="2026", actor=company["vl"])
    services.target_set(plan=year, period="2026-Q4", scope="segment", code="KA", metric="revenue", value="4000",
                        actor=company["vl"])
    services.target_plan_agree(plan=year, actor=company["vl"])
    services.target_plan_agree(plan=year, actor=company["idl"])
    with pytest.raises(TargetError, match=r"^period: 2026-Q4 overlaps the agreed targets for 2026 \(version 1\)") as e:
        services.target_plan_create(period="2026-Q4", actor=company["vl"])
    assert e.value.field == "period"
    assert TargetPlan.objects.count() == 1
    # the year's Q4 target is found for Q4
    assert [r.target for r in target_progress(period="2026-Q4")[1]] == [Decimal("4000.00")]


@pytest.mark.parametrize(("values", "message", "field"), [
    ({"value": "-1"}, "target: a target must not be negative", "target"),
    ({"value": "abc"}, "target: 'abc' is not a number", "target"),
    ({"value": "NaN"}, "target: 'NaN' is not a number", "target"),
    ({"code": "XX"}, "code: unknown segment 'XX'", "code"),
    ({"scope": "team", "code": "NOPE"}, "code: unknown inside team 'NOPE'", "code"),
    ({"scope": "rep", "code": "id1"}, "code: 'id1' is no field rep's user name", "code"),
    ({"scope": "region"}, "scope: 'region' is not segment, team or rep", "scope"),
    ({"metric": "profit"}, "metric: 'profit' is not one of", "metric"),
    ({"period": "2027-01"}, "period: 2027-01 lies outside the plan's period 2026-Q4", "period"),
    ({"period": "Q4"}, "period: 'Q4' is not a period", "period"),
    ({"code": "K\x00A"}, "code: contains the control character U+0000", "code"),
    ({"value": "1\x00"}, "target: contains the control character U+0000", "target"),
])
def test_bad_targets_are_refused_and_nothing_changes(company, values, message, field):
    plan = _q4(company, {("segment", "KA", "revenue"): "4000"})
    args = {"period": "2026-Q4", "scope": "segment", "code": "KA", "metric": "revenue", "value": "5000", **values}
    with pytest.raises(TargetError) as e:
        services.target_set(plan=plan, actor=company["vl"], **args)
    assert str(e.value).startswith(message)
    assert e.value.field == field
    assert list(Target.objects.values_list("code", "metric", "value")) == [("KA", "revenue", Decimal("4000.00"))]


def test_a_target_as_typed_on_a_german_page(company):
    with translation.override("de"):
        plan = _q4(company, {("segment", "KA", "revenue"): "1.234.500,50", ("segment", "KA", "margin"): "99,5"})
        assert sorted(plan.targets.values_list("metric", "value")) == [
            ("margin", Decimal("99.50")), ("revenue", Decimal("1234500.50"))]
        # the one number parser: a German page reads "300.000" as three hundred thousand, and refuses "99.5"
        # (a point between the thousands) instead of guessing
        services.target_set(plan=plan, period="2026-Q4", scope="segment", code="KA", metric="revenue",
                            value="300.000", actor=company["vl"])
        assert plan.targets.get(metric="revenue").value == Decimal("300000.00")
        with pytest.raises(TargetError, match="99.5"):
            services.target_set(plan=plan, period="2026-Q4", scope="segment", code="KA", metric="margin",
                                value="99.5", actor=company["vl"])
    with translation.override("en"):
        services.target_set(plan=plan, period="2026-Q4", scope="segment", code="KA", metric="revenue",
                            value="300,000.5", actor=company["vl"])
        assert plan.targets.get(metric="revenue").value == Decimal("300000.50")


def test_only_leads_write_targets(company):
    with pytest.raises(TargetError):
        services.target_plan_create(period="2026-Q4", actor=company["rep"])
    assert not TargetPlan.objects.exists()


def test_import_writes_all_rows_or_none(company):
    plan = services.target_plan_create(period="2026", actor=company["vl"])
    good = [(2, {"period": "2026", "scope": "segment", "code": "KA", "metric": "revenue", "target": "16000"}),
            (3, {"period": "2026-Q4", "scope": "team", "code": "KAT", "metric": "margin", "target": "900"})]
    bad = [*good, (4, {"period": "2026-12", "scope": "team", "code": "GHOST", "metric": "revenue", "target": "1"})]
    with pytest.raises(TargetError, match="^row 4: code: unknown inside team 'GHOST'$") as e:
        services.targets_import(plan=plan, rows=bad, actor=company["vl"])
    assert (e.value.row, Target.objects.count()) == (4, 0)
    twice = [*good, (5, dict(good[0][1], target="1"))]
    with pytest.raises(TargetError, match="^row 5: the same target as row 2$"):
        services.targets_import(plan=plan, rows=twice, actor=company["vl"])
    negative = [(2, dict(good[0][1], target="-5"))]
    with pytest.raises(TargetError, match="^row 2: target: a target must not be negative$"):
        services.targets_import(plan=plan, rows=negative, actor=company["vl"])
    assert Target.objects.count() == 0
    assert services.targets_import(plan=plan, rows=good, actor=company["vl"]) == 2
    assert sorted(Target.objects.values_list("period", "code", "value")) == [
        ("2026", "KA", Decimal("16000.00")), ("2026-Q4", "KAT", Decimal("900.00"))]


def _api(client, user, period="2026-Q4"):
    client.force_login(user)
    return client.get(f"/api/v1/targets?period={period}")


def test_api_targets_permissions(company, client):
    plan = services.target_plan_create(period="2026-Q4", actor=company["vl"])
    for scope, code, metric, value in [("segment", "KA", "revenue", "4000"), ("segment", "KA", "new_customers", "2"),
                                       ("team", "KAT", "revenue", "3000"), ("team", "KAT", "margin", "900"),
                                       ("rep", "ad1", "revenue", "2500"),
                                       ("rep", "ad2", "revenue", "800")]:
        services.target_set(plan=plan, period="2026-Q4", scope=scope, code=code, metric=metric, value=value,
                            actor=company["vl"])
    body = _api(client, company["vl"]).json()
    assert (body["period"], body["plan_version"], body["plan_status"]) == ("2026-Q4", 1, "draft")
    assert body["items"][0] == {"scope": "segment", "code": "KA", "metric": "revenue", "target": "4000.00",
                                "actual": "1000.00", "attainment": 0.25, "forecast": "2000.00"}
    assert len(body["items"]) == 6
    rep_items = _api(client, company["rep"]).json()["items"]
    assert [(i["scope"], i["code"]) for i in rep_items] == [("rep", "ad1")]
    agent_items = _api(client, company["agent"]).json()["items"]
    assert [(i["scope"], i["code"], i["metric"]) for i in agent_items] == [("team", "KAT", "revenue")]  # no margin
    mkt_items = _api(client, company["mkt"]).json()["items"]
    assert [(i["code"], i["metric"]) for i in mkt_items] == [("KA", "new_customers")]


@pytest.mark.parametrize("period", ["2026-Q9", "", "x" * 500])
def test_api_bad_period_is_a_400_naming_the_field(company, client, period):
    r = _api(client, company["vl"], period)
    assert r.status_code == 400
    assert r.json()["field"] == "period"


def test_api_period_without_targets_is_empty(company, client):
    assert _api(client, company["vl"], "2025").json()["items"] == []
