"""The target and care-cost pages: who may open and act, bad input on the pages, the one-step actions."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from isf.campaigns.models import Campaign
from isf.customers.tests.factories import PhoneFactory
from isf.planning.models import CareMatrix
from isf.reviews.models import ReviewMeeting
from isf.targets import services
from isf.targets.choices import PlanStatus
from isf.targets.models import CostRate, Target, TargetPlan

from .conftest import NOW, TODAY


@pytest.fixture
def plan(company):
    p = services.target_plan_create(period="2026-Q4", actor=company["vl"])
    services.target_set(plan=p, period="2026-Q4", scope="segment", code="KA", metric="revenue", value="4000",
                        actor=company["vl"])
    services.target_set(plan=p, period="2026-Q4", scope="team", code="KAT", metric="revenue", value="3000",
                        actor=company["vl"])
    services.target_set(plan=p, period="2026-Q4", scope="rep", code="ad1", metric="revenue", value="2500",
                        actor=company["vl"])
    return p


@pytest.mark.parametrize(("user", "status"), [("vl", 200), ("idl", 200), ("rep", 403), ("agent", 403), ("mkt", 403)])
def test_targets_page_is_for_the_leads(company, plan, client, user, status):
    client.force_login(company[user])
    r = client.get("/targets/?period=2026-Q4")
    assert r.status_code == status
    if status == 200:
        assert 'data-testid="progress-segment-KA-revenue"' in r.content.decode()


def test_home_pages_show_each_role_its_targets(company, plan, client):
    for user, shown, hidden in [("vl", "progress-segment-KA-revenue", "progress-team-KAT-revenue"),
                                ("idl", "progress-team-KAT-revenue", "progress-segment-KA-revenue"),
                                ("rep", "progress-rep-ad1-revenue", "progress-team-KAT-revenue")]:
        client.force_login(company[user])
        page = client.get("/home/").content.decode()
        assert shown in page and hidden not in page, user
    client.force_login(company["rep2"])  # another rep: no targets of his, no panel
    assert "targets-panel" not in client.get("/home/").content.decode()


def test_negative_target_on_the_page_is_refused_with_the_field(company, plan, client):
    client.force_login(company["vl"])
    r = client.post(f"/targets/plans/{plan.pk}/targets/", {"period": "2026-Q4", "scope": "segment", "code": "KA",
                                                           "metric": "revenue", "value": "-100"})
    assert r.status_code == 400
    assert "Zielwert: ein Ziel darf nicht negativ sein" in r.content.decode()
    assert Target.objects.get(plan=plan, scope="segment").value == Decimal("4000.00")


def _csv(text):
    return SimpleUploadedFile("ziele.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_names_the_bad_row_and_imports_nothing(company, plan, client):
    client.force_login(company["vl"])
    bad = "period;scope;code;metric;target\n2026-10;segment;KA;revenue;1200\n2026-11;team;GHOST;revenue;900\n"
    r = client.post(f"/targets/plans/{plan.pk}/import/", {"file": _csv(bad)})
    assert r.status_code == 400
    assert "Zeile 3: Kürzel: unbekanntes Innendienst-Team &#x27;GHOST&#x27;" in r.content.decode()
    assert Target.objects.filter(plan=plan).count() == 3
    good = "period;scope;code;metric;target\n2026-10;segment;KA;revenue;1200,50\n2026-Q4;segment;SMB;margin;700\n"
    r = client.post(f"/targets/plans/{plan.pk}/import/", {"file": _csv(good)})
    assert r.status_code == 302
    assert Target.objects.get(plan=plan, period="2026-10").value == Decimal("1200.50")
    assert Target.objects.filter(plan=plan).count() == 5


def test_import_without_the_columns_is_refused(company, plan, client):
    client.force_login(company["vl"])
    r = client.post(f"/targets/plans/{plan.pk}/import/", {"file": _csv("a;b\n1;2\n")})
    assert r.status_code == 400
    assert "die Spalten period, scope, code, metric, target fehlen" in r.content.decode()


def test_agreed_in_the_review_meeting_from_its_page(company, plan, client):
    meeting = ReviewMeeting.objects.create(title="Review 11/2026", period_start=TODAY.replace(day=1),
                                           period_end=TODAY.replace(day=30), scheduled_at=NOW,
                                           sales_lead=company["vl"], inside_lead=company["idl"])
    client.force_login(company["idl"])
    page = client.get(f"/reviews/{meeting.pk}/").content.decode()
    assert 'data-testid="agree-2026-Q4"' in page
    r = client.post(f"/targets/plans/{plan.pk}/agree/", {"meeting": meeting.pk, "back": "meeting"})
    assert r.status_code == 302 and r["Location"] == f"/reviews/{meeting.pk}/"
    plan.refresh_from_db()
    assert (plan.status, plan.sales_lead, plan.inside_lead, plan.meeting) == (
        PlanStatus.AGREED, company["vl"], company["idl"], meeting)
    page = client.get(f"/reviews/{meeting.pk}/").content.decode()
    assert 'data-testid="agreed-here"' in page and "Ziele 2026-Q4 vereinbart (Version 1)" in page


def test_review_pack_shows_the_quarter_of_a_quarter_meeting(company, plan, client):
    meeting = ReviewMeeting.objects.create(title="Q4", period_start=TODAY.replace(month=10, day=1),
                                           period_end=TODAY.replace(month=12, day=31), scheduled_at=NOW,
                                           sales_lead=company["vl"], inside_lead=company["idl"])
    client.force_login(company["vl"])
    page = client.get(f"/reviews/{meeting.pk}/pack/").content.decode()
    assert 'data-testid="pack-targets"' in page and 'data-testid="progress-team-KAT-revenue"' in page


def test_care_cost_page_and_its_call_list(contacts, client):
    c = contacts
    PhoneFactory(account=c["a2"])  # a call list needs a number to call
    client.force_login(c["idl"])
    page = client.get("/targets/care-cost/").content.decode()
    assert f'data-testid="costly-{c["a2"].erp_number}"' in page
    assert 'data-testid="costly-call-list"' not in page  # the IDL reads; the VL acts
    assert client.post("/targets/care-cost/call-list/", {"list": "costly", "account": [c["a2"].pk]}).status_code == 403
    assert not Campaign.objects.exists()
    client.force_login(c["vl"])
    r = client.post("/targets/care-cost/call-list/", {"list": "costly", "account": [c["a2"].pk]})
    campaign = Campaign.objects.get()
    assert r.status_code == 302
    assert list(campaign.entries.values_list("account_id", flat=True)) == [c["a2"].pk]
    assert campaign.filters == {"account": [c["a2"].pk]}


def test_hostile_ids_make_no_call_list(contacts, client):
    client.force_login(contacts["vl"])
    for ids in (["abc"], ["99999999"], ["1" * 40], []):
        r = client.post("/targets/care-cost/call-list/", {"list": "costly", "account": ids})
        assert r.status_code == 302
    assert not Campaign.objects.exists()


def test_call_instead_of_visit_in_one_step(contacts, client):
    client.force_login(contacts["vl"])
    r = client.post("/targets/care-cost/SMB/call-instead-of-visit/")
    assert r.status_code == 302
    assert CareMatrix.objects.get(segment=contacts["smb"]).call_counts_as_visit is True


def test_rate_of_zero_on_the_page_changes_nothing(company, client):
    client.force_login(company["vl"])
    form = {"rate_vl": "110", "rate_ad": "0", "rate_idl": "70", "rate_id": "50", "rate_mkt": "60",
            "rate_admin": "55", f"travel_{company['region'].pk}": "30"}
    r = client.post("/targets/rates/", form)
    assert r.status_code == 400
    assert "rate_ad: der Kostensatz muss größer als null sein" in r.content.decode()
    assert not CostRate.objects.exists()
    r = client.post("/targets/rates/", dict(form, rate_ad="92,50", rate_vl="1.110,00"))
    assert r.status_code == 302
    assert CostRate.objects.get(role="ad").hourly_rate == Decimal("92.50")
    assert CostRate.objects.get(role="vl").hourly_rate == Decimal("1110.00")
    client.force_login(company["idl"])
    assert client.get("/targets/rates/").status_code == 403


def test_bad_period_on_the_page_falls_back_with_a_message(company, client):
    client.force_login(company["vl"])
    page = client.get("/targets/?period=2026-Q9").content.decode()
    assert "Ziele 2026-Q4" in page and "Unbekannter Zeitraum &#x27;2026-Q9&#x27; ignoriert." in page
    assert client.get("/targets/?period=2026%00").status_code == 400
    r = client.post("/targets/plans/new/", {"period": "2026-Q4\x00"})
    assert r.status_code in (302, 400)
    assert TargetPlan.objects.count() == 0
