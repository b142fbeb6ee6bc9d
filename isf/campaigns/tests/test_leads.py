"""Lead intake, validation, duplicates, routing with the follow-up SLA, conversion, API."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from isf.campaigns.choices import DuplicateState, LeadSource, LeadStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Lead
from isf.campaigns.services import leads as services
from isf.campaigns.tests.factories import make_org
from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory, ContactFactory, PhoneFactory
from isf.lifecycle.choices import Phase
from isf.planning.models import Task

pytestmark = pytest.mark.django_db
# Friday 27 Nov 2026, 10:00 Berlin (09:00 UTC)
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

BIG = {
    "company": "Alpenbau Konstruktion GmbH",
    "contact_name": "Maria Berger",
    "email": "m.berger@alpenbau.de",
    "phone": "089 7654321",
    "postcode": "80993",
    "city": "München",
    "industry": "F",
    "employee_band": "250-999",
    "potential": "300000",
}


@pytest.fixture
def org():
    return make_org()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "a@b.de"}, "company"),
        ({"company": "Ohne Kanal GmbH", "contact_name": "Max"}, "email"),
        ({"company": "X GmbH", "phone": "abc"}, "phone"),
        ({"company": "X GmbH", "email": "not-an-email"}, "email"),
        ({"company": "X GmbH", "email": "a@x.de", "industry": "Z"}, "industry"),
        ({"company": "X GmbH", "email": "a@x.de", "potential": "-5"}, "potential"),
    ],
)
def test_bad_lead_is_refused_naming_the_field_and_nothing_is_saved(org, data, field):
    with pytest.raises(CampaignsError) as exc:
        services.lead_create(data=data, source=LeadSource.MANUAL, user=org.agent, now=NOW)
    assert exc.value.field == field
    assert Lead.objects.count() == 0
    assert Task.objects.count() == 0


def test_potential_key_account_goes_to_region_rep_with_ka_team_setting_the_appointment(org):
    result = services.lead_create(data=BIG, source=LeadSource.WEB_FORM, now=NOW)
    lead = result.lead
    assert lead.region == org.region
    assert lead.qualification_class == "potential_key_account"
    assert lead.fit_score == Decimal("25") + 26 + 30 + 15
    assert lead.assigned_to == org.rep
    assert lead.team == org.ka_team
    assert lead.phone == "+49897654321"
    # 2 business days of 9 h from Friday 10:00: Monday 17:00 is 16 h, + 2 h -> Tuesday 10:00 Berlin = 09:00 UTC
    assert lead.followup_due_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    task = Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup")
    assert (task.kind, task.team, task.assignee, task.due_at) == (
        "lead_followup",
        org.ka_team,
        None,
        lead.followup_due_at,
    )
    assert lead.history.count() >= 1


def test_smb_lead_goes_to_smb_team_and_brochure_collector_to_marketing(org):
    smb = services.lead_create(
        data={
            "company": "Elektro Kurz",
            "email": "info@elektro-kurz.de",
            "postcode": "81245",
            "industry": "F",
            "employee_band": "10-49",
            "potential": "20000",
        },
        source=LeadSource.API,
        now=NOW,
    ).lead
    assert smb.qualification_class == "smb"
    assert smb.team == org.smb_team
    brochure = services.lead_create(
        data={"company": "Privat Meier", "email": "meier@gmx.de"}, source=LeadSource.WEB_FORM, now=NOW
    ).lead
    assert brochure.qualification_class == "brochure_collector"
    task = Task.objects.get(dedupe_key=f"lead:{brochure.pk}:followup")
    assert (task.assignee, task.side) == (org.marketing, "marketing")


def test_duplicates_against_accounts_and_open_leads(org):
    account = AccountFactory(name="Alpenbau Konstruktion GmbH", postcode="80993")
    PhoneFactory(account=account, e164="+49897654321")
    first = services.lead_create(data=BIG, source=LeadSource.WEB_FORM, now=NOW)
    assert first.duplicate_accounts == [account]
    assert first.lead.duplicate_state == DuplicateState.SUSPECTED
    second = services.lead_create(
        data={"company": "Anders GmbH", "email": "einkauf@alpenbau.de"}, source=LeadSource.API, now=NOW
    )
    assert second.duplicate_leads == [first.lead]
    # freemail domains never match
    ContactFactory(account=account, email="someone@gmx.de")
    third = services.lead_create(data={"company": "Dritte GmbH", "email": "x@gmx.de"}, source=LeadSource.API, now=NOW)
    assert third.duplicate_accounts == [] and third.duplicate_leads == []


def test_convert_refused_while_duplicate_suspected_then_merge_or_confirm(org):
    AccountFactory(name="Alpenbau Konstruktion GmbH", postcode="80993")
    lead = services.lead_create(data=BIG, source=LeadSource.WEB_FORM, now=NOW).lead
    accounts_before = Account.objects.count()
    with pytest.raises(CampaignsError, match="^Merge the lead or confirm it as new before converting it.$"):
        services.lead_convert(lead=lead, user=org.agent)
    assert Account.objects.count() == accounts_before
    services.lead_confirm_new(lead=lead, user=org.agent)
    account = services.lead_convert(lead=lead, user=org.agent)
    lead.refresh_from_db()
    assert account.phase == Phase.PROSPECT
    assert (account.owner, account.region, account.potential) == (org.rep, org.region, Decimal("300000.00"))
    assert account.contacts.get().last_name == "Berger"
    assert account.phones.get().e164 == "+49897654321"
    assert lead.status == LeadStatus.CONVERTED and lead.converted_account == account
    assert Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup").status == "done"


def test_merge_lead_into_lead_moves_activities(org):
    a = services.lead_create(data={"company": "Merge GmbH", "email": "a@merge.de"}, source=LeadSource.API, now=NOW).lead
    b = services.lead_create(
        data={"company": "Merge GmbH", "phone": "089 111222", "postcode": "80331"}, source=LeadSource.WEB_FORM, now=NOW
    ).lead
    services.lead_merge(lead=b, user=org.agent, into_lead=a)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.status == LeadStatus.MERGED and b.merged_into == a
    assert a.phone == "+4989111222" and a.postcode == "80331"
    assert a.activities.count() == 2


def test_first_contact_stops_the_followup_clock_and_raises_engagement(org):
    lead = services.lead_create(data=BIG, source=LeadSource.WEB_FORM, now=NOW).lead
    before = lead.engagement_score
    services.lead_activity_record(lead=lead, kind="answer", user=org.agent, note="Rückruf", now=NOW)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONTACTED and lead.first_contact_at == NOW
    assert lead.engagement_score == before + 15
    assert Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup").status == "done"


def test_referral_needs_source_account(org):
    with pytest.raises(CampaignsError) as exc:
        services.lead_create(data={"company": "Y", "email": "y@y.de"}, source=LeadSource.REFERRAL, now=NOW)
    assert exc.value.field == "source_account"
    source = AccountFactory()
    lead = services.lead_create(
        data={"company": "Y", "email": "y@y.de"}, source=LeadSource.REFERRAL, source_account=source, now=NOW
    ).lead
    assert lead.source_account == source


def test_api_post_leads_returns_score_class_and_reasons(org, client):
    client.force_login(org.agent)
    resp = client.post("/api/v1/leads", data=BIG, content_type="application/json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["qualification_class"] == "potential_key_account"
    assert body["score"] == float(Lead.objects.get().score)
    assert body["reasons"][0].startswith("fit 96 >= 70")
    assert "in a served region: +15" in body["reasons"]
    assert body["assigned_to"] == "ad1" and body["team"] == "KA"


def test_api_refuses_lead_without_contact_channel_with_json_error(org, client):
    client.force_login(org.agent)
    resp = client.post(
        "/api/v1/leads", data={"company": "Nur Name GmbH"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert resp.status_code == 422
    assert resp.json()["field"] == "email"
    assert "e-mail address or a phone number" in resp.json()["message"]
    assert Lead.objects.count() == 0


def test_api_referral_by_account_id(org, client):
    client.force_login(org.agent)
    source = AccountFactory()
    resp = client.post(
        "/api/v1/leads",
        data={"company": "Empfohlen GmbH", "email": "a@empfohlen.de", "referred_by_account_id": source.pk},
        content_type="application/json",
    )
    assert resp.status_code == 201
    assert resp.json()["source"] == "referral" and resp.json()["source_account_id"] == source.pk
