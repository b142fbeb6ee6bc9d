"""Property-based API test against the app's own OpenAPI spec: no server errors, responses conform to the schema.

Runs the WSGI app in-process with a bearer token of a sales lead (who may read and write master data). Every
operation of the spec is covered (so other apps' new endpoints are tested automatically) except DELETE, which
would revoke the run's own token. Few examples per operation, so it finishes in a couple of minutes.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_api_matches_its_openapi_spec():
    from django.core.wsgi import get_wsgi_application

    from isf.customers.tests.factories import AccountFactory, ProductFactory
    from isf.org.choices import Role
    from isf.org.services import api_token_create
    from isf.org.tests.factories import UserFactory

    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    _token, raw = api_token_create(user=UserFactory(role=Role.SALES_LEAD), name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "DELETE":
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /api/v1/orders/bulk" in tested and "GET /api/v1/accounts" in tested
