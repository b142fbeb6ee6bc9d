"""Property-based API test against the app's own OpenAPI spec (issue 23, finding 4).

Every operation of the spec (so other apps' new endpoints are tested automatically, except DELETE, which would
revoke the run's own token), valid (positive) and invalid (negative) requests, derandomized so CI sees the same
cases every run. Checks: no 5xx, no undocumented status code, responses and content types match the spec,
invalid requests are refused, and valid requests are accepted - unless the refusal names a field whose rule the
schema cannot state (``WORLD_RULES``: a reference to a record that must exist, a phone number that must be
dialable, a rule across two fields).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db(transaction=True)

#: Fields whose validity depends on stored data or on another field; a 400/422 naming one of them is no rejection
#: of schema-valid data. Everything else a valid request carries must be accepted.
WORLD_RULES = {
    "customer_number": "the account must exist",
    "sku": "the product must exist",
    "region": "the region code must exist",
    "order_number": "an order keeps its account and date",
    "service": "the catalog entry must exist",
    "contact_id": "the contact must exist",
    "referred_by_account_id": "the account must exist",
    "phone": "a dialable number (phonenumbers metadata)",
    "email": "an e-mail address, and a lead needs an e-mail address or a phone number",
    "company": "a lead needs a company name that is not only blanks",
    "name": "an account needs a name that is not only blanks",
    "erp_number": "an ERP number that is not only blanks",
    "potential": "a decimal number (the spec allows a string for it)",
    "quantity": "a decimal number (the spec allows a string for it)",
    "net_revenue": "a decimal number (the spec allows a string for it)",
    "margin": "a decimal number (the spec allows a string for it)",
    "line": "a positive line number per order",
    "page": "a page the database can address",
    "inputs": "the inputs the catalog entry asks for",
    "note": "the catalog entry's rules",
    "segment": "the segment code must exist",
    "team": "the team code or id must exist",
    "requester": "the user must exist",
    "account": "an id the database can hold",
    "account_id": "a call names an account the caller may reach, or the caller's phone",
    "task_ids": "open tasks of the call's account, closed only when the customer was reached",
    "started_at": "a call starts between 2000 and now",
    "at": "a call event lies between 2000 and now, with its offset, in order with the call's other events",
    "agent": "a call event names an active user by user name or extension",
    "call_id": "a call event's id is printable text",
    "event": "a call event does not contradict the events received before (answered and missed)",
    "direction": "the events of one call name one direction",
}


def _refused_fields(response) -> set[str]:
    body = response.json()
    fields = {p.get("field") or "" for p in body.get("problems", [])} or {body.get("field") or ""}
    # "lines.0.sku" -> "sku", "task_ids.0" -> "task_ids": the field, not the list index
    return {next((p for p in reversed(f.split(".")) if not p.isdigit()), f) for f in fields}


@schemathesis.check
def valid_requests_accepted(ctx, response, case):
    """Like schemathesis' positive_data_acceptance, but a refusal naming a WORLD_RULES field is allowed."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    refused = _refused_fields(response)
    unexpected = refused - set(WORLD_RULES)
    assert not unexpected, f"valid request refused on {sorted(unexpected)}: {response.text[:300]}"
    return None


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance,
          negative_data_rejection, valid_requests_accepted]


@pytest.fixture
def api_world():
    """The data set, built once for the whole run: an account, a product, a service, a sales lead's token."""
    from isf.customers.tests.factories import AccountFactory, ProductFactory
    from isf.org.choices import Role
    from isf.org.services import api_token_create
    from isf.org.tests.factories import UserFactory

    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    _token, raw = api_token_create(user=UserFactory(role=Role.SALES_LEAD), name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


def test_api_matches_its_openapi_spec(api_world):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "DELETE":
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=10, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=api_world, checks=CHECKS)

            run()
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert {"POST /api/v1/orders/bulk", "GET /api/v1/accounts", "POST /api/v1/leads",
            "PATCH /api/v1/accounts/{account_id}", "GET /api/v1/service-orders"} <= set(tested)
