"""Browser (Chromium): the sales lead previews and confirms a bulk re-assignment to an inside team, in German at the
desk and in English on a phone; the account's timeline names the change; the IDL previews but cannot confirm."""

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import browser_login
from isf.customers.models import Account, OwnerChange
from isf.customers.tests.factories import AccountFactory, OrderFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
from isf.segmentation.models import Segment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ISF_SHOTS")  # a folder to keep the screenshots in (looked at by hand)


@pytest.fixture
def base(today_is):
    today = date(2026, 12, 7)
    today_is(today)
    north = RegionFactory(code="N", name="Nordbayern")
    channel = TeamFactory(code="CDP", name="C/D/Privatkunden-Kanal")
    UserFactory(username="id9", role=Role.INSIDE_AGENT, team=channel)
    rep = UserFactory(username="ad1", first_name="Thomas", last_name="Huber", role=Role.FIELD_REP, region=north)
    c = Segment.objects.create(code="C", name_de="C-Kunden", name_en="C customers", precedence=40, team=channel)
    names = ["Maier Elektro e.K.", "Schneider Sanitär GmbH", "Berger Holzbau KG"]
    accounts = [AccountFactory(name=n, segment=c, region=north, owner=rep, potential=Decimal(p))
                for n, p in zip(names, ("14500", "9800", "2500"), strict=True)]
    add_line(OrderFactory(account=accounts[0], date=today - timedelta(days=20)), revenue="1234.50", margin="200")
    return {"channel": channel, "accounts": accounts, "segment": c, "north": north}


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _no_wider_than_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(("locale", "width", "texts"), [
    ("de-DE", 1280, {"title": "Kundenbetreuung", "moves": "3 Kunden gehen an C/D/Privatkunden-Kanal (Innendienst-Team)",
                     "revenue": "1.235 €", "potential": "26.800 €", "done": "3 Kunden an C/D/Privatkunden-Kanal",
                     "timeline": "Betreuer: Thomas Huber → C/D/Privatkunden-Kanal (Innendienst-Team)"}),
    ("en-US", 390, {"title": "Account owners", "moves": "3 accounts move to C/D/Privatkunden-Kanal (inside team)",
                    "revenue": "1,235 €", "potential": "26,800 €", "done": "3 accounts moved to C/D/Privatkunden-Kanal",
                    "timeline": "Owner: Thomas Huber → C/D/Privatkunden-Kanal (inside team)"}),
])
def test_the_sales_lead_previews_and_confirms_a_reassignment(make_page, base, locale, width, texts):
    UserFactory(username="vl", role=Role.SALES_LEAD)
    page = make_page(width=width, locale=locale)
    browser_login(page, "vl")
    page.goto(f"{page.base_url}/accounts/owners/")
    assert texts["title"] in page.locator("h1").inner_text()
    assert page.get_by_test_id("owner-rules-empty").is_visible()
    form = page.get_by_test_id("reassign-select")
    form.locator("select[name=segment]").select_option(str(base["segment"].pk))
    form.locator("select[name=region]").select_option(str(base["north"].pk))
    form.locator("select[name=to]").select_option(f"team-{base['channel'].pk}")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    preview = page.get_by_test_id("reassign-preview")
    assert texts["moves"] in preview.inner_text()
    assert page.get_by_test_id("preview-revenue").inner_text().replace("\u00a0", " ") == texts["revenue"]
    assert page.get_by_test_id("preview-potential").inner_text().replace("\u00a0", " ") == texts["potential"]
    assert "Maier Elektro e.K." in page.get_by_test_id("preview-accounts").inner_text()
    _no_wider_than_the_screen(page)
    _shot(page, f"owners-preview-{locale}-{width}")
    assert not OwnerChange.objects.exists()  # the preview changes nothing
    confirm = page.get_by_test_id("reassign-confirm")
    confirm.locator("input[name=reason]").fill("Neuer Gebietsplan ab Januar")
    confirm.locator("input[name=as_rule]").check()
    confirm.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert texts["done"] in page.locator(".isf-message").first.inner_text()
    assert Account.objects.filter(owner_team=base["channel"]).count() == 3
    assert "C/D/Privatkunden-Kanal" in page.get_by_test_id("owner-rules").inner_text()
    _shot(page, f"owners-done-{locale}-{width}")
    account = base["accounts"][0]
    page.goto(f"{page.base_url}/accounts/{account.pk}/?kind=owner")
    assert texts["timeline"] in page.locator("body").inner_text()
    _shot(page, f"owners-account-{locale}-{width}")


def test_the_inside_sales_lead_previews_but_cannot_confirm(make_page, base):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    page = make_page(locale="en-US")
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/accounts/owners/?segment={base['segment'].pk}&to=team-{base['channel'].pk}")
    assert "3 accounts move to" in page.get_by_test_id("reassign-preview").inner_text()
    assert page.get_by_test_id("reassign-confirm").count() == 0
    assert page.get_by_test_id("owner-rule-form").count() == 0
    _shot(page, "owners-idl-en")
