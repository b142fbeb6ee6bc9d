"""Marketing reads accounts for targeting: GET /api/v1/accounts without owner, phone numbers or potential (issue 22)."""

from decimal import Decimal

import pytest

from isf.customers.tests.factories import AccountFactory, PhoneFactory
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _auth(role: str) -> dict:
    _token, raw = api_token_create(user=UserFactory(role=role), name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def account():
    rep = UserFactory(username="rep-owner", role=Role.FIELD_REP)
    account = AccountFactory(name="Ziel GmbH", owner=rep, potential=Decimal("75000"))
    PhoneFactory(account=account, e164="+4989123456")
    return account


def test_marketing_gets_the_targeting_fields_only(client, account):
    item = client.get("/api/v1/accounts", **_auth(Role.MARKETING)).json()["items"][0]
    assert (item["name"], item["owner"], item["owner_id"], item["phones"], item["potential"]) == (
        "Ziel GmbH", None, None, [], None)
    detail = client.get(f"/api/v1/accounts/{account.pk}", **_auth(Role.MARKETING)).json()
    assert (detail["owner"], detail["owner_id"], detail["phones"], detail["potential"]) == (None, None, [], None)


def test_the_sales_lead_gets_owner_phones_and_potential(client, account):
    item = client.get("/api/v1/accounts", **_auth(Role.SALES_LEAD)).json()["items"][0]
    assert (item["owner"], item["owner_id"], item["phones"], Decimal(str(item["potential"]))) == (
        "rep-owner", account.owner_id, ["+4989123456"], Decimal("75000"))
