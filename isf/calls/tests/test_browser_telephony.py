"""The phone system rings an agent: the ringing screen opens on his phone and his call log completes the same call."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import browser_login
from isf.calls.models import CallLog
from isf.calls.tests.helpers import world
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ringing_screen_opens_and_the_agent_completes_the_same_call(make_page):
    w = world()
    w["agent"].extension = "201"
    w["agent"].save()
    token = api_token_create(user=UserFactory(username="pbx", role=Role.TELEPHONY))[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    now = timezone.now().replace(microsecond=0)

    def event(name, ago):
        body = {"call_id": "pbx-b1", "event": name, "at": (now - ago).isoformat(), "direction": "in",
                "from": "+49 89 1234567", "to": "+49 89 555000", "agent": "201"}
        return api.post("/api/v1/telephony/events", json.dumps(body), content_type="application/json")

    ringing = event("ringing", timedelta(minutes=5))
    assert ringing.status_code == 201
    assert ringing.json()["screen_url"].endswith("/call/?phone=%2B49891234567&call_id=pbx-b1")
    page = make_page(width=390, height=844, locale="de-DE")
    browser_login(page, "agent")
    # as many phone systems open it: the + unencoded
    page.goto(f"{page.base_url}/call/?phone=+49 89 1234567&call_id=pbx-b1")
    assert page.get_by_test_id("customer-screen").is_visible()
    assert page.locator("h1").inner_text() == "Müller Metallbau GmbH"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert event("answered", timedelta(minutes=4, seconds=50)).status_code == 201
    assert event("ended", timedelta(minutes=1)).status_code == 201
    page.select_option("select[name=outcome]", "order")
    page.fill("textarea[name=note]", "Bestellt 20 Kartons Dübel")
    page.get_by_test_id("log-call").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("customer-screen").is_visible()
    call = CallLog.objects.get()  # one call: the phone system's, completed by the agent
    assert (call.call_id, call.source, call.outcome, call.note, call.agent, call.account) == (
        "pbx-b1", "telephony", "order", "Bestellt 20 Kartons Dübel", w["agent"], w["account"])
    assert (call.wait_seconds, call.talk_seconds) == (10, 230)
    assert 60 <= call.wrap_up_seconds <= 120
    assert call.duration_seconds == 230 + call.wrap_up_seconds
