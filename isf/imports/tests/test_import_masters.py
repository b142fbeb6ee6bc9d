"""Accounts, products, contacts and quotes: keyed upserts, E.164 phones, regions from postcodes, no half writes."""

from datetime import date
from decimal import Decimal

import pytest

from isf.customers.models import Account, Contact, PhoneNumber, Product, Quote
from isf.customers.tests.factories import AccountFactory, ProductGroupFactory
from isf.imports.kinds import run_import
from isf.org.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def test_accounts_phone_e164_region_from_postcode_and_idempotent(tmp_path):
    south = RegionFactory(code="S", postcode_prefixes="80,81")
    path = write(tmp_path, "Kundennr;Name;PLZ;Ort;Telefon;Potenzial\r\n"
                           "10001;Müller Haustechnik GmbH;80331;München;089 1234567;25.000,00\r\n"
                           "10002;Bäckerei Schäfer;50667;Köln;;\r\n", "kunden.csv")
    result = run_import("accounts", path)
    assert (result.created, result.error_count) == (2, 0)
    a = Account.objects.get(erp_number="10001")
    assert (a.region_id, a.potential, a.city) == (south.pk, Decimal("25000.00"), "München")
    assert list(PhoneNumber.objects.values_list("e164", flat=True)) == ["+49891234567"]
    assert Account.objects.get(erp_number="10002").region_id is None
    again = run_import("accounts", path)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 2, False)
    assert PhoneNumber.objects.count() == 1


def test_accounts_bad_rows_name_column_and_write_nothing(tmp_path):
    path = write(tmp_path, "Kundennr;Name;PLZ;Telefon\r\n10001;A;8033;\r\n10002;B;80331;abc\r\n10003;C;80331;\r\n"
                           "10003;D;80331;\r\n", "kunden.csv")
    result = run_import("accounts", path)
    assert [(p.row, p.column) for p in result.problems] == [(2, "PLZ"), (3, "Telefon"), (5, None)]
    assert "duplicate key '10003' (first in row 4)" in result.problems[2].message
    assert Account.objects.count() == 0


def test_products_contacts_quotes(tmp_path):
    ProductGroupFactory(code="HEIZ")
    AccountFactory(erp_number="10001")
    r = run_import("products", write(tmp_path, "Artikelnr;Bezeichnung;Warengruppe;Listenpreis\r\n"
                                               "ART-1;Heizkessel;HEIZ;2.450,00\r\n", "p.csv"))
    assert r.created == 1 and Product.objects.get().list_price == Decimal("2450.00")
    r = run_import("contacts", write(tmp_path, "Kundennr;Vorname;Nachname;E-Mail\r\n10001;Anna;Weiß;a@example.de\r\n"
                                               "10001;Jürgen;Koch;kein-mail\r\n", "c.csv"), skip_invalid=True)
    assert (r.created, r.skipped, r.problems[0].column) == (1, 1, "E-Mail")
    assert Contact.objects.get().last_name == "Weiß"
    r = run_import("quotes", write(tmp_path, "Angebotsnr;Kundennr;Angebotsdatum;Betrag;Gültig bis;Status\r\n"
                                             "AN-1;10001;10.02.2025;12.500,00;10.03.2025;won\r\n", "q.csv"))
    q = Quote.objects.get()
    assert (r.created, q.amount, q.valid_until, q.status) == (1, Decimal("12500.00"), date(2025, 3, 10), "won")
    r = run_import("quotes", write(tmp_path, "Angebotsnr;Kundennr;Angebotsdatum;Betrag;Gültig bis\r\n"
                                             "AN-1;10001;10.02.2025;12.500,00;01.02.2025\r\n", "q2.csv"))
    assert r.problems[0].column == "Gültig bis" and Quote.objects.get().valid_until == date(2025, 3, 10)


def test_contacts_with_role_status_and_phone(tmp_path):
    account = AccountFactory(erp_number="10001")
    path = write(tmp_path, "Ansprechpartnernr;Kundennr;Vorname;Nachname;Rolle;Status;Status seit;Telefon\r\n"
                           "AP-1;10001;Anna;Schmidt;Entscheider;aktiv;;0171 2345678\r\n"
                           "AP-2;10001;Jürgen;Weiß;buyer;Scheidet aus;31.03.2026;089 1234567-12\r\n", "ap.csv")
    result = run_import("contacts", path)
    assert (result.created, result.error_count) == (2, 0), result.problems
    anna, juergen = Contact.objects.get(external_id="AP-1"), Contact.objects.get(external_id="AP-2")
    assert (anna.buying_role, anna.status, anna.status_date) == ("decision_maker", "active", None)
    assert (juergen.buying_role, juergen.status, juergen.status_date) == ("buyer", "leaving", date(2026, 3, 31))
    phones = {p.contact_id: (p.e164, p.kind, p.account_id) for p in PhoneNumber.objects.all()}
    assert phones == {anna.pk: ("+491712345678", "mobile", account.pk), juergen.pk: ("+4989123456712", "landline",
                                                                                       account.pk)}
    again = run_import("contacts", path)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 2, False)
    assert PhoneNumber.objects.count() == 2


def test_a_decision_maker_imported_as_leaving_gets_the_re_mapping_task_at_once(tmp_path):
    from isf.org.tests.factories import UserFactory
    from isf.planning.models import Task

    rep = UserFactory()
    AccountFactory(erp_number="10001", owner=rep)
    header = "Ansprechpartnernr;Kundennr;Nachname;Rolle;Status;Status seit\r\n"
    run_import("contacts", write(tmp_path, header + "AP-1;10001;Schmidt;Entscheider;aktiv;\r\n", "a.csv"))
    assert not Task.objects.filter(kind="buying_center").exists()
    run_import("contacts", write(tmp_path, header + f"AP-1;10001;Schmidt;Entscheider;scheidet aus;"
                                                    f"{date.today():%d.%m.%Y}\r\n", "b.csv"))
    task = Task.objects.get(kind="buying_center")
    assert (task.assignee, task.contact.external_id) == (rep, "AP-1")


def test_contacts_file_without_role_column_keeps_roles_set_in_isf(tmp_path):
    AccountFactory(erp_number="10001")
    run_import("contacts", write(tmp_path, "Ansprechpartnernr;Kundennr;Nachname\r\nAP-1;10001;Schmidt\r\n", "a.csv"))
    Contact.objects.filter(external_id="AP-1").update(buying_role="influencer", status="left",
                                                      status_date=date(2025, 1, 1))
    result = run_import("contacts", write(tmp_path, "Ansprechpartnernr;Kundennr;Nachname;Funktion\r\n"
                                                    "AP-1;10001;Schmidt;Einkauf\r\n", "b.csv"))
    assert (result.updated, result.error_count) == (1, 0)
    contact = Contact.objects.get(external_id="AP-1")
    assert (contact.function, contact.buying_role, contact.status) == ("Einkauf", "influencer", "left")


def test_contacts_leaving_without_a_date_or_with_an_unknown_role_are_errors(tmp_path):
    AccountFactory(erp_number="10001")
    result = run_import("contacts", write(tmp_path, "Kundennr;Nachname;Rolle;Status;Status seit\r\n"
                                                    "10001;Schmidt;;ausgeschieden;\r\n10001;Vogt;Chef;aktiv;\r\n",
                                          "c.csv"))
    problems = {(p.row, p.column): p.message for p in result.problems}
    assert "needs the date" in problems[(2, "Status seit")]
    assert "buying_role must be one of" in problems[(3, "Rolle")]
    assert Contact.objects.count() == 0


def test_contacts_template_imports_as_it_is(tmp_path, capsys):
    from django.core.management import call_command

    AccountFactory(erp_number="10001")
    call_command("import", "contacts", "--template")
    path = tmp_path / "template.csv"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    result = run_import("contacts", path)
    assert (result.created, result.error_count) == (2, 0), result.problems
    assert set(Contact.objects.values_list("buying_role", "status")) == {("decision_maker", "active"),
                                                                        ("buyer", "leaving")}
