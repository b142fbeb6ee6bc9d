"""Decision rights: within the contract inside sales decides alone, above it the owner approves."""

from decimal import Decimal

import pytest
from django.utils import translation

from isf.planning.models import Task
from isf.service import services
from isf.service.errors import DecisionRightsError, ServiceOrderError
from isf.service.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def order(people, account, quote_prep, contract):
    o = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                      inputs={"products": "Dübel"})
    services.service_order_claim(order_id=o.pk, user=people["agent"])
    o.refresh_from_db()
    return o


def test_decision_check_against_the_contract(contract):
    assert services.decision_check(contract=contract, discount_percent=5, goodwill_eur="500") == (
        services.DecisionResult(True, []))
    with translation.override("en"):
        result = services.decision_check(contract=contract, discount_percent=8, payment_term_days=30)
    assert result.within_rights is False
    assert result.reasons == [
        f"Discount (%) 8 exceeds the decision rights of inside sales (maximum 5 %, contract {contract}).",
        "Payment-term extension (days) 30 exceeds the decision rights of inside sales (maximum 14 days, "
        f"contract {contract}).",
    ]
    with translation.override("de"):
        result = services.decision_check(contract=contract, payment_term_days="1.000")
    assert result.reasons == [
        f"Zahlungszielverlängerung (Tage) 1.000 überschreitet die Entscheidungskompetenz des Innendienstes "
        f"(höchstens 14 Tage, Vertrag {contract}).",
    ]


def test_decision_check_without_contract_sends_everything_to_the_owner(db):
    result = services.decision_check(goodwill_eur=10)
    assert result.within_rights is False and result.reasons == ["No accepted service contract is in force, so the owner decides."]


def test_within_rights_is_recorded_without_approval(order, people):
    with translation.override("de"):  # typed on a German page
        decision = services.decision_record(order=order, user=people["agent"], kind="discount", value="4,5")
    assert (decision.status, decision.value, decision.limit) == ("within", Decimal("4.50"), Decimal("5.00"))
    assert not Task.objects.filter(kind="approval").exists()
    assert order.events.filter(action="decision").count() == 1


def test_discount_above_the_limit_without_approval_is_refused_and_nothing_changes(order, people):
    with pytest.raises(DecisionRightsError) as exc:
        services.decision_record(order=order, user=people["agent"], kind="discount", value=8)
    assert exc.value.field == "discount_percent" and exc.value.rule == "decision_rights"
    assert exc.value.message.startswith("Discount (%) 8 exceeds the decision rights of inside sales (maximum 5 %")
    assert Decision.objects.count() == 0
    assert not Task.objects.filter(kind="approval").exists()
    assert order.events.filter(action="decision").count() == 0


def test_above_the_limit_becomes_an_approval_request_to_the_owner(order, people, account):
    decision = services.decision_record(order=order, user=people["agent"], kind="discount", value=8,
                                        reason="Wettbewerber bietet 8 %", request_approval=True)
    assert (decision.status, decision.approver) == ("pending", people["rep"])
    task = Task.objects.get(kind="approval")
    assert (task.assignee, task.side, task.account) == (people["rep"], "field", account)
    with pytest.raises(ServiceOrderError, match="Only .* \\(owner of the account\\) can decide"):
        services.approval_decide(decision=decision, user=people["agent"], approve=True)
    services.approval_decide(decision=decision, user=people["rep"], approve=True, note="ok, einmalig")
    decision.refresh_from_db()
    assert decision.status == "approved" and decision.decided_at is not None
    task.refresh_from_db()
    assert task.status == "done"
    assert people["agent"].service_notes.count() == 1
    with pytest.raises(ServiceOrderError, match="already"):
        services.approval_decide(decision=decision, user=people["rep"], approve=False)


def test_approval_request_for_a_complaint_without_order(account, people, contract):
    decision = services.approval_request_create(account=account, requested_by=people["agent"], kind="goodwill",
                                                value=750, reason="Reklamation Lieferverzug", source="complaint",
                                                source_id="17")
    assert (decision.order, decision.limit, decision.source, decision.approver) == (
        None, Decimal("500.00"), "complaint", people["rep"])


def test_the_answer_to_a_complaint_goodwill_request_reaches_the_complaint(account, people, contract):
    from isf.campaigns.services.complaints import complaint_create, complaint_resolve

    complaint = complaint_create(account=account, category="delivery", description="Teile fehlen",
                                 user=people["agent"])
    complaint = complaint_resolve(complaint=complaint, resolution="Gutschrift", goodwill_eur="750",
                                  user=people["agent"])
    decision = Decision.objects.get(source="complaint", source_id=str(complaint.pk))
    assert (decision.status, decision.value, decision.limit, decision.approver) == (
        "pending", Decimal("750.00"), Decimal("500.00"), people["rep"])
    assert Task.objects.filter(kind="approval", dedupe_key=f"approval:{decision.pk}").count() == 1
    with pytest.raises(ServiceOrderError, match="owner of the account"):
        services.approval_decide(decision=decision, user=people["agent"], approve=True)
    complaint.refresh_from_db()
    assert complaint.status == "awaiting_approval"
    services.approval_decide(decision=decision, user=people["rep"], approve=False, note="Ersatz statt Gutschrift")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == ("resolved", "rejected")
    assert complaint.resolution == "Gutschrift\nErsatz statt Gutschrift"
    assert people["agent"].service_notes.count() == 1


def test_an_order_less_request_of_another_source_is_only_recorded(account, people, contract):
    decision = services.approval_request_create(account=account, requested_by=people["agent"], kind="goodwill",
                                                value=750, source="manual", source_id="1")
    services.approval_decide(decision=decision, user=people["rep"], approve=True)
    decision.refresh_from_db()
    assert decision.status == "approved"
