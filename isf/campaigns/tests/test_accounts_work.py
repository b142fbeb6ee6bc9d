"""Quote follow-up scheduling by segment, complaints, referrals, buying center, company changes."""

import datetime as dt
from datetime import UTC, datetime

import pytest

from isf.campaigns.choices import ComplaintStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Complaint, Lead, QuoteFollowup
from isf.campaigns.selectors import buying_center, quote_conversion, referral_counts
from isf.campaigns.services import accounts as account_services
from isf.campaigns.services import complaints as services
from isf.campaigns.tests.factories import make_contract, make_org
from isf.customers.tests.factories import AccountFactory, ContactFactory, OrderFactory, QuoteFactory
from isf.planning.models import Task
from isf.planning.services import task_complete, task_create

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def contract(org):
    """The service contract in force: inside sales may grant goodwill up to 500 EUR."""
    return make_contract(org)


def test_smb_quote_gets_a_team_call_three_business_days_after_sending(org):
    account = AccountFactory(segment=org.smb, team=org.smb_team, owner=org.rep)
    quote = QuoteFactory(account=account, date=dt.date(2026, 11, 26), status="sent")  # Thursday
    followup = account_services.quote_followup_schedule(quote=quote)
    # 3 business days of 9 h from Thu 08:00: Thu 17:00 (9 h), Fri 17:00 (18 h), Mon 17:00 (27 h)
    assert followup.due_at == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert followup.segment_code == "SMB" and followup.team == org.smb_team
    task = followup.task
    assert (task.kind, task.team, task.assignee, task.due_at) == ("quote_followup", org.smb_team, None, followup.due_at)
    assert account_services.quote_followup_schedule(quote=quote) is None  # idempotent


def test_key_account_quote_goes_to_the_owner_rep_to_decide(org):
    account = AccountFactory(segment=org.ka, team=org.ka_team, owner=org.rep)
    quote = QuoteFactory(account=account, date=dt.date(2026, 11, 26))
    followup = account_services.quote_followup_schedule(quote=quote)
    assert followup.task.assignee == org.rep and followup.task.side == "field"
    assert followup.due_at == datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # one business day: Thursday 17:00
    assert followup.rule == "owner_decides"


def test_schedule_all_skips_decided_quotes_and_outcome_updates_the_quote(org):
    account = AccountFactory(segment=org.smb, team=org.smb_team)
    open_quote = QuoteFactory(account=account)
    QuoteFactory(account=account, status="won")
    assert account_services.quote_followups_schedule() == 1
    assert account_services.quote_followups_schedule() == 0
    followup = QuoteFollowup.objects.get(quote=open_quote)
    with pytest.raises(CampaignsError, match="^Say why the quote was won or lost.$"):
        account_services.quote_outcome_record(followup=followup, outcome="won", reason=" ", user=org.agent)
    account_services.quote_outcome_record(followup=followup, outcome="lost", reason="Preis zu hoch", user=org.agent)
    open_quote.refresh_from_db()
    assert (open_quote.status, open_quote.outcome_reason) == ("lost", "Preis zu hoch")
    assert followup.task.__class__.objects.get(pk=followup.task_id).status == "done"
    won = QuoteFollowup.objects.create(
        quote=QuoteFactory(account=account, status="won"),
        segment_code="SMB",
        team=org.smb_team,
        rule="call_3",
        due_at=NOW,
        outcome="won",
        reason="ok",
        decided_at=NOW,
    )
    assert won.pk
    conv = quote_conversion()
    assert conv["segments"] == [{"key": "SMB", "decided": 2, "won": 1, "rate": 50.0}]
    assert conv["teams"] == [{"key": "SMB-Team", "decided": 2, "won": 1, "rate": 50.0}]


def test_bad_complaint_input_is_refused_and_nothing_saved(org):
    account = AccountFactory()
    other_order = OrderFactory(number="A99")
    for kwargs, field in [
        ({"category": "weather", "description": "x"}, "category"),
        ({"category": "delivery", "description": " "}, "description"),
        ({"category": "delivery", "description": "x", "order_number": other_order.number}, "order"),
    ]:
        with pytest.raises(CampaignsError) as exc:
            services.complaint_create(account=account, user=org.agent, **kwargs)
        assert exc.value.field == field
    assert Complaint.objects.count() == 0
    complaint = services.complaint_create(account=account, category="delivery", description="x", user=org.agent)
    with pytest.raises(CampaignsError):
        services.complaint_resolve(complaint=complaint, resolution="x", goodwill_eur="-1", user=org.agent)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN and complaint.resolution == ""


def test_satisfied_follow_up_opens_cross_sell_and_referral_lead_with_source_account(org, contract):
    account = AccountFactory(team=org.smb_team, name="Zufrieden GmbH")
    complaint = services.complaint_create(account=account, category="delivery", description="x", user=org.agent)
    services.complaint_resolve(complaint=complaint, resolution="Nachlieferung", user=org.agent, now=NOW)
    services.complaint_satisfaction_record(
        complaint=complaint,
        user=org.agent,
        satisfied=True,
        cross_sell="Arbeitsschutz anbieten",
        referral={"company": "Nachbar Bau GmbH", "phone": "089 555666", "contact_name": "Eva Roth"},
        now=NOW,
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction) == (ComplaintStatus.CLOSED, "satisfied")
    lead = Lead.objects.get()
    assert (lead.source, lead.source_account) == ("referral", account)
    assert Task.objects.filter(kind="call_back", account=account, title__startswith="Cross-Selling").count() == 1
    assert Task.objects.get(dedupe_key=f"complaint:{complaint.pk}:satisfaction").status == "done"
    assert referral_counts()["total"] == 1
    assert referral_counts()["top"] == [{"source_account__name": "Zufrieden GmbH", "n": 1}]


def test_bad_referral_rolls_back_the_whole_satisfaction_call(org, contract):
    account = AccountFactory(team=org.smb_team)
    complaint = services.complaint_create(account=account, category="delivery", description="x", user=org.agent)
    services.complaint_resolve(complaint=complaint, resolution="ok", user=org.agent, now=NOW)
    with pytest.raises(CampaignsError, match="contact channel"):
        services.complaint_satisfaction_record(
            complaint=complaint, user=org.agent, satisfied=True, referral={"company": "Ohne Kanal"}, now=NOW
        )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED and Lead.objects.count() == 0


def test_decision_maker_leaving_creates_remapping_tasks_within_a_day(org):
    account = AccountFactory(segment=org.ka, team=org.ka_team, owner=org.rep)
    boss = ContactFactory(account=account, buying_role="decision_maker", function="Geschäftsführer")
    buyer = ContactFactory(account=account, buying_role="buyer")
    assert account_services.contact_status_change(contact=buyer, status="left", user=org.agent, now=NOW) == []
    tasks = account_services.contact_status_change(contact=boss, status="leaving", user=org.agent, now=NOW)
    assert {(t.assignee, t.team) for t in tasks} == {(org.rep, None), (None, org.ka_team)}
    assert all(t.kind == "buying_center" and t.due_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC) for t in tasks)
    boss.refresh_from_db()
    assert boss.status == "leaving" and boss.status_date == dt.date(2026, 11, 27)
    # again (e.g. from the import scan): no second pair
    assert account_services.buying_center_scan(now=NOW) == 0


def test_buying_center_scan_picks_up_imported_leavers_once(org):
    account = AccountFactory(segment=org.ka, owner=org.rep)
    ContactFactory(account=account, buying_role="decision_maker", status="left", status_date=dt.date(2026, 11, 20))
    assert account_services.buying_center_scan(now=NOW) == 2
    assert account_services.buying_center_scan(now=NOW) == 0


def test_buying_center_last_contact_and_roles_without_contact(org):
    account = AccountFactory(segment=org.ka, owner=org.rep)
    boss = ContactFactory(account=account, buying_role="decision_maker")
    ContactFactory(account=account, buying_role="buyer")
    task = task_create(kind="care_call", title="Anruf", due_at=NOW, account=account, contact=boss, assignee=org.agent)
    task_complete(task=task, user=org.agent)
    bc = buying_center(account=account, months=6)
    by_name = {str(p["contact"]): p for p in bc["people"]}
    assert by_name[str(boss)]["last_contact"] is not None and not by_name[str(boss)]["stale"]
    gap_roles = [g["role"] for g in bc["gaps"]]
    assert gap_roles == ["influencer", "user", "buyer", "gatekeeper"]


def test_company_change_creates_a_potential_review_task_for_the_owner(org):
    account = AccountFactory(owner=org.rep, team=org.smb_team)
    change = account_services.company_change_record(
        account=account, kind="merger", user=org.agent, note="Übernahme durch Bauer AG", now=NOW
    )
    task = Task.objects.get(kind="potential_review", account=account)
    assert task.assignee == org.rep and task.source_id == str(change.pk)
    with pytest.raises(CampaignsError):
        account_services.company_change_record(account=account, kind="rename", user=org.agent)


def test_nightly_scan_command_is_idempotent(org):
    import json
    from io import StringIO

    from django.core.management import call_command

    account = AccountFactory(segment=org.smb, team=org.smb_team, owner=org.rep)
    QuoteFactory(account=account)
    ContactFactory(account=account, buying_role="decision_maker", status="leaving", status_date=dt.date.today())
    out = StringIO()
    call_command("campaigns_scan", "--json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue()) == {"quote_followups": 1, "buying_center_tasks": 2}
    out = StringIO()
    call_command("campaigns_scan", "--json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue()) == {"quote_followups": 0, "buying_center_tasks": 0}


def test_lead_page_shows_reasons_in_german(org, client):
    from isf.campaigns.services.leads import lead_create

    lead = lead_create(
        data={
            "company": "Alpenbau GmbH",
            "email": "a@alpenbau.de",
            "postcode": "80331",
            "industry": "F",
            "employee_band": "250-999",
            "potential": "300000",
        },
        source="web_form",
        now=NOW,
    ).lead
    client.force_login(org.agent)
    text = client.get(f"/campaigns/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Potenzieller Key Account: Passung 96,0 ≥ 70" in text
    assert "Geschätztes Potenzial 300.000 EUR: +30,0" in text
