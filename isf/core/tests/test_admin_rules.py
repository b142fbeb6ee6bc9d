"""The Django admin inside the rules (issue 22): every registered admin and inline is walked; a rule-bound record
is read-only there (no add, change or delete), a rule-bound field of an editable record is read-only, and master
data stays editable. Fails where a rule-bound field is editable."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.utils import timezone

from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# records whose changes have rules: services write them (with their events); the admin only shows them
RULE_BOUND = {
    "service.ServiceContract", "service.ContractLine",  # accepted by VL and IDL, versioned
    "service.ServiceOrder", "service.ServiceOrderEvent", "service.Decision",  # SLA workflow, decision rights
    "planning.Task",  # state changes with events and history
    "lifecycle.PhaseChange", "segmentation.SegmentChange", "visits.AccountChangeEvent", "calls.CallLog",  # history
    "segmentation.Segment", "segmentation.SegmentRule", "segmentation.SegmentOverride",  # rules without conflicts
    "reviews.Acknowledgement",  # read receipts are the reader's own
}
# fields with rules on records that are otherwise master data; any field named "status" is rule-bound too
RULE_BOUND_FIELDS = {
    "campaigns.Lead": {"status", "converted_account", "merged_into"},
    "campaigns.Appointment": {"status", "task"},
    "campaigns.Complaint": {"status", "goodwill_eur", "goodwill_status"},
    "campaigns.QuoteFollowup": {"outcome", "task"},
    "monitoring.Flag": {"status", "resolved_on", "task", "owner_task"},
}
MASTER_DATA = {"org.User": "role", "org.Team": "code", "customers.Account": "name", "customers.Product": "name",
               "service.ServiceCatalogEntry": "effort_minutes", "capacity.Absence": "first_day"}


def _request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    return request


def _admins():
    """(model label, admin or inline instance) of every registered admin and its inlines."""
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("isf."):
            continue
        yield model._meta.label, model_admin
        for inline in model_admin.get_inline_instances(_request()):
            yield inline.model._meta.label, inline


def _editable(model_admin, request) -> set[str]:
    if not (model_admin.has_change_permission(request) or model_admin.has_add_permission(request, None)
            if isinstance(model_admin, admin.options.InlineModelAdmin) else
            model_admin.has_change_permission(request) or model_admin.has_add_permission(request)):
        return set()
    fields = set(flatten_fieldsets(model_admin.get_fieldsets(request, model_admin.model())))  # the change form
    return fields - set(model_admin.get_readonly_fields(request))


def test_no_rule_bound_record_or_field_is_editable_in_the_admin():
    request = _request()
    editable_rule_bound = []
    for label, model_admin in _admins():
        editable = _editable(model_admin, request)
        model = model_admin.model
        bound = {f.name for f in model._meta.fields if f.name == "status"} | RULE_BOUND_FIELDS.get(label, set())
        if label in RULE_BOUND:
            bound = {f.name for f in model._meta.get_fields() if f.concrete}
            if model_admin.has_delete_permission(request):
                editable_rule_bound.append(f"{label}: deletable")
        editable_rule_bound += [f"{label}.{name}" for name in sorted(editable & bound)]
    assert editable_rule_bound == []


def test_every_rule_bound_model_is_registered_so_the_walk_sees_it():
    labels = {label for label, _admin in _admins()}
    assert sorted((RULE_BOUND | set(RULE_BOUND_FIELDS)) - labels) == []


def test_master_data_stays_editable():
    request = _request()
    editable = {label: _editable(model_admin, request) for label, model_admin in _admins()}
    assert {label: field in editable[label] for label, field in MASTER_DATA.items()} == dict.fromkeys(MASTER_DATA, True)


@pytest.fixture
def in_force_contract():
    from isf.service.models import ServiceContract

    vl, idl = UserFactory(role=Role.SALES_LEAD), UserFactory(role=Role.INSIDE_LEAD)
    return ServiceContract.objects.create(
        period="2026", version=1, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31),
        max_discount_percent=Decimal("5"), max_goodwill_eur=Decimal("500"), max_payment_term_days=14,
        accepted_by_vl=vl, accepted_by_vl_at=timezone.now(), accepted_by_idl=idl, accepted_by_idl_at=timezone.now())


def test_the_in_force_contract_cannot_be_changed_in_the_admin(client, in_force_contract):
    other = UserFactory(role=Role.INSIDE_LEAD)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    url = f"/admin/service/servicecontract/{in_force_contract.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="max_discount_percent"' not in page.content.decode()
    assert 'name="accepted_by_idl"' not in page.content.decode()
    response = client.post(url, {"period": "2026", "version": "1", "max_discount_percent": "50",
                                 "accepted_by_idl": str(other.pk)})
    assert response.status_code == 403
    in_force_contract.refresh_from_db()
    assert (in_force_contract.max_discount_percent, in_force_contract.accepted_by_idl_id) == (
        Decimal("5.00"), in_force_contract.accepted_by_idl_id)
    assert client.get("/admin/service/servicecontract/add/").status_code == 403


def test_the_administrator_cannot_create_read_receipts_for_others(client):
    from isf.reviews.models import Acknowledgement

    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    assert client.get("/admin/reviews/acknowledgement/add/").status_code == 403
    assert Acknowledgement.objects.count() == 0


def test_every_admin_list_and_add_page_answers_without_error(client):
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    failures = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        for url, expected in ((base, 200), (base + "add/", 200 if model_admin.has_add_permission(_request()) else 403)):
            status = client.get(url).status_code
            if status != expected:
                failures.append(f"{url}: {status}, expected {expected}")
    assert failures == []
