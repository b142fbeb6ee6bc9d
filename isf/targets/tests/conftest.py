"""A small company on 15 November 2026: two segments, one inside team, two field reps, orders around Q4."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from isf.calls.models import CallLog
from isf.capacity.models import StaffingParameters
from isf.customers.tests.factories import AccountFactory, OrderFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
from isf.segmentation.models import Segment
from isf.targets import services
from isf.visits.models import VisitReport, VisitType

TODAY = date(2026, 11, 15)
NOW = datetime(2026, 11, 15, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def company(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    team = TeamFactory(code="KAT", name="KA-Team")
    team2 = TeamFactory(code="SMBT", name="KMU-Team")
    ka = Segment.objects.create(code="KA", name_de="Key Account", name_en="Key account", precedence=1,
                                care_budget=Decimal("2000"), team=team)
    smb = Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB", precedence=3,
                                 care_budget=Decimal("300"), team=team2)
    region = RegionFactory(code="SUED", name="Süd")
    vl = UserFactory(username="vl", role=Role.SALES_LEAD)
    idl = UserFactory(username="idl", role=Role.INSIDE_LEAD)
    rep = UserFactory(username="ad1", role=Role.FIELD_REP, region=region)
    rep2 = UserFactory(username="ad2", role=Role.FIELD_REP, region=region)
    agent = UserFactory(username="id1", role=Role.INSIDE_AGENT, team=team)
    mkt = UserFactory(username="mkt", role=Role.MARKETING)
    a1 = AccountFactory(name="Alpha", segment=ka, team=team, owner=rep, region=region, potential=Decimal("900000"))
    a2 = AccountFactory(name="Beta", segment=smb, team=team2, owner=rep2, region=region, potential=Decimal("20000"))
    # a1: one order before Q4 (so it is no new customer), one in Q4; a2: first order ever in Q4 (new customer)
    add_line(OrderFactory(account=a1, date=date(2026, 9, 30)), revenue="500.00", margin="100.00")
    add_line(OrderFactory(account=a1, date=date(2026, 10, 5)), revenue="1000.00", margin="300.00")
    add_line(OrderFactory(account=a2, date=date(2026, 11, 2)), revenue="400.00", margin="80.00")
    return {"team": team, "team2": team2, "ka": ka, "smb": smb, "region": region, "vl": vl, "idl": idl, "rep": rep,
            "rep2": rep2, "agent": agent, "mkt": mkt, "a1": a1, "a2": a2}


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language); the German catalog is checked on the pages."""
    from django.utils import translation

    with translation.override("en"):
        yield


BERLIN = ZoneInfo("Europe/Berlin")


def _call(account, team, direction, agent=None, day=TODAY - timedelta(days=10)):
    return CallLog.objects.create(account=account, team=team, agent=agent, direction=direction, outcome="info",
                                  started_at=datetime.combine(day, datetime.min.time(), tzinfo=BERLIN).replace(hour=9))


def _visit(account, author, day=TODAY - timedelta(days=20)):
    vt = VisitType.objects.get_or_create(code="std", defaults={"name_de": "Besuch", "name_en": "Visit"})[0]
    return VisitReport.objects.create(client_id=f"v-{VisitReport.objects.count()}", account=account, author=author,
                                      visit_date=day, visit_type=vt)


@pytest.fixture
def contacts(company):
    c = company
    StaffingParameters.objects.create(team=c["team"], outbound_minutes=Decimal("10"), aht_seconds=300)
    services.cost_rates_set(rates={"id": "60", "ad": "90"}, travel={c["region"].pk: "40"}, actor=c["vl"])
    # Alpha (KA, team KAT): 2 outbound calls of 10 min at 60 €/h = 20 €, 1 inbound of 5 min = 5 €,
    # 1 visit of 60 + 40 min at 90 €/h = 150 €: 175 €. A call 400 days ago is outside the 12 months.
    _call(c["a1"], c["team"], "outbound", c["agent"])
    _call(c["a1"], c["team"], "outbound", c["agent"])
    _call(c["a1"], c["team"], "inbound", c["agent"])
    _call(c["a1"], c["team"], "outbound", c["agent"], day=TODAY - timedelta(days=400))
    _visit(c["a1"], c["rep"])
    # Beta (SMB, team without parameters: 8 min): 1 call, no agent recorded (inside agent's rate) = 8 €,
    # 2 visits of 100 min at 90 €/h = 300 €: 308 € - more than its margin (80 €) and its budget (300 €).
    _call(c["a2"], c["team2"], "outbound")
    _visit(c["a2"], c["rep2"])
    _visit(c["a2"], c["rep2"], day=TODAY - timedelta(days=200))
    return c
