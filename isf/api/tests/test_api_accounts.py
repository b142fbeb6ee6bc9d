import pytest
from django.core.management import call_command

from isf.customers.tests.factories import AccountFactory, PhoneFactory, ProductFactory
from isf.org.choices import Role
from isf.org.models import ApiToken
from isf.org.services import api_token_create, api_token_revoke
from isf.org.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_command_prints_token_last_and_stores_only_a_hash(capsys):
    UserFactory(username="idl", role=Role.INSIDE_LEAD)
    call_command("token", "create", "idl", "--name", "telephony")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("isf_")
    token = ApiToken.objects.get()
    assert token.digest != raw and raw not in token.digest and len(token.digest) == 64
    assert token.name == "telephony"


def test_accounts_list_is_paginated_with_items_and_count(client):
    lead = UserFactory(role=Role.SALES_LEAD)
    account = AccountFactory(name="Huber Metallbau GmbH", erp_number="123456")
    PhoneFactory(account=account, e164="+49891234567")
    AccountFactory(name="Andere KG")
    body = client.get("/api/v1/accounts", {"q": "huber"}, **bearer(lead)).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == account.pk and item["erp_number"] == "123456" and item["name"] == "Huber Metallbau GmbH"
    assert item["phones"] == ["+49891234567"]
    assert set(item) >= {"owner", "segment", "phase"}


def test_account_detail_and_404_as_json(client):
    lead = UserFactory(role=Role.SALES_LEAD)
    account = AccountFactory()
    headers = bearer(lead)
    assert client.get(f"/api/v1/accounts/{account.pk}", **headers).json()["erp_number"] == account.erp_number
    missing = client.get("/api/v1/accounts/999999", **headers)
    assert missing.status_code == 404 and "message" in missing.json()


def test_token_acts_with_its_users_permissions(client):
    region = RegionFactory(code="X1")
    rep = UserFactory(role=Role.FIELD_REP, region=region)
    AccountFactory(owner=rep, name="Eigener Kunde")
    other = AccountFactory(name="Fremder Kunde")
    headers = bearer(rep)
    names = [a["name"] for a in client.get("/api/v1/accounts", **headers).json()["items"]]
    assert names == ["Eigener Kunde"]
    assert client.get(f"/api/v1/accounts/{other.pk}", **headers).status_code == 404


def test_missing_revoked_or_wrong_token_is_401(client):
    user = UserFactory(role=Role.SALES_LEAD)
    token, raw = api_token_create(user=user)
    assert client.get("/api/v1/accounts").status_code == 401
    assert client.get("/api/v1/accounts", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    api_token_revoke(token=token)
    assert client.get("/api/v1/accounts", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_products_and_openapi(client):
    lead = UserFactory(role=Role.SALES_LEAD)
    ProductFactory(sku="BEF-0100", name="Sechskantschraube M8")
    body = client.get("/api/v1/products", **bearer(lead)).json()
    assert body["count"] == 1 and body["items"][0]["sku"] == "BEF-0100"
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/accounts" in spec["paths"] and "/api/v1/accounts/{account_id}" in spec["paths"]
