"""An order with a pending approval is not completed; the requester hears in the app when his order is done or
needs his input (issue 18)."""

import pytest
from django.utils import translation

from isf.service import services
from isf.service.errors import ServiceOrderError
from isf.service.models import Notification, ServiceOrder, ServiceOrderEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(people, account, quote_prep, contract):
    o = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                      inputs={"products": "Dübel"})
    services.service_order_claim(order_id=o.pk, user=people["agent"])
    services.service_order_transition(order=o, user=people["agent"], to="in_progress")
    for index in range(len(o.checklist)):
        services.service_order_step_set(order=o, user=people["agent"], index=index, done=True)
    o.refresh_from_db()
    return o


@pytest.fixture
def pending(order, people):
    return services.decision_record(order=order, user=people["agent"], kind="discount", value="12",
                                    reason="Wettbewerbsangebot", request_approval=True)


def test_an_order_with_a_pending_approval_cannot_be_completed(order, pending, people):
    events = ServiceOrderEvent.objects.filter(order=order).count()
    with translation.override("en"), pytest.raises(ServiceOrderError) as exc:
        services.service_order_transition(order=order, user=people["agent"], to="done")
    assert exc.value.rule == "approval.pending" and exc.value.field == "status"
    assert str(exc.value) == ("The order cannot be completed while it waits for an approval: "
                              f"Discount (%) 12 (limit 5) – decided by {people['rep']} (owner of the account).")
    assert ServiceOrder.objects.get(pk=order.pk).status == "in_progress"
    assert ServiceOrderEvent.objects.filter(order=order).count() == events
    with translation.override("de"), pytest.raises(ServiceOrderError) as exc:
        services.service_order_transition(order=order, user=people["agent"], to="done")
    assert str(exc.value) == ("Der Auftrag kann nicht abgeschlossen werden, solange er auf eine Freigabe "
                              f"wartet: Rabatt (%) 12 (Grenze 5) – entscheidet {people['rep']} (Inhaber des Kunden).")


@pytest.mark.parametrize("approve", [True, False])
def test_once_the_owner_has_answered_the_order_can_be_completed(order, pending, people, approve):
    services.approval_decide(decision=pending, user=people["rep"], approve=approve)
    done = services.service_order_transition(order=order, user=people["agent"], to="done")
    assert done.status == "done"


def test_within_rights_decisions_do_not_hold_the_order(order, people):
    services.decision_record(order=order, user=people["agent"], kind="discount", value="4")
    assert services.service_order_transition(order=order, user=people["agent"], to="done").status == "done"


def test_the_api_refuses_completion_with_409_and_the_reason(client, order, pending, people):
    client.force_login(people["agent"])
    resp = client.post(f"/api/v1/service-orders/{order.pk}/transitions", {"status": "done"},
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 409
    assert resp.json()["rule"] == "approval.pending"
    assert f"decided by {people['rep']}" in resp.json()["message"]


@pytest.mark.parametrize("lang, texts", [
    ("en", ["Waiting for approval: the order can be completed once the owner has decided.",
            "Discount (%) 12 (limit 5) – decided by {rep} (owner of the account)"]),
    ("de", ["Wartet auf Freigabe: Der Auftrag kann abgeschlossen werden, sobald der Inhaber entschieden hat.",
            "Rabatt (%) 12 (Grenze 5) – entscheidet {rep} (Inhaber des Kunden)"]),
])
def test_the_order_page_says_what_it_waits_for_and_who_decides(client, order, pending, people, lang, texts):
    client.force_login(people["agent"])
    html = client.get(f"/service/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'data-testid="pending-approval"' in html and 'data-testid="to-done"' not in html
    for text in texts:
        assert text.format(rep=people["rep"]) in html
    assert f'href="/service/approvals/{pending.pk}/"' in html


def test_the_requester_is_notified_when_his_order_waits_for_him_and_when_it_is_done(order, people):
    services.service_order_transition(order=order, user=people["agent"], to="waiting", note="Menge bitte bestätigen")
    services.service_order_transition(order=order, user=people["agent"], to="in_progress")
    services.service_order_transition(order=order, user=people["agent"], to="done")
    notes = list(Notification.objects.filter(recipient=people["rep"]).order_by("pk").values_list("kind", "message"))
    assert notes == [
        ("order_waiting", f"{order.number} · Angebotserstellung · Huber Metallbau GmbH: Menge bitte bestätigen"),
        ("order_done", f"{order.number} · Angebotserstellung · Huber Metallbau GmbH"),
    ]
    assert Notification.objects.exclude(recipient=people["rep"]).count() == 0


def test_the_approver_is_notified_of_a_request_and_the_requester_of_the_answer(order, pending, people):
    assert list(Notification.objects.filter(recipient=people["rep"]).values_list("kind", flat=True)) == [
        "approval_asked"]
    services.approval_decide(decision=pending, user=people["rep"], approve=True)
    assert list(Notification.objects.filter(recipient=people["agent"]).values_list("kind", flat=True)) == [
        "approval_done"]


def test_notifications_are_stored_in_german_and_english_and_shown_in_the_page_language(order, people):
    """Made on an English page, read on a German one (and the reverse): each reader sees his language."""
    with translation.override("en"):
        pending = services.decision_record(order=order, user=people["agent"], kind="discount", value="12.5",
                                           reason="Wettbewerbsangebot", request_approval=True)
    asked = Notification.objects.get(recipient=people["rep"], kind="approval_asked")
    assert asked.message == "Rabatt (%) 12,5 – Huber Metallbau GmbH"
    assert asked.message_en == "Discount (%) 12.5 – Huber Metallbau GmbH"
    with translation.override("de"):
        services.approval_decide(decision=pending, user=people["rep"], approve=True)
    answer = Notification.objects.get(recipient=people["agent"], kind="approval_done")
    assert (answer.message, answer.message_en) == ("Rabatt (%) 12,5: Vom Außendienst freigegeben", "Discount (%) 12.5: Approved by owner")
    services.service_order_transition(order=order, user=people["agent"], to="done")
    done = Notification.objects.get(recipient=people["rep"], kind="order_done")
    assert done.message == f"{order.number} · Angebotserstellung · Huber Metallbau GmbH"
    assert done.message_en == f"{order.number} · {order.service.name_en} · Huber Metallbau GmbH"
    with translation.override("en"):
        assert asked.text == asked.message_en and str(done) == done.message_en
    with translation.override("de"):
        assert asked.text == asked.message and str(done) == done.message


def test_header_count_and_list_page_in_both_languages(client, order, people):
    services.service_order_transition(order=order, user=people["agent"], to="done")
    client.force_login(people["rep"])
    home = client.get("/home/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'data-testid="unread-count">1<' in home and 'aria-label="1 ungelesene Benachrichtigung"' in home
    page = client.get("/service/notifications/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ihr Auftrag ist erledigt" in page and f"{order.number} · Angebotserstellung" in page
    assert "Your order is done" in client.get("/service/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    orders = client.get("/service/orders/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f"<strong>Ihr Auftrag ist erledigt</strong>: <a href=\"/service/orders/{order.pk}/\">" in orders
    resp = client.post("/service/notifications/read/", {"next": "https://evil.example/"})
    assert resp.status_code == 302 and resp["Location"] == "/service/orders/"
    assert Notification.objects.filter(recipient=people["rep"], read_at__isnull=True).count() == 0
    assert 'data-testid="unread-count"' not in client.get("/home/").content.decode()
    # inside sales sees its notices on the order list; its pages spend no query on a count
    client.force_login(people["agent"])
    assert 'data-testid="notifications-link"' not in client.get("/home/").content.decode()
