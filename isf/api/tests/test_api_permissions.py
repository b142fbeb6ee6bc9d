"""The API applies the same permission matrix as the pages (docs/permissions.md, isf/api/access.py).

Role rules: marketing gets no quotes, no customer-screen facts (revenue) and no service orders; segment KPIs
(contribution margins) only for the leads; the admin has no work queue. Object rules: a field rep sees his own
and his region's accounts only, an inside agent the accounts of his team's segments only; denied answers carry
no data. The session (browser) login is held to the same table as a token.
"""

import pytest

from isf.customers.tests.factories import AccountFactory, ContactFactory, PhoneFactory, QuoteFactory
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
from isf.segmentation.models import Segment

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def world():
    south = RegionFactory(code="S", name="Süd", postcode_prefixes="80")
    north = RegionFactory(code="N", name="Nord", postcode_prefixes="20")
    smb_team, ka_team = TeamFactory(code="SMB"), TeamFactory(code="KA")
    smb = Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB", team=smb_team, precedence=30)
    ka = Segment.objects.create(code="KA", name_de="Key Accounts", name_en="Key accounts", team=ka_team, precedence=10)
    rep = UserFactory(username="ad1", role=Role.FIELD_REP, region=south)
    rep2 = UserFactory(username="ad2", role=Role.FIELD_REP, region=north)
    own = AccountFactory(name="Eigene GmbH", owner=rep, region=south, segment=smb, postcode="80331")
    region = AccountFactory(name="Region GmbH", owner=None, region=south, segment=smb, postcode="80333")
    other = AccountFactory(name="Nord KG", owner=rep2, region=north, segment=ka, postcode="20095")
    for account, number in ((own, "+4989111111"), (region, "+4989222222"), (other, "+4940333333")):
        ContactFactory(account=account, last_name=f"Kontakt-{account.name}")
        QuoteFactory(account=account)
        PhoneFactory(account=account, e164=number)
    return {
        "rep": rep, "own": own, "region": region, "other": other,
        "agent": UserFactory(username="id1", role=Role.INSIDE_AGENT, team=smb_team),
        "mkt": UserFactory(username="mkt", role=Role.MARKETING),
        "admin": UserFactory(username="admin", role=Role.ADMIN),
        "vl": UserFactory(username="vl", role=Role.SALES_LEAD),
    }


def denied(response) -> bool:
    return response.status_code in (403, 404) and set(response.json()) <= {"message", "field"}


def test_marketing_gets_accounts_for_targeting_but_no_quotes_screen_facts_or_service_orders(client, world):
    auth = bearer(world["mkt"])
    listed = client.get("/api/v1/accounts", **auth).json()
    assert listed["count"] == 3
    assert client.get(f"/api/v1/accounts/{world['other'].pk}", **auth).json()["segment"] == "KA"
    for url, params in (("/api/v1/quotes", {}), ("/api/v1/screenpop", {"phone": "089 111111"}),
                        ("/api/v1/service-orders", {}), ("/api/v1/segments", {})):
        response = client.get(url, params, **auth)
        assert response.status_code == 403 and denied(response), url
        assert b"Eigene" not in response.content and b"amount" not in response.content


def test_a_field_rep_sees_own_and_region_accounts_only_and_no_margins(client, world):
    auth = bearer(world["rep"])
    names = sorted(a["name"] for a in client.get("/api/v1/accounts", **auth).json()["items"])
    assert names == ["Eigene GmbH", "Region GmbH"]
    response = client.get(f"/api/v1/accounts/{world['other'].pk}", **auth)
    assert response.status_code == 404 and denied(response) and b"Nord" not in response.content
    quotes = client.get("/api/v1/quotes", **auth).json()["items"]
    assert sorted(q["account_id"] for q in quotes) == sorted([world["own"].pk, world["region"].pk])
    contacts = client.get("/api/v1/contacts", {"account": world["other"].pk}, **auth).json()
    assert contacts["count"] == 0
    assert client.get("/api/v1/screenpop", {"phone": "040 333333"}, **auth).status_code == 404
    assert client.get("/api/v1/screenpop", {"phone": "089 222222"}, **auth).json()["account"]["name"] == "Region GmbH"
    margins = client.get("/api/v1/segments", **auth)  # segment KPIs carry contribution margins
    assert margins.status_code == 403 and denied(margins)


def test_an_inside_agent_sees_only_his_teams_segments(client, world):
    auth = bearer(world["agent"])
    assert sorted(a["name"] for a in client.get("/api/v1/accounts", **auth).json()["items"]) == [
        "Eigene GmbH", "Region GmbH"]
    assert client.get(f"/api/v1/accounts/{world['other'].pk}", **auth).status_code == 404
    assert world["other"].pk not in {q["account_id"] for q in client.get("/api/v1/quotes", **auth).json()["items"]}
    assert client.post("/api/v1/service-orders", {"service": "x", "account_id": world["own"].pk},
                       content_type="application/json", **auth).status_code == 403  # ordering is the field's


def test_the_admin_has_no_work_queue_and_writes_master_data(client, world):
    auth = bearer(world["admin"])
    response = client.get("/api/v1/tasks", **auth)
    assert response.status_code == 403 and denied(response)
    assert client.get("/api/v1/quotes", **auth).json()["count"] == 3
    created = client.post("/api/v1/accounts", {"erp_number": "4711", "name": "Admin-Anlage GmbH"},
                          content_type="application/json", **auth)
    assert created.status_code == 201


def test_denied_writes_change_nothing(client, world):
    from isf.customers.models import Account

    auth = bearer(world["rep"])
    response = client.patch(f"/api/v1/accounts/{world['own'].pk}", {"name": "Umbenannt"},
                            content_type="application/json", **auth)
    assert response.status_code == 403 and denied(response)
    assert Account.objects.get(pk=world["own"].pk).name == "Eigene GmbH"
    response = client.post("/api/v1/accounts", {"erp_number": "4712", "name": "Neu"},
                           content_type="application/json", **bearer(world["mkt"]))
    assert response.status_code == 403 and not Account.objects.filter(erp_number="4712").exists()


def test_the_browser_session_is_held_to_the_same_table(client, world):
    client.force_login(world["mkt"])
    assert client.get("/api/v1/quotes").status_code == 403
    assert client.get("/api/v1/accounts").status_code == 200
    client.force_login(world["vl"])
    assert client.get("/api/v1/quotes").json()["count"] == 3


def test_a_nul_character_in_a_write_is_a_field_error_not_a_server_error(client, world):
    from isf.customers.models import Account

    auth = bearer(world["vl"])
    response = client.post("/api/v1/accounts", {"erp_number": "4714", "name": "Nul\x00GmbH"},
                           content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["message"] == "name: contains the control character U+0000, which cannot be stored"
    assert response.json()["field"] == "name"
    assert not Account.objects.filter(erp_number="4714").exists()
    line = {"order_number": "A1", "line": 1, "customer_number": "4711\x00", "order_date": "2026-01-02", "sku": "X",
            "quantity": "1", "net_revenue": "10"}
    response = client.post("/api/v1/orders/bulk", {"lines": [line]}, content_type="application/json", **auth)
    assert response.status_code == 422 and response.json()["field"] == "lines.0.customer_number"
