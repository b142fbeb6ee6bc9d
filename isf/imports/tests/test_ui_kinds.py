"""The upload page offers every kind the CLI has (leads and call volumes through the same services), and a job
that no worker picks up says so; `make run` starts the worker with the server and stops it with the server."""

import os
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from isf.campaigns.models import Lead
from isf.capacity.models import CallVolume
from isf.capacity.tests.telephony import sample_export
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

LEADS = "Firma;Ansprechpartner;Telefon;PLZ;Ort\r\nElektro Krause GmbH;Petra Krause;0341 556677;04109;Leipzig\r\n"


@pytest.fixture
def lead_user(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    user = UserFactory(role=Role.INSIDE_LEAD)
    client.force_login(user)
    return user


def upload(client, body: bytes, name: str, kind: str):
    return client.post(reverse("imports:list"), {"kind": kind, "file": SimpleUploadedFile(name, body)})


def test_upload_page_offers_leads_and_call_volumes_with_templates(client, lead_user):
    page = client.get(reverse("imports:list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<option value="leads">Leads</option>' in page
    assert '<option value="call-volumes">Anrufvolumen (Telefonanlage)</option>' in page
    for kind in ("leads", "call-volumes"):
        assert f'href="{reverse("imports:template", args=[kind])}"' in page
    body = client.get(reverse("imports:template", args=["call-volumes"])).content.decode("utf-8-sig")
    assert body.splitlines()[0] == ("Intervallbeginn;angebotene Anrufe;angenommen;aufgelegt;"
                                    "mittlere Bearbeitungszeit (s)")
    english = client.get(reverse("imports:template", args=["call-volumes"]) + "?lang=en").content.decode("utf-8-sig")
    assert english.splitlines()[0] == "interval start;offered calls;answered;abandoned;average handling time (s)"
    assert client.get(reverse("imports:template", args=["leads"])).content.decode("utf-8-sig").splitlines()[0] == (
        "Firma;Ansprechpartner;E-Mail;Telefon;Straße;PLZ;Ort;Branche;Mitarbeiter;Potenzial (EUR);Nachricht;Lead-Nr.")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_call_volume_and_lead_templates_import_as_they_are(client, lead_user, tmp_path, lang):
    """Both templates, filled in with their example rows, import without a mapping step."""
    from isf.capacity.services import call_volumes_import
    from isf.imports.otherkinds import import_leads

    for kind in ("call-volumes", "leads"):
        path = tmp_path / f"{kind}-{lang}.csv"
        path.write_bytes(client.get(reverse("imports:template", args=[kind]) + f"?lang={lang}").content)
        if kind == "leads":
            assert import_leads(path, dry_run=True)["created"] == 2
        else:
            result = call_volumes_import(path=path, dry_run=True)
            assert (result["rows"], result["calls"], result["answered"], result["aht_seconds"]) == (2, 36, 33, 270.0)


def test_lead_upload_runs_the_campaign_lead_import_dry_run_then_for_real(client, lead_user):
    upload(client, LEADS.encode(), "leads.csv", "leads")
    job = ImportJob.objects.get()
    assert "Start import" in client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("imports:job", args=[job.pk]), {"dry_run": "1"})
    job.refresh_from_db()
    assert (job.status, job.created, Lead.objects.count()) == ("done", 1, 0)
    upload(client, LEADS.encode(), "leads.csv", "leads")
    job = ImportJob.objects.first()
    client.post(reverse("imports:job", args=[job.pk]), {})
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 1)
    assert list(Lead.objects.values_list("company", flat=True)) == ["Elektro Krause GmbH"]


def test_bad_lead_file_imports_nothing_and_lists_the_rows(client, lead_user):
    upload(client, (LEADS + ";Ohne Firma;;;\r\n").encode(), "leads.csv", "leads")
    job = ImportJob.objects.get()
    client.post(reverse("imports:job", args=[job.pk]), {})
    job.refresh_from_db()
    assert (job.status, job.errors, Lead.objects.count()) == ("failed", 1, 0)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="import-problems"' in page and "3" in page


def test_call_volume_upload_goes_through_the_capacity_import_for_a_team(client, lead_user, tmp_path):
    team = TeamFactory(code="SMB", name="SMB-Team")
    path = sample_export(tmp_path, weeks=1)
    upload(client, Path(path).read_bytes(), "acd.csv", "call-volumes")
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert '<option value="SMB">SMB-Team</option>' in page
    client.post(reverse("imports:job", args=[job.pk]), {"team": "SMB"}, HTTP_ACCEPT_LANGUAGE="en")
    job.refresh_from_db()
    assert (job.status, job.rows, job.created) == ("done", 7 * 96, 7 * 96)
    assert CallVolume.objects.filter(team=team).count() == 7 * 96
    assert "Intervalle zu 15 Minuten importiert" in job.message or "intervals of 15 minutes" in job.message


def test_call_volumes_must_be_csv(client, lead_user):
    response = upload(client, b"PK\x03\x04", "acd.xlsx", "call-volumes")
    assert "acd.xlsx: Anrufvolumen (Telefonanlage) können nur aus einer CSV-Datei importiert werden." in (
        response.content.decode())
    assert ImportJob.objects.count() == 0


def test_job_queued_for_more_than_30_seconds_says_no_worker_runs(client, lead_user):
    job = ImportJob.objects.create(kind="orders", file_name="a.csv", path="/nonexistent", user=lead_user)
    status = client.get(reverse("imports:job-status", args=[job.pk])).json()
    assert (status["waiting"], status["message"]) == (False, "")
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=31))
    status = client.get(reverse("imports:job-status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="de").json()
    assert status["waiting"] is True
    assert status["message"].startswith("Es läuft kein Hintergrund-Worker") and "`make worker`" in status["message"]
    page = client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No background worker is running, so this import has not started yet. Start it with `make worker`" in page
    ImportJob.objects.filter(pk=job.pk).update(phase="preview")  # still being set up by the user: no hint
    assert not client.get(reverse("imports:job-status", args=[job.pk])).json()["waiting"]


FAKE_PYTHON = """#!/usr/bin/env bash
# stands in for the venv's python: records who runs, the server exits when told to
echo "$$ $2" >> "$FAKE_LOG"
if [ "$2" = runserver ]; then
  while [ ! -e "$FAKE_STOP" ]; do sleep 0.1; done
  exit 0
fi
while true; do sleep 0.1; done
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("how", ["server exits", "script terminated"])
def test_run_script_starts_the_worker_and_stops_it_with_the_server(tmp_path, how):
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    log, stop = tmp_path / "log", tmp_path / "stop"
    env = {**os.environ, "ISF_PYTHON": str(fake), "FAKE_LOG": str(log), "FAKE_STOP": str(stop)}
    script = Path(django_settings.BASE_DIR) / "scripts" / "run.sh"
    proc = subprocess.Popen(["bash", str(script), "127.0.0.1:8199"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 2):
        time.sleep(0.05)
    started = dict(reversed(line.split()) for line in log.read_text().splitlines())
    assert set(started) == {"worker", "runserver"}
    worker = int(started["worker"])
    assert _alive(worker)
    if how == "server exits":
        stop.touch()
    else:
        proc.terminate()
    proc.wait(timeout=15)
    time.sleep(0.2)
    assert not _alive(worker)
    assert not _alive(int(started["runserver"]))
