"""Browser tests in Chromium: the sales lead edits the care matrix; an agent works the queue (claim → complete)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import browser_login
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.matrix_services import care_matrix_defaults
from isf.planning.models import CareMatrix, Task
from isf.planning.services import task_create
from isf.planning.tests.helpers import make_segment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sales_lead_reads_and_edits_the_matrix_page(make_page):
    UserFactory(username="vl", role=Role.SALES_LEAD)
    segment = make_segment()
    care_matrix_defaults(segment=segment)
    page = make_page(locale="de-DE")
    browser_login(page, "vl")
    page.goto(f"{page.base_url}/queue/matrix/SMB/")
    assert page.locator("h1").inner_text() == "Betreuungsmatrix SMB"
    table = page.get_by_test_id("matrix-table")
    assert "Segmentbeschreibung" in table.inner_text()
    assert "Regelmäßige Betreuungsanrufe durch das SMB-Team" in table.inner_text()
    assert "A: 3, B: 2, C: 1 pro Jahr" in page.get_by_test_id("matrix-entries").inner_text()

    page.get_by_test_id("matrix-edit").click()
    page.fill("input[name=a-0-frequency_per_year]", "400")
    page.get_by_test_id("matrix-save").click()
    assert "Zeile 1, Häufigkeit pro Jahr: muss zwischen 0 und 365 liegen" in page.get_by_test_id("matrix-error").inner_text()
    assert CareMatrix.objects.get(segment=segment).activities.first().frequency_per_year == 4

    page.fill("input[name=a-0-frequency_per_year]", "6")
    page.get_by_test_id("matrix-save").click()
    page.wait_for_load_state("networkidle")
    errors = page.get_by_test_id("matrix-error")
    assert errors.count() == 0, errors.inner_text()
    assert page.locator("h1").inner_text() == "Betreuungsmatrix SMB"
    assert "6 × pro Jahr" in page.get_by_test_id("matrix-entries").inner_text()
    assert CareMatrix.objects.get(segment=segment).activities.first().frequency_per_year == 6


def test_inside_lead_reads_the_matrix_without_edit_button_at_phone_width(make_page):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    care_matrix_defaults(segment=make_segment())
    page = make_page(width=390, height=844, locale="en-US")
    browser_login(page, "idl")
    page.goto(f"{page.base_url}/queue/matrix/SMB/")
    assert page.locator("h1").inner_text() == "Care matrix SMB"
    assert page.get_by_test_id("matrix-edit").count() == 0
    assert page.get_by_test_id("matrix-pdf").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_agent_claims_and_completes_a_task_inline(make_page):
    segment = make_segment()
    agent = UserFactory(username="id1", role=Role.INSIDE_AGENT, team=segment.team)
    account = AccountFactory(name="Huber Metallbau GmbH", team=segment.team)
    task = task_create(kind="welcome_call", title="Begrüßungsanruf", due_at=timezone.now() + timedelta(hours=1),
                       account=account, team=segment.team, reason="Begrüßungsanruf: erste Bestellung am 12.11.",
                       reason_en="welcome call: first order on 12 Nov")
    page = make_page(locale="en-US")
    browser_login(page, "id1")
    page.goto(f"{page.base_url}/queue/")
    row = page.locator(f"#task-{task.pk}")
    assert "welcome call: first order on 12 Nov" in row.inner_text()
    page.get_by_test_id(f"claim-{task.pk}").click()
    page.wait_for_selector(f"#task-{task.pk}[data-status=claimed]")
    assert str(agent) in page.locator(f"#task-{task.pk}").inner_text()
    page.get_by_test_id(f"complete-open-{task.pk}").click()
    page.select_option(f"[data-testid=outcome-{task.pk}]", "appointment")
    page.fill(f"[data-testid=note-{task.pk}]", "Termin mit AD am 3.12.")
    page.get_by_test_id(f"complete-{task.pk}").click()
    page.wait_for_selector(f"[data-testid=done-{task.pk}]")
    task.refresh_from_db()
    assert (task.status, task.outcome, task.note, task.assignee_id) == ("done", "appointment", "Termin mit AD am 3.12.",
                                                                        agent.pk)
    assert Task.objects.filter(status="open").count() == 0
