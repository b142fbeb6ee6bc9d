"""Browser: a lead file uploaded on the import page is imported through the campaigns service; a job that no
worker picks up tells the user (in German) how to start one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.campaigns.models import Lead
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADS = "Firma;Ansprechpartner;Telefon;PLZ;Ort\r\nElektro Krause GmbH;Petra Krause;0341 556677;04109;Leipzig\r\n"


def test_lead_upload_in_the_browser(make_page, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    page = make_page()
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/imports/")
    page.select_option("select[name=kind]", "leads")
    page.set_input_files("input[name=file]", files=[{"name": "leads.csv", "mimeType": "text/csv",
                                                      "buffer": LEADS.encode()}])
    page.click("#import-upload button[type=submit]")
    page.click("button.isf-big-tap")
    page.wait_for_selector("#import-message")
    page.wait_for_function("document.getElementById('import-progress').value == 100")
    assert "leads.csv: 1 Zeile; angelegt 1" in page.inner_text("#import-message")
    assert list(Lead.objects.values_list("company", flat=True)) == ["Elektro Krause GmbH"]


def test_queued_job_without_worker_says_how_to_start_one(make_page, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    user = UserFactory(username="idl", role=Role.INSIDE_LEAD)
    job = ImportJob.objects.create(kind="orders", file_name="VA05.csv", path=str(tmp_path / "VA05.csv"), user=user)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = make_page()
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/imports/jobs/{job.pk}/")
    page.wait_for_function("document.getElementById('import-message').textContent.includes('make worker')")
    text = page.inner_text("#import-message")
    assert text.startswith("Es läuft kein Hintergrund-Worker") and "`isf db_worker`" in text


ACCOUNTS = "Kundennummer;Name;PLZ;Potenzial (EUR)\r\n20001;Müller Haustechnik GmbH;80331;87.600,00\r\n"


def test_dry_run_then_import_now_in_german(make_page, settings, tmp_path):
    """Upload, preview with the first rows as read, dry run ("würde anlegen", nothing written), then "Jetzt
    importieren" writes exactly the checked file."""
    from isf.customers.models import Account

    settings.DATA_DIR = tmp_path
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    page = make_page(width=390, height=844)
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/imports/")
    page.select_option("select[name=kind]", "accounts")
    page.set_input_files("input[name=file]", files=[{"name": "konten.csv", "mimeType": "text/csv",
                                                      "buffer": ACCOUNTS.encode()}])
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#import-sample")
    assert "87600,00" in page.inner_text("#import-sample")
    assert page.inner_text("label[for=col_erp_number]") == "Kundennummer *"
    page.check("input[name=dry_run]")
    page.click("form button.isf-big-tap")
    page.wait_for_selector("#import-now")
    assert page.inner_text("#import-message") == ("konten.csv: 1 Zeile; Probelauf, nichts geschrieben: würde 1 anlegen, "
                                                  "0 aktualisieren, 0 unverändert lassen; Fehler 0")
    assert page.inner_text("#import-job dl").split("\n")[:2] == ["Würde anlegen", "1"]
    assert Account.objects.count() == 0
    page.click("#import-now")
    page.wait_for_function("document.getElementById('import-job').dataset.finished === '1'")
    assert "angelegt 1" in page.inner_text("#import-message")
    assert list(Account.objects.values_list("erp_number", "name")) == [("20001", "Müller Haustechnik GmbH")]
