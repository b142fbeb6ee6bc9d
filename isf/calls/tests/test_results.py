"""What inside sales brought in, as read: GET /api/v1/results (items add up to the total), the results page per
team, agent and segment with the segment's share, the IDL's overview, the review pack, and who may see it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from isf.calls.attribution import attribution_refresh
from isf.calls.tests.attribution_cases import call, done_task, groups, order, product
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.segmentation.models import Segment

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def w(time_machine):
    """October 2026: team SMB takes a phone order (1,180) and wins back a customer (640); team KA sells a cross-sell
    (300 of a 800 order); an order of no team's call (90); one order in September (not in the month)."""
    time_machine.move_to(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC))
    g = groups()
    bef, dch = product(g["BEF"]), product(g["DCH"])
    smb_team, ka_team = TeamFactory(code="SMB", name="SMB-Team"), TeamFactory(code="KA", name="KA-Team")
    smb = Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB", team=smb_team, precedence=30)
    ka = Segment.objects.create(code="KA", name_de="Schlüsselkunden", name_en="Key accounts", team=ka_team,
                                precedence=10)
    anna = UserFactory(username="anna", first_name="Anna", last_name="Adler", role=Role.INSIDE_AGENT, team=smb_team)
    bernd = UserFactory(username="bernd", first_name="Bernd", last_name="Berg", role=Role.INSIDE_AGENT, team=ka_team)
    lone = UserFactory(username="lone", first_name="Lena", last_name="Lose", role=Role.INSIDE_AGENT, team=None)
    a1, a2 = AccountFactory(segment=smb, team=smb_team), AccountFactory(segment=smb, team=smb_team)
    k1 = AccountFactory(segment=ka, team=ka_team)
    call(anna, a1, D(2026, 10, 5), outcome="order", order_value="1200.00")
    order(a1, D(2026, 10, 7), (bef, "1180.00", "350.00"), number="ERP-PHONE")
    done_task(anna, a2, D(2026, 9, 28))
    order(a2, D(2026, 10, 12), (bef, "640.00", "190.00"), number="ERP-WINBACK")
    order(a2, D(2026, 10, 20), (bef, "2000.00", "500.00"), number="ERP-NOT-ATTRIBUTED")
    call(bernd, k1, D(2026, 10, 1), cross_sell_group=g["DCH"], accepted=True)
    order(k1, D(2026, 10, 15), (bef, "500.00", "150.00"), (dch, "300.00", "120.00"), number="ERP-CROSS")
    call(lone, k1, D(2026, 9, 2), outcome="order", order_value="90.00")
    order(k1, D(2026, 9, 3), (bef, "90.00", "20.00"), number="ERP-SEPT")
    call(lone, a1, D(2026, 10, 25), outcome="order", order_value="90.00")
    order(a1, D(2026, 10, 26), (bef, "90.00", "25.00"), number="ERP-NO-TEAM")
    attribution_refresh(since=D(2026, 1, 1), until=D(2026, 11, 20))
    users = {role: UserFactory(username=f"u-{role}", role=role) for role in Role.values}
    return {"users": users, "anna": anna, "bernd": bernd}


def _get(user, url, **params):
    client = Client()
    client.force_login(user)
    return client.get(url, params)


def test_api_results_per_team_add_up_to_the_total(w):
    resp = _get(w["users"][Role.INSIDE_LEAD], "/api/v1/results", period="2026-10")
    assert resp.status_code == 200
    body = resp.json()
    assert body["period"] == "2026-10"
    items = {i["team"]: i for i in body["items"]}
    assert list(items) == ["KA", "SMB", None]
    assert [(t, i["attributed_revenue"], i["attributed_margin"], i["orders"]) for t, i in items.items()] == [
        ("KA", 300.0, 120.0, 1), ("SMB", 1820.0, 540.0, 2), (None, 90.0, 25.0, 1)]
    assert items["SMB"]["by_rule"] == {
        "phone_order": {"orders": 1, "revenue": 1180.0, "margin": 350.0},
        "quote_won": {"orders": 0, "revenue": 0.0, "margin": 0.0},
        "cross_sell": {"orders": 0, "revenue": 0.0, "margin": 0.0},
        "win_back": {"orders": 1, "revenue": 640.0, "margin": 190.0}}
    total = body["total"]
    assert (total["attributed_revenue"], total["attributed_margin"], total["orders"]) == (2210.0, 685.0, 4)
    assert sum(Decimal(str(i["attributed_revenue"])) for i in body["items"]) == Decimal("2210.0")
    assert sum(Decimal(str(i["attributed_margin"])) for i in body["items"]) == Decimal("685.0")
    for rule, part in total["by_rule"].items():
        assert part["revenue"] == sum(i["by_rule"][rule]["revenue"] for i in body["items"])
    assert total["by_rule"]["phone_order"] == {"orders": 2, "revenue": 1270.0, "margin": 375.0}


def test_api_results_of_another_month_and_a_bad_period(w):
    vl = w["users"][Role.SALES_LEAD]
    body = _get(vl, "/api/v1/results", period="2026-09").json()
    assert body["total"]["attributed_revenue"] == 90.0
    assert [i["team"] for i in body["items"]] == ["KA", "SMB", None]
    empty = _get(vl, "/api/v1/results", period="2025-01").json()
    assert [i["team"] for i in empty["items"]] == ["KA", "SMB"]
    assert empty["total"]["attributed_revenue"] == 0.0
    for bad in ("2026-13", "10/2026", "abc", "2026-1", "1899-12", "２０２６-10"):
        resp = _get(vl, "/api/v1/results", period=bad)
        assert resp.status_code == 400, bad
        assert resp.json()["field"] == "period"
    assert _get(vl, "/api/v1/results").json()["period"] == "2026-11"


@pytest.mark.parametrize(("role", "status"), [(Role.SALES_LEAD, 200), (Role.INSIDE_LEAD, 200),
                                              (Role.INSIDE_AGENT, 403), (Role.FIELD_REP, 403),
                                              (Role.MARKETING, 403), (Role.ADMIN, 403)])
def test_only_the_leads_see_the_results(w, role, status):
    user = w["users"][role]
    assert _get(user, "/api/v1/results", period="2026-10").status_code == status
    page = _get(user, "/call/results/", period="2026-10")
    assert page.status_code == (200 if status == 200 else 403)
    if status != 200:
        assert "1.180" not in page.content.decode() and "1,180" not in page.content.decode()


def test_marketing_and_reps_see_no_attributed_revenue_on_their_home_pages(w):
    for role in (Role.MARKETING, Role.FIELD_REP, Role.INSIDE_AGENT):
        resp = _get(w["users"][role], "/home/")
        assert resp.status_code == 200
        assert 'data-testid="inside-sales-results"' not in resp.content.decode()


def test_rules_page_lists_the_rules_with_windows_for_leads_and_agents(w, settings):
    settings.ISF_WIN_BACK_DAYS = 120
    resp = _get(w["users"][Role.INSIDE_AGENT], "/call/attribution/", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    html = resp.content.decode()
    for code, days in (("phone_order", 14), ("quote_won", 60), ("cross_sell", 60), ("win_back", 120)):
        assert f'data-testid="days-{code}">{days}<' in html
    assert _get(w["users"][Role.MARKETING], "/call/attribution/").status_code == 403
    assert _get(w["users"][Role.FIELD_REP], "/call/attribution/").status_code == 403


def test_results_page_per_agent_and_segment_with_the_share_of_the_segment(w):
    client = Client()
    client.force_login(w["users"][Role.SALES_LEAD])
    client.cookies["django_language"] = "en"
    resp = client.get("/call/results/", {"period": "2026-10"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200
    agents = [(r.label, r.revenue) for r in resp.context["agents"]]
    assert agents == [("Anna Adler", Decimal("1820.00")), ("Bernd Berg", Decimal("300.00")),
                      ("Lena Lose", Decimal("90.00"))]
    segments = {r.code: (r.revenue, r.segment_revenue, round(r.share, 4)) for r in resp.context["segments"]}
    # SMB: 1,180 + 640 + 90 of 1,180 + 640 + 2,000 + 90 = 3,910; KA: 300 of 800
    assert segments == {"KA": (Decimal("300.00"), Decimal("800.00"), 0.375),
                        "SMB": (Decimal("1910.00"), Decimal("3910.00"), round(1910 / 3910, 4))}
    html = resp.content.decode()
    assert "37.5 %" in html
    sources = {a.order.number: (a.rule, a.call_id is not None, a.task_id is not None) for a in resp.context["page"]}
    assert sources == {"ERP-PHONE": ("phone_order", True, False), "ERP-WINBACK": ("win_back", False, True),
                       "ERP-CROSS": ("cross_sell", True, False), "ERP-NO-TEAM": ("phone_order", True, False)}
    winback = html.split('data-testid="attributed-ERP-WINBACK"')[1].split("</tr>")[0]
    assert "Win-back call" in winback and "Anna Adler" in winback


def test_idl_overview_shows_this_months_results_per_team(w, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 31, 12, 0, tzinfo=dt.UTC))
    html = _get(w["users"][Role.INSIDE_LEAD], "/home/").content.decode()
    assert 'data-testid="inside-sales-results"' in html
    panel = html.split('data-testid="inside-sales-results"')[1]
    row = panel.split('data-testid="team-SMB"')[1].split("</tr>")[0]
    assert 'data-testid="revenue">1.820 €' in row or 'data-testid="revenue">1,820 €' in row


def test_review_pack_has_the_results_of_its_period(w):
    from isf.reviews import services

    vl, idl = w["users"][Role.SALES_LEAD], w["users"][Role.INSIDE_LEAD]
    meeting = services.meeting_create(title="Review Oktober", period_start=D(2026, 10, 1),
                                      period_end=D(2026, 10, 31), scheduled_at=dt.datetime(2026, 11, 5, 9,
                                                                                           tzinfo=dt.UTC),
                                      sales_lead=vl, inside_lead=idl, actor=vl)
    resp = _get(vl, f"/reviews/{meeting.pk}/pack/")
    assert resp.status_code == 200
    section = resp.content.decode().split('data-testid="pack-results"')[1]
    total = section.split('data-testid="team-total"')[1].split("</tr>")[0]
    assert ">4<" in total
    assert "2.210 €" in total or "2,210 €" in total
    ka = section.split('data-testid="segment-KA"')[1].split("</tr>")[0]
    assert 'data-testid="share">37.5 %' in ka or 'data-testid="share">37,5 %' in ka
