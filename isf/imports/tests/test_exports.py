"""Exports of the main lists as filtered on screen, for the roles that see the list's page only; the list pages
link to them with their current filters."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from isf.campaigns.choices import CallOutcome, EntryStatus, LeadStatus
from isf.campaigns.models import CallListEntry, Campaign, Lead
from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.imports.exports import read_back
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.services import task_create
from isf.service import services
from isf.service.tests import conftest as service_fixtures

# the service app's fixtures (catalog, team, people, segment, account, quote_prep)
catalog, team, people = service_fixtures.catalog, service_fixtures.team, service_fixtures.people
segment, account, quote_prep = service_fixtures.segment, service_fixtures.account, service_fixtures.quote_prep

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(read_back(response).decode("utf-8-sig")), delimiter=";"))


def export(client, name, fmt="csv", **params):
    return client.get(reverse("imports:export", args=[name, fmt]), params)


@pytest.fixture
def orders(people, account, quote_prep):
    first = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                          inputs={"products": "Dübel"})
    second = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                           inputs={"products": "Schrauben"})
    services.service_order_claim(order_id=second.pk, user=people["agent"])
    return first, second


def test_service_order_export_honours_the_list_filters_and_visibility(client, people, orders):
    first, second = orders
    client.force_login(people["idl"])
    table = rows(export(client, "service_orders", status="new"))
    assert table[0][:6] == ["Auftrag", "eingegangen (Europe/Berlin, UTC+01:00/+02:00)", "Leistung", "Kundennummer",
                            "Kunde", "angefordert von"]
    assert [r[0] for r in table[1:]] == [first.number]
    # both, in the list's order (by priority, which moves with the SLA clock): the filters are what this checks
    assert sorted(r[0] for r in rows(export(client, "service_orders"))[1:]) == sorted([first.number, second.number])
    client.force_login(people["rep2"])  # a field rep who neither ordered nor owns the account
    assert rows(export(client, "service_orders")) [1:] == []
    client.force_login(people["agent"])
    wb = load_workbook(io.BytesIO(b"".join(export(client, "service_orders", "xlsx", mine="1").streaming_content)))
    assert [r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)] == [second.number]


@pytest.mark.parametrize("role", [Role.MARKETING, Role.ADMIN])
def test_roles_without_the_order_list_get_403_and_no_data(client, orders, role):
    client.force_login(UserFactory(role=role))
    for fmt in ("csv", "xlsx"):
        response = export(client, "service_orders", fmt)
        assert response.status_code == 403
        assert b"SA-" not in response.content


def _campaign_with_entries():
    agent = UserFactory(role=Role.INSIDE_AGENT, first_name="Ina", last_name="Innen")
    campaign = Campaign.objects.create(name="Frühjahrsaktion Klima")
    other = Campaign.objects.create(name="Herbstaktion")
    now = timezone.now()
    CallListEntry.objects.create(campaign=campaign, account=AccountFactory(erp_number="501", name="Kälte Koch"),
                                 agent=agent, status=EntryStatus.DONE, attempts=2, outcome=CallOutcome.APPOINTMENT,
                                 last_attempt_at=now - timedelta(days=1))
    CallListEntry.objects.create(campaign=campaign, account=AccountFactory(erp_number="502", name="Lüftung Lang"),
                                 status=EntryStatus.OPEN)
    CallListEntry.objects.create(campaign=other, account=AccountFactory(erp_number="503", name="Anderer"),
                                 status=EntryStatus.OPEN)
    return campaign


def test_campaign_results_export_per_entry_with_filters_for_marketing(client):
    campaign = _campaign_with_entries()
    client.force_login(UserFactory(role=Role.MARKETING))
    table = rows(export(client, "campaign_results", campaign=campaign.pk))
    assert table[0][:3] == ["Kampagne", "Kundennummer", "Kunde"]
    assert [(r[1], r[5], r[6], r[7]) for r in table[1:]] == [
        ("501", "Erledigt", "2", "Termin vereinbart"), ("502", "Offen", "0", "")]
    assert [r[1] for r in rows(export(client, "campaign_results", campaign=campaign.pk, status="done"))[1:]] == ["501"]
    assert [r[1] for r in rows(export(client, "campaign_results", outcome="appointment"))[1:]] == ["501"]
    assert len(rows(export(client, "campaign_results"))) == 4  # all campaigns without a campaign filter


@pytest.mark.parametrize("role", [Role.FIELD_REP, Role.ADMIN])
def test_campaign_results_denied_to_roles_without_the_campaign_page(client, role):
    campaign = _campaign_with_entries()
    client.force_login(UserFactory(role=role))
    response = export(client, "campaign_results", campaign=campaign.pk)
    assert response.status_code == 403 and b"501" not in response.content


def test_lead_export_honours_the_lead_list_filters(client):
    Lead.objects.create(company="Elektro Krause GmbH", city="Leipzig", phone="+49341556677", status=LeadStatus.NEW)
    Lead.objects.create(company="Schreinerei Vogt", city="Stuttgart", email="t.vogt@example.de",
                        status=LeadStatus.CONTACTED)
    client.force_login(UserFactory(role=Role.MARKETING))
    table = rows(export(client, "leads", status=LeadStatus.CONTACTED))
    assert table[0][0] == "Firma" and [r[0] for r in table[1:]] == ["Schreinerei Vogt"]
    assert [r[0] for r in rows(export(client, "leads", q="leipzig"))[1:]] == ["Elektro Krause GmbH"]
    client.force_login(UserFactory(role=Role.FIELD_REP))
    assert export(client, "leads").status_code == 403


def test_task_export_honours_kind_and_scope(client):
    agent = UserFactory(role=Role.INSIDE_AGENT)
    due = timezone.now() + timedelta(hours=1)
    task_create(kind="care_call", title="Betreuungsanruf Huber", due_at=due, assignee=agent)
    task_create(kind="quote_followup", title="Angebot nachfassen", due_at=due, assignee=agent)
    client.force_login(agent)
    assert [r[1] for r in rows(export(client, "tasks", kind="care_call"))[1:]] == ["Betreuungsanruf Huber"]
    assert len(rows(export(client, "tasks"))) == 3


def test_marketing_account_export_has_no_revenue_column_and_admin_cannot_export_tasks(client):
    AccountFactory(erp_number="9001", name="Ziel GmbH")
    client.force_login(UserFactory(role=Role.MARKETING))
    header = rows(export(client, "accounts"))[0]
    assert "Umsatz letzte 12 Monate (EUR)" not in header and header[0] == "Kundennummer"
    client.force_login(UserFactory(role=Role.ADMIN))
    assert export(client, "tasks").status_code == 403


def test_contact_export_follows_the_account_list_filters(client):
    lead = UserFactory(role=Role.SALES_LEAD)
    # customer numbers no factory sequence can contain (a search for "12" also found "Kunde 112")
    ContactFactory(last_name="Aktiv", account=AccountFactory(erp_number="EXP-AKTIV", phase="active"))
    ContactFactory(last_name="Verloren", account=AccountFactory(erp_number="EXP-VERLOREN", phase="lost"))
    client.force_login(lead)
    assert [r[5] for r in rows(export(client, "contacts", phase="active"))[1:]] == ["Aktiv"]
    assert [r[5] for r in rows(export(client, "contacts", q="EXP-VERLOREN"))[1:]] == ["Verloren"]


def _links(page: str, name: str) -> list[str]:
    csv_url, xlsx_url = reverse("imports:export", args=[name, "csv"]), reverse("imports:export", args=[name, "xlsx"])
    return [u for u in (csv_url, xlsx_url) if f'href="{u}' in page]


def test_list_pages_link_to_their_exports_with_the_current_filters(client, people, orders):
    client.force_login(people["idl"])
    page = client.get(reverse("customers:account-list"), {"phase": "active", "q": "Huber"}).content.decode()
    assert f'href="{reverse("imports:export", args=["accounts", "csv"])}?phase=active&amp;q=Huber"' in page
    assert f'href="{reverse("imports:export", args=["contacts", "xlsx"])}?phase=active&amp;q=Huber"' in page
    page = client.get(reverse("service:order-list"), {"status": "new"}).content.decode()
    assert f'href="{reverse("imports:export", args=["service_orders", "csv"])}?status=new"' in page
    assert len(_links(page, "service_orders")) == 2
    page = client.get(reverse("planning:queue"), {"kind": "care_call"}).content.decode()
    assert f'href="{reverse("imports:export", args=["tasks", "xlsx"])}?kind=care_call"' in page
    page = client.get(reverse("campaigns:lead-list"), {"status": "new"}).content.decode()
    assert f'href="{reverse("imports:export", args=["leads", "csv"])}?status=new"' in page
    campaign = Campaign.objects.create(name="Frühjahrsaktion")
    page = client.get(reverse("campaigns:campaign-detail", args=[campaign.pk])).content.decode()
    assert f'href="{reverse("imports:export", args=["campaign_results", "csv"])}?campaign={campaign.pk}"' in page
    assert "Ergebnisse je Eintrag der Anrufliste exportieren" in page
