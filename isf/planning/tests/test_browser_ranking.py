"""Browser walk: an agent's ranked queue at phone width in German and English - why the first task is first, and
"take next" opens it. The clock: Tuesday 24 Nov 2026, 10:00 in Berlin (running on from there)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conftest import browser_login
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.models import Task
from isf.planning.services import task_create
from isf.planning.tests.helpers import make_segment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)


def at(days=0, hour=12):
    return datetime.combine(NOW.date() + timedelta(days=days), datetime.min.time(), tzinfo=BERLIN).replace(hour=hour)


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_agent_sees_why_the_first_task_is_first_and_takes_it_at_phone_width(make_page, time_machine, locale):
    time_machine.move_to(NOW)
    team = TeamFactory(code="SMB", name="SMB-Team", state="BY", business_hours="08:00-17:00", workdays="1-5")
    ka = make_segment(code="KA", budget=2500, team=team, precedence=1)
    UserFactory(username="id1", role=Role.INSIDE_AGENT, team=team)
    task_create(kind="care_call", title="Betreuungsanruf Muster", title_en="Care call Muster", due_at=at(-12),
                team=team)
    task_create(kind="care_call", title="Betreuungsanruf Key", title_en="Care call Key", due_at=at(0, 16), team=team,
                account=AccountFactory(segment=ka, potential=Decimal(500_000)))
    lead = task_create(kind="lead_followup", title="Interessent kontaktieren: Neu GmbH",
                       title_en="Contact the lead: Neu GmbH", due_at=at(0, 12), team=team)
    german = locale == "de-DE"
    page = make_page(width=390, height=844, locale=locale)
    browser_login(page, "id1")
    page.goto(f"{page.base_url}/queue/")
    rows = page.get_by_test_id("task-row")
    assert rows.count() == 3
    first = rows.nth(0)
    assert ("Interessent kontaktieren" if german else "Contact the lead") in first.inner_text()
    why = first.get_by_test_id("priority-reasons")
    assert why.is_visible()
    assert why.locator("li").first.inner_text() == (
        "SLA: noch 2 Geschäftsstunden (bald fällig)" if german else "SLA: 2 business hours left (due soon)")
    second = rows.nth(1).get_by_test_id("priority-reasons").inner_text()
    assert ("Key Account" if german else "key account") in second
    third = rows.nth(2).get_by_test_id("priority-reasons").inner_text()
    assert ("12 Tage überfällig" if german else "12 days overdue") in third
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("take-next").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/queue/{lead.pk}/")
    assert ("Priorität" if german else "Priority") in page.get_by_test_id("priority").inner_text()
    assert Task.objects.get(pk=lead.pk).status == "claimed"
