"""Service orders: creation and routing, the workflow with events, the clock with pauses, task sync, rating."""

import pytest
from django.utils import translation

from isf.planning.models import Task
from isf.service import services
from isf.service.choices import OrderStatus
from isf.service.errors import ServiceOrderError
from isf.service.models import ServiceOrder, ServiceOrderEvent, ServiceRating
from isf.service.tests.conftest import utc

pytestmark = pytest.mark.django_db

MONDAY_0900 = utc(2027, 6, 7, 7, 0)  # 09:00 CEST


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def create(people, account, service, now=MONDAY_0900, **inputs):
    return services.service_order_create(service=service, account=account, requester=people["rep"],
                                         inputs=inputs or {"products": "200 Dübel M8"}, note="Bitte bis Mittwoch",
                                         now=now)


def test_order_is_routed_to_the_segment_team_with_due_time_and_queue_task(people, account, quote_prep, contract):
    order = create(people, account, quote_prep)
    assert order.team.code == "SMB"
    assert order.status == OrderStatus.NEW
    assert order.target_seconds == 8 * 3600
    assert order.due_at == utc(2027, 6, 7, 15, 0)  # Monday 17:00 CEST: 8 h from 09:00
    assert order.contract == contract
    assert [s["de"] for s in order.checklist][:2] == ["Bedarf und Mengen prüfen", "Preise und Konditionen kalkulieren"]
    task = Task.objects.get(dedupe_key=f"service_order:{order.pk}")
    assert (task.kind, task.team_id, task.status, task.due_at) == ("service_order", order.team_id, "open", order.due_at)
    assert task.url == f"/service/orders/{order.pk}/"
    assert list(order.events.values_list("action", "to_status")) == [("created", "new")]


def test_missing_required_input_is_refused_and_nothing_is_created(people, account, quote_prep):
    with pytest.raises(ServiceOrderError) as exc:
        services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                      inputs={"products": "  "}, now=MONDAY_0900)
    assert exc.value.field == "inputs.products"
    assert "Products / quantities" in exc.value.message and "required" in exc.value.message
    assert ServiceOrder.objects.count() == 0 and Task.objects.count() == 0


def test_bad_number_input_names_the_field(people, account, quote_prep):
    with pytest.raises(ServiceOrderError,
                       match=r"“viel” in “Discount \(%\)” is not a number as written here \(e.g. 1,234.56\)"):
        create(people, account, quote_prep, products="x", discount_percent="viel")


def test_service_not_offered_to_the_segment_is_refused(people, account):
    from isf.segmentation.models import Segment
    from isf.service.models import ServiceCatalogEntry

    entry = ServiceCatalogEntry.objects.get(code="buying_center")
    entry.segments.set([Segment.objects.create(code="KA", name_de="KA", name_en="KA")])
    with pytest.raises(ServiceOrderError) as exc:
        create(people, account, entry, members="Einkauf")
    assert exc.value.rule == "catalog.segments"
    assert ServiceOrder.objects.count() == 0


def test_claim_happens_once_and_claims_the_task(people, account, quote_prep):
    order = create(people, account, quote_prep)
    services.service_order_claim(order_id=order.pk, user=people["agent"])
    with pytest.raises(ServiceOrderError, match="^Already claimed by ") as exc:
        services.service_order_claim(order_id=order.pk, user=people["agent2"])
    assert exc.value.rule == "claim.once"
    order.refresh_from_db()
    assert (order.status, order.assignee) == (OrderStatus.ACCEPTED, people["agent"])
    task = Task.objects.get(dedupe_key=f"service_order:{order.pk}")
    assert (task.status, task.assignee) == ("claimed", people["agent"])
    assert order.events.filter(to_status="accepted").count() == 1


def test_field_rep_cannot_claim(people, account, quote_prep):
    order = create(people, account, quote_prep)
    with pytest.raises(ServiceOrderError, match="^Only inside sales of "):
        services.service_order_claim(order_id=order.pk, user=people["rep"])
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and order.assignee is None


def test_transition_not_allowed_from_current_state_changes_nothing(people, account, quote_prep):
    order = create(people, account, quote_prep)
    services.service_order_claim(order_id=order.pk, user=people["agent"])
    events_before = ServiceOrderEvent.objects.count()
    with pytest.raises(ServiceOrderError) as exc:
        services.service_order_transition(order=order, user=people["agent"], to=OrderStatus.DONE)
    assert exc.value.rule == "workflow"
    assert exc.value.message == "Accepted → Done is not allowed (workflow rule: Done only from In progress)."
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert ServiceOrderEvent.objects.count() == events_before


def test_reject_needs_a_reason_and_cancel_only_by_the_requester(people, account, quote_prep):
    order = create(people, account, quote_prep)
    with pytest.raises(ServiceOrderError, match="^A reason is required to reject an order.$") as exc:
        services.service_order_transition(order=order, user=people["agent"], to=OrderStatus.REJECTED, reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceOrderError, match="^Only the requester ") as exc:
        services.service_order_transition(order=order, user=people["rep2"], to=OrderStatus.CANCELLED)
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW
    services.service_order_transition(order=order, user=people["rep"], to=OrderStatus.CANCELLED, reason="erledigt")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.completed_at is not None
    assert Task.objects.get(dedupe_key=f"service_order:{order.pk}").status == "cancelled"


def test_full_workflow_with_pause_moves_due_time_and_completes_task(people, account, quote_prep):
    agent = people["agent"]
    order = create(people, account, quote_prep)  # Monday 09:00, due Tuesday 08:00
    services.service_order_claim(order_id=order.pk, user=agent, now=utc(2027, 6, 7, 7, 30))
    services.service_order_transition(order=order, user=agent, to=OrderStatus.IN_PROGRESS, now=utc(2027, 6, 7, 8, 0))
    # waiting from Monday 11:00 to 14:00 local: three business hours paused
    services.service_order_transition(order=order, user=agent, to=OrderStatus.WAITING, note="Welche Menge?",
                                      now=utc(2027, 6, 7, 9, 0))
    order.refresh_from_db()
    assert order.business_seconds_elapsed == 2 * 3600
    services.service_order_transition(order=order, user=agent, to=OrderStatus.IN_PROGRESS, now=utc(2027, 6, 7, 12, 0))
    order.refresh_from_db()
    assert order.due_at == utc(2027, 6, 8, 9, 0)  # Tuesday 11:00 CEST: moved by the 3 paused hours
    assert Task.objects.get(dedupe_key=f"service_order:{order.pk}").due_at == order.due_at
    with pytest.raises(ServiceOrderError, match="^Step 1 ") as exc:
        services.service_order_transition(order=order, user=agent, to=OrderStatus.DONE, now=utc(2027, 6, 7, 13, 0))
    assert exc.value.rule == "process.checklist"
    for index in range(len(order.checklist)):
        services.service_order_step_set(order=order, user=agent, index=index, done=True, now=utc(2027, 6, 7, 13, 0))
    services.service_order_transition(order=order, user=agent, to=OrderStatus.DONE, now=utc(2027, 6, 7, 14, 0))
    order.refresh_from_db()
    assert order.status == OrderStatus.DONE
    assert order.business_seconds_elapsed == 4 * 3600  # 09-11 and 14-16 local
    assert order.sla_state == "on_track"
    transitions = list(order.events.filter(action="transition").values_list("from_status", "to_status", "actor"))
    assert transitions == [("new", "accepted", agent.pk), ("accepted", "in_progress", agent.pk),
                           ("in_progress", "waiting", agent.pk), ("waiting", "in_progress", agent.pk),
                           ("in_progress", "done", agent.pk)]
    task = Task.objects.get(source="service", source_id=str(order.pk))
    assert task.status == "done"


def test_only_the_assignee_works_the_order(people, account, quote_prep):
    order = create(people, account, quote_prep)
    services.service_order_claim(order_id=order.pk, user=people["agent"])
    with pytest.raises(ServiceOrderError, match="assigned to") as exc:
        services.service_order_transition(order=order, user=people["agent2"], to=OrderStatus.IN_PROGRESS)
    assert exc.value.rule == "work.assignee"


def _done_order(people, account, quote_prep):
    order = create(people, account, quote_prep)
    agent = people["agent"]
    services.service_order_claim(order_id=order.pk, user=agent)
    services.service_order_transition(order=order, user=agent, to=OrderStatus.IN_PROGRESS)
    for index in range(len(order.checklist)):
        services.service_order_step_set(order=order, user=agent, index=index, done=True)
    return services.service_order_transition(order=order, user=agent, to=OrderStatus.DONE)


def test_rating_only_by_the_requester_after_done(people, account, quote_prep):
    open_order = create(people, account, quote_prep)
    with pytest.raises(ServiceOrderError, match="^Only a completed order can be rated.$"):
        services.service_order_rate(order=open_order, user=people["rep"], score=5)
    order = _done_order(people, account, quote_prep)
    with pytest.raises(ServiceOrderError) as exc:
        services.service_order_rate(order=order, user=people["agent"], score=5, comment="super")
    assert exc.value.rule == "rating.requester"
    assert exc.value.message.startswith("Only the requester (Erika")
    with pytest.raises(ServiceOrderError, match="^The rating must be a whole number from 1 to 5.$"):
        services.service_order_rate(order=order, user=people["rep"], score=6)
    assert ServiceRating.objects.count() == 0
    services.service_order_rate(order=order, user=people["rep"], score=4, comment="Schnell und sauber")
    with pytest.raises(ServiceOrderError, match="already been rated"):
        services.service_order_rate(order=order, user=people["rep"], score=1)
    assert ServiceRating.objects.get().score == 4


def test_request_at_night_starts_the_clock_next_business_morning(people, account, quote_prep):
    order = create(people, account, quote_prep, now=utc(2027, 6, 11, 20, 0))  # Friday 22:00
    assert order.clock_started_at == utc(2027, 6, 14, 6, 0)  # Monday 08:00 CEST
    assert order.due_at == utc(2027, 6, 14, 14, 0)  # Monday 16:00: 8 business hours from 08:00


def test_service_orders_for_account_and_catalog_for_account(people, account, quote_prep):
    from isf.service.selectors import catalog_for_account, service_orders_for

    order = create(people, account, quote_prep)
    assert list(service_orders_for(account)) == [order]
    codes = set(catalog_for_account(account).values_list("code", flat=True))
    assert {"quote_prep", "order_intake", "complaint", "welcome_call"} <= codes
    assert "buying_center" not in codes or not account.segment.code == "KA"
