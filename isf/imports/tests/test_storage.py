"""An import job goes through the file storage only: uploaded on the web host, read by the worker, error report
and progress kept there. The tests' storage is Django's InMemoryStorage (conftest.py): no host path exists, so a
job that opened one would fail - this is what a worker on another machine sees (shared store, no shared disk)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from isf.customers.models import OrderLine
from isf.customers.tests.factories import AccountFactory, ProductFactory
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORDERS = ("Auftragsnr;Position;Kundennr;Auftragsdatum;Artikelnr;Menge;Umsatz\r\n"
          "A1;1;10001;15.01.2025;ART-1;12;1.234,56\r\nA1;2;99999;15.01.2025;ART-1;1;5,00\r\n")


def test_an_import_job_reads_and_writes_only_through_the_file_storage(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # nothing of the job may land on this host's disk
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    client.post(reverse("imports:list"), {"kind": "orders", "file": SimpleUploadedFile("orders.csv", ORDERS.encode())})
    job = ImportJob.objects.get()
    assert job.path.startswith("imports/uploads/") and job.path.endswith(".csv")
    assert default_storage.open(job.path).read() == ORDERS.encode()
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "semicolon-separated" in page  # the preview read the stored upload

    client.post(reverse("imports:job", args=[job.pk]), {"col_order_number": "Auftragsnr", "skip_invalid": "1"})
    job.refresh_from_db()
    assert (job.status, job.created, job.errors) == ("done", 1, 1)
    assert job.error_report == f"imports/uploads/job{job.pk}-errors.csv"
    report = client.get(reverse("imports:job-errors", args=[job.pk]))
    assert b"".join(report.streaming_content).decode("utf-8-sig").splitlines()[1].startswith("orders.csv;3;")
    assert OrderLine.objects.count() == 1
    assert sorted(default_storage.listdir("imports/uploads")[1]) == sorted(
        [job.path.rsplit("/", 1)[1], f"job{job.pk}-errors.csv"])  # no progress file left behind
    assert list(tmp_path.iterdir()) == []


def test_a_job_whose_upload_is_gone_fails_with_a_message_and_its_page_says_so(client):
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    client.post(reverse("imports:list"), {"kind": "orders", "file": SimpleUploadedFile("orders.csv", ORDERS.encode())})
    job = ImportJob.objects.get()
    default_storage.delete(job.path)
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The uploaded file is no longer stored. Upload it again." in page
    client.post(reverse("imports:job", args=[job.pk]), {"col_order_number": "Auftragsnr"})  # the task fails
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == f"{job.path}: the stored file is gone (removed by the nightly housekeeping?)"
