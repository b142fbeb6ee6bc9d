"""Upload page, background job, error report and template downloads, exports and the API docs page."""

import csv
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from isf.customers.models import Account, OrderLine
from isf.customers.tests.factories import AccountFactory, ContactFactory, ProductFactory
from isf.imports.exports import read_back
from isf.imports.models import ImportJob, ImportMapping
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORDERS = ("Auftragsnr;Position;Kundennr;Auftragsdatum;Artikelnr;Menge;Umsatz\r\n"
          "A1;1;10001;15.01.2025;ART-1;12;1.234,56\r\nA1;2;10001;15.01.2025;ART-1;1;5,00\r\n")


@pytest.fixture
def lead(client):
    user = UserFactory(role=Role.INSIDE_LEAD)
    client.force_login(user)
    return user


def upload(client, body: bytes, name="orders.csv", kind="orders", **extra):
    return client.post(reverse("imports:list"), {"kind": kind, "file": SimpleUploadedFile(name, body), **extra})


def test_upload_preview_shows_dialect_then_job_imports_and_saves_mapping(client, lead):
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    response = upload(client, ORDERS.encode("cp1252"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "CSV, UTF-8, Semikolon-getrennt, Dezimalkomma, Datum DD.MM.YYYY" in page
    assert re.search(r'<option selected>Auftragsnr</option>', page)
    response = client.post(reverse("imports:job", args=[job.pk]),
                           {"col_order_number": "Auftragsnr", "save_as": "SAP Aufträge"})
    job.refresh_from_db()
    assert (job.status, job.created, job.errors, job.progress) == ("done", 2, 0, 100)
    assert OrderLine.objects.count() == 2
    assert ImportMapping.objects.get(kind="orders", source="SAP Aufträge").mapping["columns"] == {
        "order_number": "Auftragsnr"}
    status = client.get(reverse("imports:job-status", args=[job.pk])).json()
    assert status["finished"] and status["created"] == 2


def test_job_with_errors_writes_nothing_and_offers_the_error_csv(client, lead, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    upload(client, ORDERS.replace("1.234,56", "-3").replace(";12;", ";-12;").encode())
    job = ImportJob.objects.get()
    client.post(reverse("imports:job", args=[job.pk]), {})
    job.refresh_from_db()
    assert (job.status, job.errors, job.errors_total) == ("failed", 1, 2) and OrderLine.objects.count() == 0
    body = b"".join(client.get(reverse("imports:job-errors", args=[job.pk])).streaming_content).decode("utf-8-sig")
    # every problem of the row, in the language of the page the import was started from
    assert body.splitlines()[1:] == ["orders.csv;2;Menge;-12;die Menge muss positiv sein",
                                     "orders.csv;2;Umsatz;-3;der Nettoumsatz darf nicht negativ sein"]


def test_upload_is_limited_in_size_and_type_and_role(client, lead, settings):
    settings.ISF_UPLOAD_MAX_BYTES = 50
    response = upload(client, ORDERS.encode())
    assert "orders.csv: Die Datei ist größer als das Limit" in response.content.decode()
    settings.ISF_UPLOAD_MAX_BYTES = 10_000
    response = upload(client, b"MZ\x90\x00", name="virus.exe")
    assert "virus.exe: Es können nur CSV- und XLSX-Dateien importiert werden." in response.content.decode()
    assert ImportJob.objects.count() == 0
    agent = UserFactory(role=Role.INSIDE_AGENT)
    client.force_login(agent)
    assert upload(client, ORDERS.encode()).status_code == 403
    assert ImportJob.objects.count() == 0


def test_template_download(client, lead):
    body = client.get(reverse("imports:template", args=["accounts"])).content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Kundennummer;Name;Straße;PLZ;Ort")


def test_account_export_respects_filter_and_visibility(client):
    rep = UserFactory(role=Role.FIELD_REP)
    AccountFactory(erp_number="1", name="Alpha Bau", owner=rep, phase="active")
    AccountFactory(erp_number="2", name="Beta Bau", owner=rep, phase="lost")
    AccountFactory(erp_number="3", name="Gamma fremd", phase="active")  # not visible to the rep
    client.force_login(rep)
    response = client.get(reverse("imports:export", args=["accounts", "csv"]), {"phase": "active"})
    rows = list(csv.reader(io.StringIO(read_back(response).decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["1"]
    assert rows[0][-1] == "Umsatz letzte 12 Monate (EUR)"  # German headers for the German UI
    response = client.get(reverse("imports:export", args=["accounts", "xlsx"]))
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True)) == ["1", "2"]


def test_contact_and_task_exports(client, lead):
    ContactFactory(last_name="Schäfer", account=AccountFactory(erp_number="77"))
    response = client.get(reverse("imports:export", args=["contacts", "csv"]))
    text = read_back(response).decode("utf-8-sig")
    assert "77;" in text and "Schäfer" in text
    assert client.get(reverse("imports:export", args=["tasks", "csv"])).status_code == 200
    assert client.get(reverse("imports:export", args=["nothing", "csv"])).status_code == 404


def test_api_docs_render_without_external_urls(client, lead):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)=["\'](https?:)?//[^"\']+', html)
    assert external == [] and "swagger" in html.lower()
    assert Account.objects.count() == 0


def test_token_page_lists_own_tokens_and_revokes(client):
    from isf.org.models import ApiToken
    from isf.org.services import api_token_create

    me, other = UserFactory(role=Role.FIELD_REP), UserFactory(role=Role.FIELD_REP)
    mine, _ = api_token_create(user=me, name="Telefonanlage")
    theirs, _ = api_token_create(user=other, name="fremd")
    client.force_login(me)
    page = client.get(reverse("imports:tokens")).content.decode()
    assert "Telefonanlage" in page and "fremd" not in page
    assert client.post(reverse("imports:token-revoke", args=[theirs.pk])).status_code == 404
    client.post(reverse("imports:token-revoke", args=[mine.pk]))
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_progress_inside_the_import_transaction_is_shown_from_the_progress_file(client, lead, settings, tmp_path,
                                                                                monkeypatch):
    """The job's progress written while the import holds its transaction open reaches the job page at once."""
    from isf.imports import jobs

    settings.DATA_DIR = tmp_path
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    upload(client, ORDERS.encode("cp1252"))
    job = ImportJob.objects.get()
    seen = []
    real = jobs.write_progress

    def write_progress(job_id, phase, progress, rows):
        real(job_id, phase, progress, rows)
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)  # what other sessions see
        seen.append(client.get(reverse("imports:job-status", args=[job_id])).json())
        page = client.get(reverse("imports:job", args=[job_id])).content.decode()
        seen[-1]["page_shows"] = f'value="{progress}"' in page

    monkeypatch.setattr(jobs, "write_progress", write_progress)
    monkeypatch.setattr("isf.imports.orders_write.BIG_LOAD", 1)
    client.post(reverse("imports:job", args=[job.pk]), {"col_order_number": "Auftragsnr"})
    assert seen and seen[-1]["phase"] == "writing", seen  # (tests run inside a transaction: every call is filed)
    assert seen[-1]["progress"] == 99 and seen[-1]["rows"] == 2
    assert all(s["page_shows"] for s in seen)  # the job page's first render too, not only its polls
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    assert not default_storage.exists(jobs.progress_name(job.pk))
