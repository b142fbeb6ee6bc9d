"""The public web form (honeypot, rate limit), the lead pages and the CSV import (all or nothing)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from isf.campaigns.models import Lead
from isf.campaigns.services.lead_import import ImportErrors, lead_import_csv
from isf.campaigns.tests.factories import make_org
from isf.planning.models import Task

pytestmark = pytest.mark.django_db
FORM = {
    "company": "Dachdeckerei Weiß",
    "contact_name": "Jonas Weiß",
    "email": "info@dach-weiss.de",
    "postcode": "80469",
    "city": "München",
    "employee_band": "10-49",
    "message": "Bitte Katalog",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org():
    return make_org()


def test_public_form_needs_no_login_and_creates_a_routed_lead(org, client):
    assert client.get("/campaigns/contact/").status_code == 200
    resp = client.post("/campaigns/contact/", FORM)
    assert resp.status_code == 200 and b"contact-thanks" in resp.content
    lead = Lead.objects.get()
    assert (lead.source, lead.region, lead.activities.get().kind) == ("web_form", org.region, "request")
    assert Task.objects.filter(kind="lead_followup", source_id=str(lead.pk)).count() == 1


def test_honeypot_answers_thanks_but_saves_nothing(org, client):
    resp = client.post("/campaigns/contact/", {**FORM, "website": "http://spam.example"})
    assert resp.status_code == 200 and b"contact-thanks" in resp.content
    assert Lead.objects.count() == 0 and Task.objects.count() == 0


def test_rate_limit_per_address(org, client, settings):
    settings.ISF_LEAD_FORM_LIMIT = 2
    for i in range(2):
        assert client.post("/campaigns/contact/", {**FORM, "email": f"x{i}@dach-weiss.de"}).status_code == 200
    resp = client.post("/campaigns/contact/", {**FORM, "email": "x9@dach-weiss.de"})
    assert resp.status_code == 429 and b"contact-limited" in resp.content
    assert Lead.objects.count() == 2
    other = client.post("/campaigns/contact/", {**FORM, "email": "y@dach-weiss.de"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_public_form_without_contact_channel_says_so(org, client):
    resp = client.post("/campaigns/contact/", {"company": "Nur Firma", "consent": "on"})
    assert resp.status_code == 400
    assert b"e-mail address or a phone number" in resp.content or b"E-Mail-Adresse" in resp.content
    assert Lead.objects.count() == 0


def test_lead_new_prefills_the_phone_of_an_unknown_caller(org, client):
    client.force_login(org.agent)
    resp = client.get("/campaigns/leads/new/?phone=%2B49891234567")
    assert resp.status_code == 200 and b'value="+49891234567"' in resp.content
    resp = client.post("/campaigns/leads/new/", {"company": "Anrufer GmbH", "phone": "+49891234567", "from_call": "1"})
    lead = Lead.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/campaigns/leads/{lead.pk}/"
    assert lead.source == "phone"
    assert client.get(resp["Location"]).status_code == 200
    assert client.get("/campaigns/leads/?class=smb").status_code == 200


def test_field_rep_may_not_open_the_lead_list(org, client):
    client.force_login(org.rep)
    assert client.get("/campaigns/leads/").status_code == 403


def test_csv_import_all_or_nothing_with_row_errors(org):
    bad = (
        "Firma;Ansprechpartner;E-Mail;Telefon;PLZ;Branche;Mitarbeiter;Potenzial\n"
        "Gut GmbH;Eva Gut;eva@gut.de;;80331;C;50-249;80.000\n"
        "Ohne Kanal GmbH;Max;;;80331;;;\n"
        ";Niemand;n@x.de;;;;;\n"
    ).encode("cp1252")
    with pytest.raises(ImportErrors) as exc:
        lead_import_csv(raw=bad, user=org.idl)
    assert exc.value.errors == [
        "row 3: contact channel: a lead needs an e-mail address or a phone number",
        "row 4: A lead needs a company name.",
    ]
    assert Lead.objects.count() == 0
    good = "company,email,postcode,potential\nGut GmbH,eva@gut.de,80331,80000\nZwei KG,zwei@zwei.de,90402,\n"
    leads = lead_import_csv(raw=good.encode("utf-8-sig"), user=org.idl)
    assert [lead.source for lead in leads] == ["import", "import"]
    assert Lead.objects.get(company="Gut GmbH").potential == 80000


def test_lead_import_reports_every_problem_of_a_row_at_once_and_reads_german_numbers(org):
    from django.utils import translation

    bad = b"company;email;postcode;industry;potential\nDoppelt falsch GmbH;kein-mail;123;Z9;12,5x\n"
    with translation.override("en"), pytest.raises(ImportErrors) as exc:
        lead_import_csv(raw=bad, user=org.idl)
    assert exc.value.errors == [
        "row 2: '123' is not a German postcode (five digits).",
        "row 2: 'kein-mail' is not an e-mail address.",
        "row 2: 'Z9' is not a WZ 2008 section (A–U).",
        "row 2: '12,5x' is not a number.",
    ]
    assert Lead.objects.count() == 0
    good = "company;email;postcode;potential\nGroß GmbH;gross@gross.de;80331;300.000\n".encode()
    with translation.override("de"):
        lead_import_csv(raw=good, user=org.idl)
    assert Lead.objects.get(company="Groß GmbH").potential == Decimal("300000")


def test_csv_import_page_shows_row_errors(org, client):
    client.force_login(org.idl)
    upload = SimpleUploadedFile("leads.csv", b"Firma;E-Mail\nKein Kanal;\n", content_type="text/csv")
    resp = client.post("/campaigns/leads/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200 and b"row 2" in resp.content
    assert Lead.objects.count() == 0


def test_complaint_pages_find_an_account_record_and_resolve(org, client):
    from isf.campaigns.models import Complaint
    from isf.campaigns.tests.factories import make_contract
    from isf.customers.tests.factories import AccountFactory

    make_contract(org)  # goodwill up to 500 EUR within the decision rights
    account = AccountFactory(name="Reklamier GmbH", erp_number="777001", team=org.smb_team, owner=org.rep)
    client.force_login(org.agent2)
    AccountFactory(name="Fremd GmbH", erp_number="777002")  # not in the agent's team: not found
    resp = client.get("/campaigns/complaints/?account=777")
    assert resp.status_code == 200
    assert b"Reklamier GmbH" in resp.content and b"Fremd GmbH" not in resp.content
    resp = client.post(
        f"/campaigns/complaints/new/{account.pk}/",
        {"category": "delivery", "severity": "high", "description": "Teile fehlen"},
    )
    complaint = Complaint.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/campaigns/complaints/{complaint.pk}/"
    client.post(f"/campaigns/complaints/{complaint.pk}/resolve/", {"resolution": "Nachgeliefert", "goodwill_eur": "50"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == ("resolved", "within_rights")
    assert client.get(f"/campaigns/complaints/{complaint.pk}/").status_code == 200
    assert client.get(f"/campaigns/accounts/{account.pk}/buying-center/").status_code == 200
    assert client.get("/campaigns/quotes/").status_code == 200


def test_lead_list_page_and_api_list_have_a_fixed_number_of_queries(org, client, django_assert_max_num_queries):
    from isf.campaigns.services.leads import lead_create

    for i in range(30):
        lead_create(
            data={"company": f"Firma {i} GmbH", "email": f"info@firma{i}.de", "postcode": "80331"}, source="api"
        )
    client.force_login(org.agent)
    with django_assert_max_num_queries(12):
        assert client.get("/campaigns/leads/").status_code == 200
    with django_assert_max_num_queries(8):
        resp = client.get("/api/v1/leads")
    assert resp.status_code == 200 and resp.json()["count"] == 30


@pytest.mark.parametrize(("field", "value"), [("company", "Dach\x00decker"), ("city", "M\x1bnchen"),
                                              ("message", "Bitte\x0bKatalog"), ("postcode", "abc"),
                                              ("message", "x" * 5001)])
def test_public_form_refuses_control_characters_bad_postcodes_and_overlong_messages(org, client, field, value):
    resp = client.post("/campaigns/contact/", {**FORM, field: value})
    assert resp.status_code == 400
    assert field in resp.context["form"].errors
    assert Lead.objects.count() == 0


def test_lead_service_refuses_what_the_form_would_for_every_other_entry_point(org):
    from isf.campaigns.errors import CampaignsError
    from isf.campaigns.services.leads import lead_create

    with pytest.raises(CampaignsError) as exc:
        lead_create(data={**FORM, "company": "Dach\x01decker"}, source="import")
    assert (exc.value.field, exc.value.message) == (
        "company", "company: contains the control character U+0001, which cannot be stored")
    with pytest.raises(CampaignsError) as exc:
        lead_create(data={**FORM, "postcode": "8046\u0669"}, source="import")
    assert exc.value.field == "postcode"
    assert Lead.objects.count() == 0
