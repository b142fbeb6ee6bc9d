"""GDPR for leads: export everything held about the person, erase by anonymising, consent and objection log.

Reached through `isf gdpr ... lead ID` and the lead's privacy page (VL, IDL, admin).
"""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from isf.campaigns import gdpr
from isf.campaigns.choices import LeadStatus
from isf.campaigns.models import Appointment, CallAttempt, CallListEntry, Campaign, Lead, LeadActivity
from isf.customers.gdpr import ERASED, GdprError
from isf.customers.models import Account, PrivacyEvent
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.choices import TaskKind
from isf.planning.models import Task
from isf.planning.services import task_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {role: UserFactory(username=f"u-{role}", role=role, team=TeamFactory(code=f"T{role}")) for role in Role.values}


@pytest.fixture
def lead(people):
    lead = Lead.objects.create(
        company="Kältetechnik Wagner e.K.", contact_name="Sabine Wagner", email="s.wagner@wagner-kaelte.de",
        phone="+49891234567", street="Lindenweg 4", postcode="80331", city="München",
        message="Bitte rufen Sie mich wegen Kühlregalen an, Frau Wagner", created_by=people["id"],
        assigned_to=people["id"])
    lead.contact_name = "Sabine Wagner-Huber"  # a change: the audit history now holds both names
    lead.save()
    now = timezone.now()
    LeadActivity.objects.create(lead=lead, kind="contact", at=now, note="Frau Wagner ruft zurück", user=people["id"])
    Appointment.objects.create(rep=people["ad"], lead=lead, start=now + timedelta(days=2),
                               end=now + timedelta(days=2, hours=1), topic="Termin bei Sabine Wagner")
    task_create(kind=TaskKind.LEAD_FOLLOWUP, title="Lead nachfassen: Kältetechnik Wagner e.K.",
                reason="Neuer Lead Kältetechnik Wagner e.K. (Sabine Wagner-Huber)", due_at=now + timedelta(days=1),
                assignee=people["id"], source="campaigns", source_id=str(lead.pk),
                dedupe_key=f"lead:{lead.pk}:followup")
    return lead


def test_export_holds_everything_about_the_person_and_is_logged(lead, people):
    gdpr.lead_privacy_record(lead=lead, action="consent", actor=people["idl"], note="Telefon 12.05.: Anrufe erlaubt")
    data = gdpr.lead_export(lead=lead, actor=people["vl"])
    assert (data["kind"], data["id"], data["company"], data["contact_name"]) == (
        "lead", lead.pk, "Kältetechnik Wagner e.K.", "Sabine Wagner-Huber")
    assert (data["email"], data["phone"]) == ("s.wagner@wagner-kaelte.de", "+49891234567")
    assert data["address"] == {"street": "Lindenweg 4", "postcode": "80331", "city": "München", "region": None}
    assert data["message"].startswith("Bitte rufen Sie mich")
    assert [(a["kind"], a["note"], a["by"]) for a in data["activities"]] == [
        ("contact", "Frau Wagner ruft zurück", "u-id")]
    assert [(a["topic"], a["rep"]) for a in data["appointments"]] == [("Termin bei Sabine Wagner", "u-ad")]
    assert [t["title"] for t in data["tasks"]] == ["Lead nachfassen: Kältetechnik Wagner e.K."]
    assert [h["values"]["contact_name"] for h in data["history"]] == ["Sabine Wagner", "Sabine Wagner-Huber"]
    assert [(e["action"], e["by"], e["note"]) for e in data["privacy_events"]] == [
        ("consent", "u-idl", "Telefon 12.05.: Anrufe erlaubt")]
    assert data["call_list_entries"] == []
    json.dumps(data)  # JSON-ready as it is
    event = PrivacyEvent.objects.get(subject_type="lead", subject_id=lead.pk, action="export")
    assert event.actor == people["vl"]


def test_export_of_a_converted_lead_holds_its_call_list_entries(lead, people):
    account = AccountFactory(erp_number="55001", name="Kältetechnik Wagner e.K.")
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.CONVERTED, converted_account=account)
    entry = CallListEntry.objects.create(campaign=Campaign.objects.create(name="Frühjahrsaktion Kälte"),
                                         account=account, agent=people["id"], attempts=1, outcome="reached")
    CallAttempt.objects.create(entry=entry, agent=people["id"], at=timezone.now(), outcome="reached",
                               note="Interesse an Kühlregalen")
    data = gdpr.lead_export(lead=lead)
    assert data["converted_account"] == "55001"
    [listed] = data["call_list_entries"]
    assert (listed["campaign"], listed["agent"], listed["attempts"]) == ("Frühjahrsaktion Kälte", "u-id", 1)
    assert [c["note"] for c in listed["calls"]] == ["Interesse an Kühlregalen"]


def test_erase_anonymises_the_person_and_keeps_the_business_records(lead, people):
    appointment = Appointment.objects.get(lead=lead)
    task = Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup")
    gdpr.lead_erase(lead=lead, actor=people["admin"], reason="Anfrage per E-Mail vom 3.11.")
    lead.refresh_from_db()
    assert (lead.company, lead.contact_name, lead.phone) == (ERASED, "", "")
    assert lead.email == f"lead-{lead.pk}@erased.invalid"
    assert (lead.street, lead.postcode, lead.city, lead.message) == ("", "", "", "")
    assert lead.status == LeadStatus.DISQUALIFIED  # an open lead is closed: nobody calls the person again
    assert lead.history.count() == 0  # the audit rows held the old names
    # business records stay, without the person's data
    assert list(lead.activities.values_list("kind", "note")) == [("contact", "")]
    appointment.refresh_from_db()
    assert (appointment.lead_id, appointment.rep, appointment.topic) == (lead.pk, people["ad"], "")
    task.refresh_from_db()
    assert task.title == f"Lead nachfassen: {ERASED}"
    assert "Wagner" not in task.title_en and "Wagner" not in task.reason_en
    assert not any("Wagner" in (h.title + h.title_en + h.reason + h.reason_en) for h in Task.history.filter(id=task.pk))
    assert "Wagner" not in task.reason and task.reason.startswith("Neuer Lead")
    exported = json.dumps(gdpr.lead_export(lead=lead), ensure_ascii=False)
    assert "Wagner" not in exported and "1234567" not in exported and "Lindenweg" not in exported
    event = PrivacyEvent.objects.get(subject_type="lead", subject_id=lead.pk, action="erase")
    assert (event.actor, event.note) == (people["admin"], "Anfrage per E-Mail vom 3.11.")
    with pytest.raises(GdprError, match="already erased"):
        gdpr.lead_erase(lead=lead)
    assert PrivacyEvent.objects.filter(action="erase").count() == 1


def test_erasing_a_converted_lead_keeps_the_account(lead):
    account = AccountFactory(erp_number="55002", name="Kältetechnik Wagner e.K.")
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.CONVERTED, converted_account=account)
    gdpr.lead_erase(lead=lead)
    lead.refresh_from_db()
    assert (lead.status, lead.converted_account_id) == (LeadStatus.CONVERTED, account.pk)
    assert Account.objects.get(pk=account.pk).name == "Kältetechnik Wagner e.K."


def test_an_objection_is_logged_and_ends_all_contact(lead, people):
    with pytest.raises(GdprError, match="note"):
        gdpr.lead_privacy_record(lead=lead, action="objection", actor=people["idl"], note="  ")
    assert not PrivacyEvent.objects.exists()
    gdpr.lead_privacy_record(lead=lead, action="objection", actor=people["idl"], note="Schreiben vom 2.11.")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DISQUALIFIED and "Schreiben vom 2.11." in lead.disqualify_reason
    assert Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup").status == "done"
    assert list(PrivacyEvent.objects.values_list("action", "note")) == [("objection", "Schreiben vom 2.11.")]


def test_the_gdpr_command_exports_records_and_erases_a_lead(lead):
    out = StringIO()
    call_command("gdpr", "export", "lead", str(lead.pk), stdout=out)
    assert json.loads(out.getvalue())["contact_name"] == "Sabine Wagner-Huber"
    call_command("gdpr", "objection", "lead", str(lead.pk), "--reason", "Anruf 4.11.", stdout=StringIO())
    call_command("gdpr", "erase", "lead", str(lead.pk), "--reason", "Löschantrag", stdout=out)
    assert "erased" in out.getvalue()
    assert Lead.objects.get(pk=lead.pk).company == ERASED
    assert list(PrivacyEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "export", "objection", "erase"]
    with pytest.raises(CommandError, match="no lead with id 999999"):
        call_command("gdpr", "export", "lead", "999999")
    with pytest.raises(CommandError, match="for leads"):
        call_command("gdpr", "objection", "contact", "1")


def test_the_privacy_page_exports_and_erases_for_the_allowed_roles(client, lead, people):
    client.force_login(people["admin"])
    page = client.get(f"/campaigns/leads/{lead.pk}/privacy/")
    assert page.status_code == 200 and "Sabine Wagner-Huber" in page.content.decode()
    export = client.post(f"/campaigns/leads/{lead.pk}/privacy/export/")
    assert export["Content-Type"].startswith("application/json")
    assert f'lead-{lead.pk}-personal-data.json' in export["Content-Disposition"]
    assert json.loads(export.content)["email"] == "s.wagner@wagner-kaelte.de"
    client.post(f"/campaigns/leads/{lead.pk}/privacy/erase/", {"reason": "Antrag"})  # not confirmed
    assert Lead.objects.get(pk=lead.pk).contact_name == "Sabine Wagner-Huber"
    client.post(f"/campaigns/leads/{lead.pk}/privacy/erase/", {"reason": "Antrag", "confirm": "yes"})
    assert Lead.objects.get(pk=lead.pk).company == ERASED
    page = client.get(f"/campaigns/leads/{lead.pk}/privacy/").content.decode()
    assert "Sabine" not in page and 'data-testid="erased"' in page


@pytest.mark.parametrize("role", [Role.MARKETING, Role.INSIDE_AGENT, Role.FIELD_REP])
def test_other_roles_cannot_export_or_erase(client, lead, people, role):
    client.force_login(people[role])
    assert client.get(f"/campaigns/leads/{lead.pk}/privacy/").status_code == 403
    for action in ("export", "erase"):
        response = client.post(f"/campaigns/leads/{lead.pk}/privacy/{action}/", {"confirm": "yes"})
        assert response.status_code == 403 and b"wagner-kaelte" not in response.content
    assert Lead.objects.get(pk=lead.pk).contact_name == "Sabine Wagner-Huber"
    assert not PrivacyEvent.objects.exists()
