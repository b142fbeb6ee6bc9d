"""API: create, list with filters, detail with clock and events, transitions with rule-naming errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from isf.org.services import api_token_create
from isf.service.models import ServiceOrder

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


def test_create_list_detail_and_transitions(client, people, account, contract):
    rep, agent = people["rep"], people["agent"]
    response = post(client, "/api/v1/service-orders",
                    {"service": "quote_prep", "account_id": account.pk, "inputs": {"products": "500 Schrauben"}}, rep)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["team"], created["requester"], created["source"]) == ("new", "SMB", "ad1", "api")
    assert created["sla_state"] == "on_track" and created["due_at"]
    assert created["events"][0]["to_status"] == "new"
    order_id = created["id"]

    listing = client.get("/api/v1/service-orders", {"status": "new", "team": "SMB"}, **bearer(agent)).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == order_id
    assert client.get("/api/v1/service-orders", {"status": "done"}, **bearer(agent)).json()["count"] == 0
    assert client.get("/api/v1/service-orders", {"requester": "ad1", "account": account.pk,
                                                 "sla_state": "on_track"}, **bearer(agent)).json()["count"] == 1

    bad = post(client, f"/api/v1/service-orders/{order_id}/transitions", {"status": "done"}, agent)
    assert bad.status_code == 409
    assert bad.json()["rule"] == "workflow" and bad.json()["field"] == "status"
    assert bad.json()["message"] == "Neu → Erledigt ist nicht erlaubt (Ablaufregel: Erledigt nur aus In Bearbeitung)."
    assert ServiceOrder.objects.get(pk=order_id).status == "new"

    ok = post(client, f"/api/v1/service-orders/{order_id}/transitions", {"status": "accepted"}, agent)
    assert ok.status_code == 200 and ok.json()["assignee"] == "id1"
    ok = post(client, f"/api/v1/service-orders/{order_id}/transitions", {"target": "in_progress", "note": "los"}, agent)
    assert ok.json()["status"] == "in_progress"
    reject = post(client, f"/api/v1/service-orders/{order_id}/transitions", {"status": "rejected"}, agent)
    assert reject.status_code == 400 and reject.json()["field"] == "reason"

    detail = client.get(f"/api/v1/service-orders/{order_id}", **bearer(rep)).json()
    assert set(detail) >= {"due_at", "sla_state", "business_seconds_elapsed", "events", "checklist"}
    assert [e["to_status"] for e in detail["events"]] == ["new", "accepted", "in_progress"]


def test_create_with_missing_required_input_is_refused(client, people, account):
    response = post(client, "/api/v1/service-orders", {"service": "quote_prep", "account_id": account.pk,
                                                       "inputs": {}}, people["rep"])
    assert response.status_code == 400
    assert response.json()["field"] == "inputs.products"
    assert ServiceOrder.objects.count() == 0


def test_list_query_count_does_not_grow_with_rows(client, people, account, quote_prep):
    from isf.service import services

    for _ in range(3):
        services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                      inputs={"products": "x"})
    headers = bearer(people["idl"])
    client.get("/api/v1/service-orders", **headers)  # warm-up (token bookkeeping)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/service-orders", **headers)
    for _ in range(5):
        services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                      inputs={"products": "x"})
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/service-orders", **headers).json()["count"] == 8
    assert len(many) == len(few)


def test_field_rep_does_not_see_other_reps_orders(client, people, account, quote_prep):
    from isf.service import services

    order = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                          inputs={"products": "x"})
    assert client.get(f"/api/v1/service-orders/{order.pk}", **bearer(people["rep2"])).status_code == 404
