"""Pages: the order form, the order list and page with actions, approvals; denied paths change nothing."""

import pytest

from isf.service import services
from isf.service.models import Decision, ServiceOrder

pytestmark = pytest.mark.django_db


def test_order_form_creates_an_order_and_refuses_missing_input(client, people, account, contract):
    client.force_login(people["rep"])
    assert client.get("/service/orders/new/").status_code == 200
    page = client.get("/service/orders/new/?service=quote_prep").content.decode()
    assert account.name in page  # own account offered first
    response = client.post("/service/orders/new/", {"service": "quote_prep", "account": account.pk, "in_products": ""})
    assert response.status_code == 200
    assert "ist für Angebotserstellung erforderlich" in response.content.decode()
    assert ServiceOrder.objects.count() == 0
    response = client.post("/service/orders/new/", {"service": "quote_prep", "account": account.pk,
                                                    "in_products": "100 Anker", "note": "eilig"})
    order = ServiceOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/orders/{order.pk}/"
    assert order.inputs == {"products": "100 Anker"} and order.note == "eilig"


def test_order_form_finds_the_account_by_search(client, people, account):
    client.force_login(people["rep"])
    fragment = client.get("/service/orders/new/accounts/?account_q=Huber").content.decode()
    assert f'value="{account.pk}"' in fragment
    client.post("/service/orders/new/", {"service": "order_intake", "account_q": account.erp_number,
                                         "in_order_text": "3 Kartons"})
    assert ServiceOrder.objects.get().account == account


def test_inside_agent_cannot_use_the_order_form(client, people):
    client.force_login(people["agent"])
    assert client.get("/service/orders/new/").status_code == 403


def test_order_page_actions_and_rating(client, people, account, quote_prep, contract):
    order = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                          inputs={"products": "x"})
    client.force_login(people["agent"])
    assert b'data-testid="to-accepted"' in client.get(f"/service/orders/{order.pk}/").content
    client.post(f"/service/orders/{order.pk}/transition/", {"to": "accepted"})
    client.post(f"/service/orders/{order.pk}/transition/", {"to": "in_progress"})
    # a decision above the rights without approval: refused, nothing recorded
    response = client.post(f"/service/orders/{order.pk}/decision/", {"kind": "discount", "value": "8"}, follow=True)
    assert "Rabatt (%) 8 überschreitet die Entscheidungskompetenz" in response.content.decode()
    assert "discount_percent" not in response.content.decode() and Decision.objects.count() == 0
    client.post(f"/service/orders/{order.pk}/decision/", {"kind": "discount", "value": "8", "request_approval": "on"})
    decision = Decision.objects.get()
    assert decision.status == "pending"
    for index in range(len(order.checklist)):
        client.post(f"/service/orders/{order.pk}/steps/{index}/", {"done": "1"})
    # the pending approval holds the order open: no "Complete" button, and the transition is refused
    page = client.get(f"/service/orders/{order.pk}/").content.decode()
    assert 'data-testid="pending-approval"' in page and 'data-testid="to-done"' not in page
    client.post(f"/service/orders/{order.pk}/transition/", {"to": "done"})
    order.refresh_from_db()
    assert order.status == "in_progress"
    # the owner answers the approval request, then the order can be completed
    client.force_login(people["rep"])
    client.post(f"/service/approvals/{decision.pk}/", {"approve": "1", "note": "ok"})
    decision.refresh_from_db()
    assert decision.status == "approved"
    client.force_login(people["agent"])
    client.post(f"/service/orders/{order.pk}/transition/", {"to": "done"})
    order.refresh_from_db()
    assert order.status == "done"
    # the agent cannot rate
    client.post(f"/service/orders/{order.pk}/rate/", {"score": "5"})
    assert not hasattr(ServiceOrder.objects.get(pk=order.pk), "rating")
    client.force_login(people["rep"])
    page = client.get(f"/service/orders/{order.pk}/").content.decode()
    assert 'data-testid="rating-form"' in page
    client.post(f"/service/orders/{order.pk}/rate/", {"score": "4", "comment": "Gut gemacht"})
    assert ServiceOrder.objects.get(pk=order.pk).rating.score == 4


def test_lists_and_catalog_render_for_each_role(client, people, account, quote_prep):
    services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                  inputs={"products": "x"})
    for role in ("rep", "agent", "idl", "vl"):
        client.force_login(people[role])
        assert client.get("/service/orders/").status_code == 200
        assert client.get("/service/catalog/").status_code == 200
        assert client.get("/service/orders/?sla_state=breached&status=open&mine=1").status_code == 200
    client.force_login(people["rep2"])
    assert client.get(f"/service/orders/{ServiceOrder.objects.get().pk}/").status_code == 404
