"""API completion: tokens listed/revoked, account writes, order bulk create, contacts/quotes/tasks, JSON errors."""

from decimal import Decimal

import pytest

from isf.customers.models import Account, OrderLine
from isf.customers.tests.factories import AccountFactory, ContactFactory, ProductFactory, QuoteFactory
from isf.org.choices import Role
from isf.org.models import ApiToken
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_tokens_listed_and_revoked_own_only(client):
    me, other = UserFactory(role=Role.INSIDE_LEAD), UserFactory(role=Role.INSIDE_LEAD)
    auth = bearer(me)
    theirs, _raw = api_token_create(user=other, name="x")
    listed = client.get("/api/v1/tokens", **auth).json()
    assert [t["user"] for t in listed] == [me.username] and listed[0]["last_used_at"] is not None
    assert client.delete(f"/api/v1/tokens/{theirs.pk}", **auth).status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    mine = ApiToken.objects.get(user=me)
    assert client.delete(f"/api/v1/tokens/{mine.pk}", **auth).json()["revoked_at"] is not None
    assert client.get("/api/v1/tokens", **auth).status_code == 401


def test_account_create_update_and_field_errors(client):
    auth = bearer(UserFactory(role=Role.SALES_LEAD))
    r = client.post("/api/v1/accounts", {"erp_number": "4711", "name": "Kälte Nord GmbH", "postcode": "20095",
                                         "potential": "12000.50", "phone": "040 123456"},
                    content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["potential"] == "12000.50"
    account = Account.objects.get(erp_number="4711")
    assert list(account.phones.values_list("e164", flat=True)) == ["+4940123456"]
    r = client.patch(f"/api/v1/accounts/{account.pk}", {"city": "Hamburg"}, content_type="application/json", **auth)
    assert r.status_code == 200 and Account.objects.get(pk=account.pk).city == "Hamburg"
    r = client.post("/api/v1/accounts", {"erp_number": "4712", "name": "X", "postcode": "12"},
                    content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["message"] == "postcode: must have 5 digits (a German postcode)"
    assert r.json()["field"] == "postcode"
    assert not Account.objects.filter(erp_number="4712").exists()
    agent = bearer(UserFactory(role=Role.INSIDE_AGENT))
    r = client.post("/api/v1/accounts", {"erp_number": "4713", "name": "Y"}, content_type="application/json", **agent)
    assert r.status_code == 403 and not Account.objects.filter(erp_number="4713").exists()


def test_orders_bulk_all_or_nothing_and_idempotent(client):
    auth = bearer(UserFactory(role=Role.INSIDE_LEAD))
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    line = {"order_number": "E1", "line": 1, "customer_number": "10001", "order_date": "2025-03-01", "sku": "ART-1",
            "quantity": "2", "net_revenue": "100.00", "margin": "20.00"}
    bad = {**line, "line": 2, "sku": "NOPE"}
    r = client.post("/api/v1/orders/bulk", {"lines": [line, bad]}, content_type="application/json", **auth)
    assert r.status_code == 400 and r.json()["problems"][0] == {"row": 2, "field": "sku", "value": "NOPE",
                                                                "message": "unknown article number"}
    assert OrderLine.objects.count() == 0
    r = client.post("/api/v1/orders/bulk", {"lines": [line]}, content_type="application/json", **auth)
    assert r.json()["created"] == 1 and OrderLine.objects.get().net_revenue == Decimal("100.00")
    r = client.post("/api/v1/orders/bulk", {"lines": [line]}, content_type="application/json", **auth)
    assert (r.json()["created"], r.json()["unchanged"]) == (0, 1)


def test_contacts_quotes_tasks_paginated(client):
    auth = bearer(UserFactory(role=Role.SALES_LEAD))
    ContactFactory(last_name="Weiß")
    QuoteFactory(number="AN-1")
    assert client.get("/api/v1/contacts", **auth).json()["items"][0]["last_name"] == "Weiß"
    assert client.get("/api/v1/quotes", **auth).json()["items"][0]["number"] == "AN-1"
    assert client.get("/api/v1/tasks", **auth).json() == {"items": [], "count": 0}


def test_huge_page_number_is_a_json_error_not_a_server_error(client):
    auth = bearer(UserFactory(role=Role.SALES_LEAD))
    r = client.get("/api/v1/quotes", {"page": "43625951427504580354637824"}, **auth)
    assert r.status_code == 400 and r.json()["field"] == "page"  # bounded in the schema: never an offset overflow
