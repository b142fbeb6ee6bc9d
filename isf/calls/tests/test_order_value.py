"""A call with the outcome "order taken" records the order's value and product groups: on the customer screen and
through POST /api/v1/calls, refused on any other outcome; an order import then matches the ERP order to the call."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from isf.calls.models import Attribution, CallLog
from isf.calls.tests.helpers import world
from isf.customers.tests.factories import ProductGroupFactory
from isf.org.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    data = world()
    data["bef"] = ProductGroupFactory(code="BEF", name="Befestigungstechnik")
    data["dch"] = ProductGroupFactory(code="DCH", name="Dichtstoffe")
    return data


def _log(client, w, language="en", **fields):
    client.force_login(w["agent"])
    return client.post(reverse("calls:log"), {"account": w["account"].pk, "direction": "inbound", **fields},
                       HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(("language", "typed"), [("de", "1250,50"), ("en", "1250.50"), ("en", "1250.5")])
def test_the_screen_records_the_value_and_groups_of_an_order_taken(client, w, language, typed):
    resp = _log(client, w, language, outcome="order", order_value=typed, order_groups=[w["bef"].pk, w["dch"].pk])
    assert resp.status_code == 302
    call = CallLog.objects.get()
    assert call.order_value == Decimal("1250.50")
    assert sorted(call.order_groups.values_list("code", flat=True)) == ["BEF", "DCH"]


def test_the_screen_refuses_a_value_on_another_outcome_and_a_negative_value(client, w):
    resp = _log(client, w, outcome="info", order_value="100", order_groups=[w["bef"].pk])
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Only a call with the outcome &quot;Order taken&quot; has an order value." in html
    assert "Only a call with the outcome &quot;Order taken&quot; has product groups." in html
    resp = _log(client, w, outcome="order", order_value="-5")
    assert resp.status_code == 400
    resp = _log(client, w, "de", outcome="order", order_value="zwölf")
    assert resp.status_code == 400
    # the one number reading names the field and shows how to write it (isf.core.number_fields)
    assert "„Auftragswert (EUR)“ bitte als Zahl wie 1.234,56 eingeben; „zwölf“ ist keine." in resp.content.decode()
    assert CallLog.objects.count() == 0


@pytest.fixture
def api(client, w):
    _token, raw = api_token_create(user=w["agent"], name="telephony")

    def post(body):
        return client.post("/api/v1/calls", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    return post


def test_api_records_the_order_value_and_group_codes(api, w):
    resp = api({"account_id": w["account"].pk, "direction": "in", "outcome": "order", "order_value": "980.40",
                "order_groups": ["DCH", "BEF", "DCH"]})
    assert resp.status_code == 201
    call = CallLog.objects.get(pk=resp.json()["id"])
    assert call.order_value == Decimal("980.40")
    assert sorted(call.order_groups.values_list("code", flat=True)) == ["BEF", "DCH"]


@pytest.mark.parametrize(("body", "field"), [
    ({"outcome": "info", "order_value": 10}, "order_value"),
    ({"outcome": "info", "order_groups": ["BEF"]}, "order_groups"),
    ({"outcome": "order", "order_groups": ["NOPE"]}, "order_groups"),
    ({"outcome": "order", "order_value": -1}, "order_value"),
    ({"outcome": "order", "order_value": 10_000_000_000}, "order_value"),
    ({"outcome": "order", "order_value": "12.345"}, "order_value"),
    ({"outcome": "order", "order_value": "zwölf"}, "order_value"),
])
def test_api_refuses_a_bad_order_value_or_group_naming_the_field(api, w, body, field):
    resp = api({"account_id": w["account"].pk, "direction": "in", **body})
    assert resp.status_code == 422
    assert resp.json()["field"] == field
    assert CallLog.objects.count() == 0


def test_an_order_import_matches_the_erp_order_to_the_phone_order(api, w, client, django_capture_on_commit_callbacks):
    from isf.customers.tests.factories import ProductFactory
    from isf.org.choices import Role
    from isf.org.tests.factories import UserFactory

    ProductFactory(sku="ART-1", group=w["dch"])
    call_id = api({"account_id": w["account"].pk, "direction": "in", "outcome": "order", "order_value": "300.00",
                   "order_groups": ["DCH"]}).json()["id"]
    admin = UserFactory(username="imp", role=Role.ADMIN)
    _token, raw = api_token_create(user=admin, name="erp")
    body = {"lines": [{"order_number": "ERP-77", "customer_number": "010007", "order_date": "2026-11-20",
                       "line": 1, "sku": "ART-1", "quantity": "3", "net_revenue": "298.50", "margin": "90.00"}]}
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/api/v1/orders/bulk", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code in (200, 201), resp.content
    call = CallLog.objects.get(pk=call_id)
    assert call.matched_order.number == "ERP-77"
    attributed = Attribution.objects.get()
    assert (attributed.rule, attributed.call_id, attributed.revenue) == ("phone_order", call_id, Decimal("298.50"))


# --- the queue's outcome "sale" -------------------------------------------------------------------------------------

def _care_call(w):
    from isf.planning.models import Task

    return Task.objects.create(kind="care_call", title="Betreuungsanruf", account=w["account"], team=w["team_a"],
                               assignee=w["agent"], status="claimed", due_at=dt.datetime(2026, 11, 20, 8,
                                                                                        tzinfo=dt.UTC))


def test_the_queues_sale_on_a_call_task_logs_the_order_as_a_call(client, w):
    task = _care_call(w)
    client.force_login(w["agent"])
    resp = client.post(reverse("planning:task-complete", args=[task.pk]),
                       {"outcome": "sale", "note": "2 Kartons Dichtstoff", "order_value": "412,80",
                        "order_groups": [w["dch"].pk]}, HTTP_ACCEPT_LANGUAGE="de")
    assert resp.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("done", "sale")
    call = CallLog.objects.get()
    assert (call.outcome, call.direction, call.account, call.agent, call.order_value, call.note) == (
        "order", "outbound", w["account"], w["agent"], Decimal("412.80"), "2 Kartons Dichtstoff")
    assert list(call.order_groups.values_list("code", flat=True)) == ["DCH"]
    assert list(call.closed_tasks.all()) == [task]
    assert list(task.events.values_list("action", flat=True)).count("completed") == 1


def test_the_queue_refuses_an_order_value_on_another_outcome_and_changes_nothing(client, w):
    task = _care_call(w)
    client.force_login(w["agent"])
    resp = client.post(reverse("planning:task-complete", args=[task.pk]),
                       {"outcome": "reached", "order_value": "100"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 302
    task.refresh_from_db()
    assert task.status == "claimed"
    assert CallLog.objects.count() == 0
