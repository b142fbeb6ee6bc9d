"""In the browser, on a phone: the agent ticks the caller's open tasks the call took care of (German and English)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.calls.models import CallLog
from isf.calls.tests.helpers import world
from isf.planning.models import Task
from isf.planning.services import task_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale, legend, logged", [
    ("de-DE", "Offene Aufgaben, die dieser Anruf erledigt hat", "Anruf erfasst; 2 Aufgaben erledigt."),
    ("en-US", "Open tasks this call took care of", "Call logged; 2 tasks completed."),
])
def test_the_agent_ticks_the_tasks_the_call_took_care_of(make_page, locale, legend, logged):
    w = world()
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    care = task_create(kind="care_call", title="Betreuungsanruf", due_at=noon - dt.timedelta(days=3),
                       account=w["account"], team=w["team_a"])
    callback = task_create(kind="call_back", title="Rückruf Preisliste", due_at=noon + dt.timedelta(days=20),
                           account=w["account"], team=w["team_a"])
    later = task_create(kind="care_call", title="Betreuungsanruf Q3", due_at=noon + dt.timedelta(days=60),
                        account=w["account"], team=w["team_a"])
    page = make_page(width=390, height=844, locale=locale)
    browser_login(page, "agent")
    page.goto(f"{page.base_url}/call/?phone=%2B49%20170%201234567")
    tasks = page.get_by_test_id("call-tasks")
    assert legend in tasks.inner_text()
    auto = page.get_by_test_id(f"call-task-{care.pk}").locator("input")
    assert auto.is_checked() and auto.is_disabled()  # completed by itself once the customer is reached
    page.get_by_test_id(f"call-task-{callback.pk}").locator("input").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("select[name=outcome]", "info")
    page.fill("textarea[name=note]", "Preisliste geschickt")
    page.get_by_test_id("log-call").click()
    page.wait_for_load_state("networkidle")
    assert logged in page.locator(".isf-message").first.inner_text()
    call = CallLog.objects.get()
    assert sorted(call.closed_tasks.values_list("pk", flat=True)) == sorted([care.pk, callback.pk])
    assert Task.objects.get(pk=later.pk).status == "open"
    # back on the caller's screen, only the open task is left to tick
    assert page.get_by_test_id(f"call-task-{later.pk}").is_visible()
    assert page.get_by_test_id(f"call-task-{care.pk}").count() == 0
