"""Errors of the API keep one shape, {message, field}, also for a body that is not JSON (and the spec says so)."""

import pytest

from isf.customers.models import Account
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_unparseable_body_is_400_with_message_and_field(client):
    headers = bearer(UserFactory(role=Role.SALES_LEAD))
    response = client.post("/api/v1/accounts", data="erp_number=1;name=x", content_type="application/json", **headers)
    assert response.status_code == 400
    assert response.json() == {"message": "body: not valid JSON (Expecting value: line 1 column 1 (char 0))",
                               "field": "body"}
    assert Account.objects.count() == 0


def test_openapi_documents_400_for_operations_with_a_body(client):
    spec = client.get("/api/v1/openapi.json").json()
    create = spec["paths"]["/api/v1/accounts"]["post"]
    assert create["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RequestError"}
    assert spec["components"]["schemas"]["RequestError"]["required"] == ["message"]
    # a list takes query parameters: an invalid one is refused with 400 (isf/core/params.py)
    assert "400" in spec["paths"]["/api/v1/accounts"]["get"]["responses"]
    assert "400" not in spec["paths"]["/api/v1/accounts/{account_id}"]["get"]["responses"]


def test_every_operation_documents_its_4xx_answers_by_what_it_takes(client):
    spec = client.get("/api/v1/openapi.json").json()
    responses = {(path, method): set(op["responses"]) for path, ops in spec["paths"].items()
                 for method, op in ops.items()}
    assert responses[("/api/v1/accounts", "get")] >= {"200", "401", "403", "422"}
    assert "404" not in responses[("/api/v1/accounts", "get")]
    assert responses[("/api/v1/accounts/{account_id}", "patch")] >= {"200", "400", "401", "403", "404", "413", "422"}
    assert responses[("/api/v1/tasks", "get")] >= {"200", "401", "403", "422"}  # page and page_size
    for (path, method), statuses in responses.items():
        assert {"401", "403"} <= statuses, (path, method)
    bulk_400 = spec["paths"]["/api/v1/orders/bulk"]["post"]["responses"]["400"]["content"]["application/json"]
    assert bulk_400["schema"] == {"anyOf": [{"$ref": "#/components/schemas/BulkResult"},
                                            {"$ref": "#/components/schemas/RequestError"}]}


def test_fields_with_fixed_values_are_enums_in_the_spec(client):
    from isf.customers.choices import EmployeeBand
    from isf.service.choices import SlaState

    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["LeadIn"]["properties"]["employee_band"]["enum"] == [*EmployeeBand.values, ""]
    assert schemas["LeadIn"]["properties"]["message"]["maxLength"] == 5000
    assert schemas["LeadIn"]["properties"]["postcode"]["pattern"] == "^[0-9]{5}$|^$"
    assert schemas["OrderOut"]["properties"]["sla_state"]["enum"] == SlaState.values
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/service-orders"]["get"]["parameters"]}
    assert params["sla_state"]["enum"] == [*SlaState.values, ""]
    assert "open" in params["status"]["enum"]
    assert "10,485,760 bytes" in spec["info"]["description"]
