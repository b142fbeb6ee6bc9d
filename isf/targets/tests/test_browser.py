"""A browser walk of the VL's and the IDL's target and care-cost views, in German and in English.

Dates come from one ``today`` (the live server runs on the real clock): an order placed today always lies
in the current quarter, so the actual is exact; the forecast depends on the day and is not asserted.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.calls.models import CallLog
from isf.customers.tests.factories import AccountFactory, OrderFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
from isf.reviews.models import ReviewMeeting
from isf.segmentation.models import Segment
from isf.targets import services
from isf.targets.choices import PlanStatus
from isf.targets.models import TargetPlan
from isf.targets.periods import current_period
from isf.visits.models import VisitReport, VisitType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    today = timezone.localdate()
    quarter = current_period("quarter", today)
    team = TeamFactory(code="KAT", name="KA-Team")
    ka = Segment.objects.create(code="KA", name_de="Key Account", name_en="Key account", precedence=1,
                                care_budget=Decimal("100"), team=team)
    region = RegionFactory(code="SUED", name="Süd")
    vl = UserFactory(username="vl-walk", role=Role.SALES_LEAD)
    idl = UserFactory(username="idl-walk", role=Role.INSIDE_LEAD)
    rep = UserFactory(username="ad-walk", role=Role.FIELD_REP, region=region)
    account = AccountFactory(name="Teuer GmbH", segment=ka, team=team, owner=rep, region=region)
    add_line(OrderFactory(account=account, date=today), revenue="1000.00", margin="20.00")
    vt = VisitType.objects.create(code="std", name_de="Besuch", name_en="Visit")
    VisitReport.objects.create(client_id="walk-1", account=account, author=rep, visit_date=today - timedelta(days=3),
                               visit_type=vt)
    CallLog.objects.create(account=account, team=team, direction="outbound", outcome="info",
                           started_at=timezone.make_aware(datetime.combine(today - timedelta(days=2), time(10))))
    plan = services.target_plan_create(period=quarter.code, actor=vl)
    services.target_set(plan=plan, period=quarter.code, scope="segment", code="KA", metric="revenue", value="4000",
                        actor=vl)
    services.target_set(plan=plan, period=quarter.code, scope="team", code="KAT", metric="revenue", value="3000",
                        actor=vl)
    meeting = ReviewMeeting.objects.create(title="Review", period_start=quarter.start, period_end=quarter.end,
                                           scheduled_at=timezone.now(), sales_lead=vl, inside_lead=idl)
    return {"quarter": quarter, "plan": plan, "meeting": meeting, "account": account}


def test_vl_walks_targets_and_care_cost_in_german_and_english(make_page, world):
    q = world["quarter"].code
    page = make_page(1280, 900, "de-DE")
    browser_login(page, "vl-walk")
    row = page.locator("[data-testid=progress-segment-KA-revenue]")
    assert "Umsatz" in row.inner_text() and "1.000 €" in row.inner_text() and "25 %" in row.inner_text()
    assert page.locator("[data-testid=progress-team-KAT-revenue]").count() == 0  # the VL's home: segments
    page.goto(f"{page.base_url}/targets/?period={q}")
    assert page.locator("h1").inner_text() == f"Ziele {q}"
    page.click(f"[data-testid=plans] >> text={q}")
    page.click("[data-testid=agree]")
    page.wait_for_load_state("networkidle")
    assert "Ihre Zustimmung ist erfasst" in page.content()
    assert TargetPlan.objects.get().sales_lead.username == "vl-walk"
    page.goto(f"{page.base_url}/targets/care-cost/")
    assert "Betreuungskosten gegen Betreuungsbudget" in page.locator("h1").inner_text()
    costly = page.locator(f"[data-testid=costly-{world['account'].erp_number}]")
    assert "Teuer GmbH" in costly.inner_text()
    page.click("[data-testid=call-instead-KA]")
    page.wait_for_load_state("networkidle")
    assert "ein dokumentierter Anruf zählt jetzt als fälliger Besuch" in page.content()

    en = make_page(390, 844, "en-US")  # the phone width
    browser_login(en, "vl-walk")
    en.goto(f"{en.base_url}/targets/care-cost/")
    assert en.locator("h1").inner_text() == "Care cost against the care budget"
    assert "Teuer GmbH" in en.locator("[data-testid=costly]").inner_text()
    en.goto(f"{en.base_url}/targets/?period={q}")
    assert "Revenue" in en.locator("[data-testid=progress-segment-KA-revenue]").inner_text()
    width = en.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_idl_agrees_in_the_review_meeting_in_german_and_reads_english(make_page, world):
    page = make_page(1280, 900, "de-DE")
    browser_login(page, "idl-walk")
    row = page.locator("[data-testid=progress-team-KAT-revenue]")
    assert "Umsatz" in row.inner_text() and "1.000 €" in row.inner_text()
    page.goto(f"{page.base_url}/reviews/{world['meeting'].pk}/")
    page.click(f"[data-testid=agree-{world['quarter'].code}]")
    page.wait_for_load_state("networkidle")
    assert "agreed-here" in page.content()
    plan = TargetPlan.objects.get()
    assert (plan.status, plan.meeting_id) == (PlanStatus.AGREED, world["meeting"].pk)

    en = make_page(1280, 900, "en-US")
    browser_login(en, "idl-walk")
    assert "Targets " + world["quarter"].code in en.locator("[data-testid=targets-panel] h2").inner_text()
    assert "Version 1 of" in en.locator("[data-testid=targets-panel]").inner_text()
    en.goto(f"{en.base_url}/reviews/{world['meeting'].pk}/pack/")
    assert "Revenue" in en.locator("[data-testid=pack-targets]").inner_text()
