"""Browser: the IDL uploads an interval report on the capacity page, sees the first rows as read, checks it in a
dry run and imports exactly the checked file with "import now" - in German and in English."""

import os

import pytest

from conftest import browser_login
from isf.capacity.models import CallVolume
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = ("Datum;Intervall;Angeboten;Angenommen;Aufgelegt;AHT\r\n"
          "02.11.2026;08:00-08:15;12;11;1;04:30\r\n"
          "02.11.2026;08:15-08:30;1.204;1.150;54;270\r\n"
          "02.11.2026;08:30-08:45;9;9;0;05:00\r\n")
WORDS = {
    "de": {"locale": "de-DE", "start": "02.11.2026 08:15", "count": "1.204", "would": "Würde anlegen",
           "done": "3 Intervalle zu 15 Minuten importiert"},
    "en": {"locale": "en-GB", "start": "2 Nov 2026, 08:15", "count": "1,204", "would": "Would create",
           "done": "imported 3 intervals"},
}
SHOTS = os.environ.get("ISF_SCREENSHOTS", "")


@pytest.mark.parametrize(("lang", "width"), [("de", 1280), ("en", 390)])
def test_idl_uploads_checks_and_imports_an_interval_file(make_page, settings, tmp_path, lang, width):
    settings.DATA_DIR = tmp_path
    TeamFactory(code="KA", name="Key-Account-Team")
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    words = WORDS[lang]
    page = make_page(width=width, height=900, locale=words["locale"])
    page.set_default_timeout(60000)  # a loaded machine: the first page of a live server may take a while
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/capacity/?team=KA")
    form = page.locator("form[data-testid=interval-upload]")
    form.locator("input[name=file]").set_input_files(files=[{"name": "intervalle.csv", "mimeType": "text/csv",
                                                             "buffer": REPORT.encode()}])
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#import-sample")
    sample = page.inner_text("#import-sample")
    assert words["start"] in sample and words["count"] in sample and "270" in sample
    assert page.locator("select[name=team]").input_value() == "KA"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/volume-preview-{lang}.png", full_page=True)
    page.check("input[name=dry_run]")
    page.locator("form button.isf-big-tap").click()
    page.wait_for_selector("#import-now")
    assert page.inner_text("#import-job dl").split("\n")[:2] == [words["would"], "3"]
    assert CallVolume.objects.count() == 0
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/volume-dry-run-{lang}.png", full_page=True)
    page.click("#import-now")
    page.wait_for_function("document.getElementById('import-job').dataset.finished === '1'")
    assert words["done"] in page.inner_text("#import-message")
    assert sorted(CallVolume.objects.values_list("calls", flat=True)) == [9, 12, 1204]
    if width <= 390:  # the preview's table is cards on a phone: nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= width
