"""Issue 24: interval files upload on the IDL's capacity page with the preview, dry run, "import now" and error
report of every other import (isf.imports), headers of common exports recognised or mapped, bad rows named."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from isf.capacity.models import CallVolume
from isf.imports.models import ImportJob
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

GERMAN = ("Datum;Uhrzeit;Angeboten;Angenommen;Aufgelegt;AHT\r\n"
          "02.11.2026;08:00-08:15;12;11;1;04:30\r\n"
          "02.11.2026;08:15-08:30;1.204;1.150;54;270\r\n"
          "02.11.2026;08:30-08:45;9;9;0;05:00\r\n"
          "02.11.2026;08:45-09:00;7;6;1;04:10\r\n")
ENGLISH = ("Date,Time,Calls Offered,Calls Answered,Calls Abandoned,Average Handle Time\r\n"
           "2026-11-02,08:00,12,11,1,270\r\n"
           "2026-11-02,08:15,14,13,1,250\r\n")


@pytest.fixture
def idl(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    TeamFactory(code="KA", name="Key-Account-Team")
    user = UserFactory(role=Role.INSIDE_LEAD)
    client.force_login(user)
    return user


def upload(client, text: str, name: str = "intervalle.csv", lang: str = "de"):
    """As the capacity page's upload form posts it (kind and the team's code as hidden fields)."""
    client.post(reverse("imports:list"), {"kind": "call-volumes", "team": "KA",
                                          "file": SimpleUploadedFile(name, text.encode("utf-8"))},
                HTTP_ACCEPT_LANGUAGE=lang)
    return ImportJob.objects.order_by("-pk").first()


def page(client, job, lang="de") -> str:
    return client.get(reverse("imports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE=lang).content.decode()


def test_capacity_page_offers_the_upload_to_the_idl(client, idl):
    body = client.get(reverse("capacity:overview"), {"team": "KA"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'data-testid="interval-upload"' in body and 'value="call-volumes"' in body


def test_preview_dry_run_then_import_now_writes_what_was_checked(client, idl):
    job = upload(client, GERMAN)
    preview = page(client, job)
    assert "CSV, Semikolon-getrennt" in preview
    assert "<option selected>Datum</option>" in preview and "<option selected>Angeboten</option>" in preview
    # the first rows as they will be read: a German date-time, counts with separators, AHT in seconds
    assert "02.11.2026 08:15" in preview and ">1.204<" in preview and ">270<" in preview
    assert "Intervallbeginn" in preview and "angebotene Anrufe" in preview
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA", "dry_run": "1"}, HTTP_ACCEPT_LANGUAGE="de")
    job.refresh_from_db()
    assert (job.status, job.dry_run, job.created, CallVolume.objects.count()) == ("done", True, 4, 0)
    done_page = page(client, job)
    assert "Würde anlegen" in done_page and 'id="import-now"' in done_page
    assert ("würde 4 Intervalle zu 15 Minuten importieren (02.11.2026 08:00 – 02.11.2026 08:45, 1.232 Anrufe) für "
            "Key-Account-Team; würde 0 gespeicherte Intervalle ersetzen") in done_page
    client.post(reverse("imports:job-import-now", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="de")
    imported = ImportJob.objects.exclude(pk=job.pk).get()
    assert (imported.status, imported.checked_by_id, imported.created) == ("done", job.pk, 4)
    stored = list(CallVolume.objects.order_by("start").values_list("team__code", "start", "calls", "answered",
                                                                  "aht_seconds"))
    assert stored[0] == ("KA", dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC), 12, 11, 270)  # 08:00 Berlin (CET)
    assert [row[2] for row in stored] == [12, 1204, 9, 7]


def test_english_export_headers_are_recognised(client, idl):
    job = upload(client, ENGLISH, lang="en")
    preview = page(client, job, "en")
    assert "CSV, comma-separated" in preview and "<option selected>Calls Offered</option>" in preview
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA"}, HTTP_ACCEPT_LANGUAGE="en")
    assert list(CallVolume.objects.order_by("start").values_list("calls", flat=True)) == [12, 14]


def test_unrecognised_headers_are_mapped_on_the_preview(client, idl):
    job = upload(client, "Slot;Anzahl\r\n02.11.2026 08:00;5\r\n02.11.2026 08:15;6\r\n")
    preview = page(client, job)
    assert 'data-testid="volume-missing"' in preview and "Intervallbeginn" in preview
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA", "col_start": "Slot", "col_calls": "Anzahl"})
    job.refresh_from_db()
    assert (job.status, job.options["columns"]) == ("done", {"start": "Slot", "calls": "Anzahl"})
    assert list(CallVolume.objects.order_by("start").values_list("calls", flat=True)) == [5, 6]


def test_every_bad_row_is_reported_with_row_column_value_in_the_page_language(client, idl):
    bad = GERMAN.replace("02.11.2026;08:30-08:45;9", "02.11.2026;08:30-08:45;-9").replace(
        "08:45-09:00;7;6;1;04:10", "08:45-09:00;7;sechs;1;4 Minuten") + "31.11.2026;08:00;3;3;0;200\r\n"
    job = upload(client, bad)
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA", "dry_run": "1"}, HTTP_ACCEPT_LANGUAGE="de")
    job.refresh_from_db()
    assert (job.status, job.errors, job.errors_total, CallVolume.objects.count()) == ("failed", 3, 4, 0)
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in job.first_errors] == [
        (4, "Angeboten", "-9", "must not be below 0"),
        (5, "Angenommen", "sechs", "not a whole number"),
        (5, "AHT", "4 Minuten", "not a duration in seconds or mm:ss"),
        (6, "Datum", "31.11.2026 08:00", "not a date and time like 02.11.2026 08:15"),
    ]
    body = page(client, job)
    assert "4 Fehler in 3 Zeilen; nichts wurde importiert" in body
    assert "darf nicht unter 0 liegen" in body and "keine Dauer in Sekunden oder mm:ss" in body
    report = b"".join(client.get(reverse("imports:job-errors", args=[job.pk])).streaming_content).decode("utf-8-sig")
    assert report.splitlines()[0] == "Datei;Zeile;Spalte;Wert;Nachricht"
    assert "intervalle.csv;4;Angeboten;-9;darf nicht unter 0 liegen" in report


def test_duplicate_intervals_name_both_rows(client, idl):
    lines = GERMAN.splitlines()
    job = upload(client, "\r\n".join([*lines, lines[2]]) + "\r\n")
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA"}, HTTP_ACCEPT_LANGUAGE="en")
    job.refresh_from_db()
    assert job.status == "failed"
    assert [(e["row"], e["message"]) for e in job.first_errors] == [
        (6, "duplicate interval 02.11.2026 08:15 (first in row 3)")]
    assert "duplicate interval 02.11.2026 08:15 (first in row 3)" in page(client, job, "en")
    assert "doppeltes Intervall 02.11.2026 08:15 (zuerst in Zeile 3)" in page(client, job, "de")


def test_a_duplicate_interval_is_reported_with_the_other_rows_problems_in_one_pass(client, idl):
    lines = GERMAN.splitlines()
    job = upload(client, "\r\n".join([*lines, "02.11.2026;09:00-09:15;-3;2;0;04:00", lines[2]]) + "\r\n")
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA"}, HTTP_ACCEPT_LANGUAGE="en")
    job.refresh_from_db()
    assert (job.status, CallVolume.objects.count()) == ("failed", 0)
    assert [(e["row"], e["message"]) for e in job.first_errors] == [
        (6, "must not be below 0"), (7, "duplicate interval 02.11.2026 08:15 (first in row 3)")]


def test_unknown_time_zone_is_refused_with_its_name(client, idl):
    job = upload(client, GERMAN)
    client.post(reverse("imports:job", args=[job.pk]), {"team": "KA", "timezone": "Europe/Nürnberg"})
    job.refresh_from_db()
    assert (job.status, CallVolume.objects.count()) == ("failed", 0)
    assert ("unbekannte Zeitzone 'Europe/Nürnberg'; geben Sie einen IANA-Namen wie Europe/Berlin an"
            in html.unescape(page(client, job)))


@pytest.mark.parametrize(("lang", "message"), [("de", "darf nicht unter 0 liegen"), ("en", "must not be below 0")])
def test_cli_json_names_every_bad_row_in_the_asked_language(tmp_path, settings, lang, message):
    import io
    import json

    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    path = tmp_path / "intervalle.csv"
    path.write_text(GERMAN.replace(";9;9;0;", ";-9;9;0;").replace(";7;6;1;", ";-7;6;1;"), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "call-volumes", str(path), "--json", f"--lang={lang}", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["errors"], data["errors_total"]) == (2, 2)
    assert data["first_errors"] == [{"row": 4, "column": "Angeboten", "value": "-9", "message": message},
                                    {"row": 5, "column": "Angeboten", "value": "-7", "message": message}]
    assert open(data["error_report"], encoding="utf-8-sig").read().splitlines()[0] == (
        "Datei;Zeile;Spalte;Wert;Nachricht" if lang == "de" else "file;row;column;value;message")
    assert CallVolume.objects.count() == 0
