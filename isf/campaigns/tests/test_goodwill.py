"""Complaint goodwill within the decision rights of the service contract; above them the service firm's
approval request to the owner, whose answer resolves the complaint."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from isf.campaigns.choices import ComplaintStatus, GoodwillStatus
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Complaint, ComplaintEvent
from isf.campaigns.selectors import goodwill_request_for
from isf.campaigns.services import complaints as services
from isf.campaigns.tests.factories import make_contract, make_org
from isf.customers.tests.factories import AccountFactory
from isf.planning.models import Task
from isf.service.decisions import approval_decide
from isf.service.errors import ServiceOrderError
from isf.service.models import Decision

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def account(org):
    return AccountFactory(name="Huber Metallbau GmbH", team=org.smb_team, owner=org.rep)


def _complaint(org, account) -> Complaint:
    return services.complaint_create(account=account, category="quality", description="Trennscheiben brechen",
                                     user=org.agent)


def _resolve(org, complaint, goodwill) -> Complaint:
    return services.complaint_resolve(complaint=complaint, resolution="Gutschrift", goodwill_eur=goodwill,
                                      user=org.agent, now=NOW)


def _satisfaction_calls(account) -> int:
    return Task.objects.filter(kind="satisfaction_call", account=account).count()


def test_goodwill_within_the_contract_limit_applies_at_once(org, account):
    make_contract(org, max_goodwill_eur="500")
    complaint = _resolve(org, _complaint(org, account), "500")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.RESOLVED, GoodwillStatus.WITHIN_RIGHTS)
    assert (complaint.goodwill_eur, complaint.goodwill_limit_eur) == (Decimal("500.00"), Decimal("500.00"))
    assert complaint.resolved_at == NOW
    assert Decision.objects.count() == 0 and not Task.objects.filter(kind="approval").exists()
    assert _satisfaction_calls(account) == 1


def test_the_limit_is_the_one_of_the_contract_in_force(org, account):
    make_contract(org, max_goodwill_eur="50")
    complaint = _resolve(org, _complaint(org, account), "60")
    assert (complaint.status, complaint.goodwill_limit_eur) == (ComplaintStatus.AWAITING_APPROVAL, Decimal("50"))
    assert Decision.objects.get().limit == Decimal("50.00")


def test_goodwill_above_the_limit_creates_one_approval_request_for_the_owner(org, account):
    contract = make_contract(org, max_goodwill_eur="500")
    complaint = _resolve(org, _complaint(org, account), "500.01")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.AWAITING_APPROVAL, GoodwillStatus.PENDING)
    assert complaint.goodwill_limit_eur == Decimal("500.00") and complaint.resolved_at is None
    decision = Decision.objects.get()
    assert (decision.kind, decision.status, decision.value, decision.limit) == (
        "goodwill", "pending", Decimal("500.01"), Decimal("500.00"))
    assert (decision.account, decision.order, decision.contract) == (account, None, contract)
    assert (decision.approver, decision.requested_by) == (org.rep, org.agent)
    assert (decision.source, decision.source_id) == ("complaint", str(complaint.pk))
    assert goodwill_request_for(complaint) == decision
    task = Task.objects.get(kind="approval")
    assert (task.assignee, task.account, task.status) == (org.rep, account, "open")
    assert (task.dedupe_key, task.url) == (f"approval:{decision.pk}", f"/service/approvals/{decision.pk}/")
    assert _satisfaction_calls(account) == 0
    event = ComplaintEvent.objects.filter(complaint=complaint).last()
    assert event.to_status == "awaiting_approval" and "exceeds the decision rights" in event.note


def test_without_a_contract_in_force_every_goodwill_goes_to_the_owner(org, account):
    make_contract(org, accepted=False)  # not accepted by both leads: not in force
    complaint = _resolve(org, _complaint(org, account), "10")
    assert (complaint.status, complaint.goodwill_limit_eur) == (ComplaintStatus.AWAITING_APPROVAL, None)
    assert Decision.objects.get().limit is None


def test_no_goodwill_needs_no_decision(org, account):
    complaint = _resolve(org, _complaint(org, account), "0")
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.RESOLVED, GoodwillStatus.NONE)
    assert Decision.objects.count() == 0


def test_approving_the_request_applies_the_goodwill(org, account):
    make_contract(org)
    complaint = _resolve(org, _complaint(org, account), "850")
    decision = Decision.objects.get()
    approval_decide(decision=decision, user=org.rep, approve=True, note="Wichtiger Kunde", now=NOW)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.RESOLVED, GoodwillStatus.APPROVED)
    assert (complaint.goodwill_eur, complaint.resolution, complaint.resolved_at) == (
        Decimal("850.00"), "Gutschrift", NOW)
    assert Task.objects.get(kind="approval").status == "done"
    assert _satisfaction_calls(account) == 1
    event = ComplaintEvent.objects.filter(complaint=complaint).last()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "awaiting_approval", "resolved", org.rep, "Wichtiger Kunde")


def test_rejecting_the_request_is_recorded_on_the_complaint(org, account):
    make_contract(org)
    complaint = _resolve(org, _complaint(org, account), "850")
    approval_decide(decision=Decision.objects.get(), user=org.rep, approve=False, note="Ersatz statt Gutschrift",
                    now=NOW)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.RESOLVED, GoodwillStatus.REJECTED)
    assert complaint.resolution == "Gutschrift\nErsatz statt Gutschrift"
    assert Decision.objects.get().status == "declined"
    assert _satisfaction_calls(account) == 1


def test_the_sales_lead_may_decide_too(org, account):
    make_contract(org)
    complaint = _resolve(org, _complaint(org, account), "850")
    approval_decide(decision=Decision.objects.get(), user=org.vl, approve=True, now=NOW)
    complaint.refresh_from_db()
    assert complaint.goodwill_status == GoodwillStatus.APPROVED


def test_an_agent_cannot_approve_and_nothing_changes(org, account):
    make_contract(org)
    complaint = _resolve(org, _complaint(org, account), "850")
    decision = Decision.objects.get()
    for user in (org.agent, org.agent2, org.idl):
        with pytest.raises(ServiceOrderError, match="owner of the account"):
            approval_decide(decision=decision, user=user, approve=True)
    complaint.refresh_from_db()
    decision.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.AWAITING_APPROVAL, GoodwillStatus.PENDING)
    assert decision.status == "pending" and Task.objects.get(kind="approval").status == "open"
    assert _satisfaction_calls(account) == 0


def test_a_request_nobody_can_approve_refuses_the_resolution_and_saves_nothing(org, account):
    make_contract(org)
    org.vl.delete()
    account.owner = None
    account.save()
    complaint = _complaint(org, account)
    with pytest.raises(CampaignsError, match="no owner") as exc:
        _resolve(org, complaint, "850")
    assert exc.value.field == "goodwill_eur"
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolution, complaint.goodwill_eur) == ("open", "", Decimal("0"))
    assert Decision.objects.count() == 0 and ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_resolving_twice_is_refused(org, account):
    make_contract(org)
    complaint = _resolve(org, _complaint(org, account), "850")
    with pytest.raises(CampaignsError, match="not open"):
        _resolve(org, complaint, "10")
    assert Decision.objects.count() == 1


def test_complaint_page_resolves_above_the_limit_and_the_owner_approves_in_the_service_ui(org, account, client):
    make_contract(org)
    complaint = _complaint(org, account)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(org.agent)
    resp = client.post(f"/campaigns/complaints/{complaint.pk}/resolve/",
                       {"resolution": "Gutschrift", "goodwill_eur": "900"}, follow=True)
    assert "an approval request went to the owner" in resp.content.decode()
    decision = Decision.objects.get()
    page = client.get(f"/campaigns/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="goodwill-waiting"' in page and f"/service/approvals/{decision.pk}/" in page
    # the old approve/reject actions of the complaint page are gone: nothing changes
    client.force_login(org.rep)
    client.post(f"/campaigns/complaints/{complaint.pk}/approve/")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.AWAITING_APPROVAL
    # the agent cannot decide in the service firm's approval UI either
    client.force_login(org.agent)
    client.post(f"/service/approvals/{decision.pk}/", {"approve": "1", "note": "selbst genehmigt"})
    complaint.refresh_from_db()
    decision.refresh_from_db()
    assert (complaint.status, decision.status) == (ComplaintStatus.AWAITING_APPROVAL, "pending")
    # the owner approves there
    client.force_login(org.rep)
    resp = client.post(f"/service/approvals/{decision.pk}/", {"approve": "1", "note": "einmalig"})
    assert resp.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status) == (ComplaintStatus.RESOLVED, GoodwillStatus.APPROVED)
    page = client.get(f"/campaigns/complaints/{complaint.pk}/").content.decode()
    assert "einmalig" in page and '<span data-testid="goodwill-status">Approved by the owner</span>' in page


def test_migration_hands_a_waiting_complaint_over_to_the_service_approval_flow(org, account):
    """A complaint that waited under the old campaigns approval task gets one service approval request."""
    from importlib import import_module

    from django.apps import apps

    from isf.planning.services import task_create

    make_contract(org)
    complaint = _complaint(org, account)
    Complaint.objects.filter(pk=complaint.pk).update(
        status="awaiting_approval", goodwill_status="pending", goodwill_eur=Decimal("850"), resolution="Gutschrift",
        goodwill_limit_eur=Decimal("500"))
    old = task_create(kind="approval", title="Kulanz freigeben", due_at=NOW, account=account, assignee=org.rep,
                      side="field", source="campaigns", source_id=str(complaint.pk),
                      dedupe_key=f"complaint:{complaint.pk}:approval")
    migration = import_module("isf.campaigns.migrations.0002_goodwill_approvals_to_service")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # idempotent
    decision = Decision.objects.get()
    assert (decision.status, decision.value, decision.limit, decision.approver, decision.requested_by) == (
        "pending", Decimal("850.00"), Decimal("500.00"), org.rep, org.agent)
    assert (decision.source, decision.source_id) == ("complaint", str(complaint.pk))
    old.refresh_from_db()
    assert (old.dedupe_key, old.url, old.status) == (f"approval:{decision.pk}", f"/service/approvals/{decision.pk}/",
                                                      "open")
    approval_decide(decision=decision, user=org.rep, approve=True, now=NOW)
    complaint.refresh_from_db()
    old.refresh_from_db()
    assert (complaint.status, complaint.goodwill_status, old.status) == ("resolved", "approved", "done")
