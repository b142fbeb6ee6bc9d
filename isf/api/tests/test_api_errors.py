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
    assert "400" not in spec["paths"]["/api/v1/accounts"]["get"]["responses"]
