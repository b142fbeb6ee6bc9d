"""A field rep writes a visit report on a phone (390 x 844): few interactions, nothing lost offline."""

from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.models import Task
from isf.planning.services import task_create
from isf.visits.models import VisitReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _defaults():
    """Visit types and the service catalog come from data migrations, which an earlier transactional
    test's flush removes; load them again the same way."""
    from importlib import import_module

    from django.apps import apps

    import_module("isf.visits.migrations.0002_default_visit_types").create(apps, None)
    import_module("isf.service.migrations.0002_default_catalog").load(apps, None)


def _setup():
    _defaults()
    team = TeamFactory(code="SMB", name="SMB-Team")
    rep = UserFactory(username="rep", role=Role.FIELD_REP)
    account = AccountFactory(name="Huber Werkzeugbau GmbH", owner=rep, team=team, potential=Decimal("40000"))
    ContactFactory(account=account, first_name="Eva", last_name="Einkauf")
    visit = task_create(kind="visit", title="Besuch Huber", due_at=timezone.localtime().replace(hour=10, minute=0),
                        account=account, assignee=rep, side="field")
    return rep, account, visit


class Counter:
    """Counts what the rep does: taps, selections and typed fields."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def tap(self, selector):
        self.n += 1
        self.page.locator(selector).first.click()

    def type(self, selector, text):
        self.n += 1
        self.page.locator(selector).first.fill(text)

    def select_first(self, selector):
        self.n += 1
        el = self.page.locator(selector).first
        values = [v for v in el.locator("option").evaluate_all("opts => opts.map(o => o.value)") if v]
        el.select_option(values[0])


def test_standard_report_with_one_follow_up_takes_at_most_ten_interactions(make_page):
    _rep, account, visit = _setup()
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "rep")
    page.goto(f"{page.base_url}/visits/new/")
    act = Counter(page)
    act.tap('[data-testid="planned-visits"] a')
    page.wait_for_selector('[data-testid="visit-form"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    act.tap("input[name=contacts]")
    act.type("textarea[name=summary]", "Bedarf an Dübeln steigt, Angebot gewünscht")
    act.type("textarea[name=agreements]", "Angebot bis Freitag")
    act.type("textarea[name=next_steps]", "Innendienst erstellt Angebot")
    act.select_first("select[name=follow_up]")
    act.tap('[data-testid="visit-submit"]')
    page.wait_for_url("**/visits/*/")
    assert act.n <= 10
    report = VisitReport.objects.get()
    assert report.account == account and report.contacts.count() == 1
    assert report.visit_date == timezone.localdate()
    assert len(report.follow_ups) == 1
    assert Task.objects.get(pk=visit.pk).status == "done"


def test_failed_submit_keeps_the_report_and_sends_it_when_the_connection_is_back(make_page):
    _rep, account, _visit = _setup()
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "rep")
    page.goto(f"{page.base_url}/visits/new/?account={account.pk}")

    def fail_posts(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/visits/new/**", fail_posts)
    page.fill("textarea[name=summary]", "Wichtiges Gespräch ohne Netz")
    page.click('[data-testid="visit-submit"]')
    status = page.locator("[data-visit-status]")
    status.wait_for(state="visible")
    page.wait_for_function("document.querySelector('[data-visit-status]').textContent.includes('Netz') || "
                           "document.querySelector('[data-visit-status]').textContent.includes('connection')")
    assert VisitReport.objects.count() == 0
    stored = page.evaluate(f"localStorage.getItem('isf-visit-draft:{account.pk}')")
    assert "Wichtiges Gespräch ohne Netz" in stored

    # the page is reloaded while still offline: the text is still there
    page.reload()
    assert page.locator("textarea[name=summary]").input_value() == "Wichtiges Gespräch ohne Netz"

    page.unroute("**/visits/new/**")
    page.locator("[data-visit-resend]").wait_for(state="visible")
    page.click("[data-visit-resend]")
    page.wait_for_url("**/visits/*/")
    report = VisitReport.objects.get()
    assert report.summary == "Wichtiges Gespräch ohne Netz"
    assert page.evaluate(f"localStorage.getItem('isf-visit-draft:{account.pk}')") is None


def test_future_date_is_shown_next_to_the_field_and_nothing_is_lost(make_page):
    _rep, account, _visit = _setup()
    page = make_page(width=390, height=844, locale="en-US")
    browser_login(page, "rep")
    page.goto(f"{page.base_url}/visits/new/?account={account.pk}")
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    page.fill("input[name=visit_date]", tomorrow)
    page.fill("textarea[name=summary]", "Text der bleiben muss")
    page.click('[data-testid="visit-submit"]')
    error = page.locator('[data-error-for="visit_date"]')
    error.wait_for(state="visible")
    assert "future" in error.inner_text()
    assert page.locator("textarea[name=summary]").input_value() == "Text der bleiben muss"
    assert VisitReport.objects.count() == 0
