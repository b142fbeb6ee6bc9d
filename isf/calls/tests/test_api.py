import pytest

from isf.calls.tests.helpers import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(client):
    data = world()
    client.force_login(data["agent"])
    return data


def test_screenpop_returns_the_facts_as_json(client, w):
    resp = client.get("/api/v1/screenpop", {"phone": "0049-89-1234567"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["phone"] == "+49891234567"
    assert body["account"]["erp_number"] == "010007"
    assert body["team"] == "SMB-Team"
    assert body["potential"] == 80000.0
    assert body["revenue_12m"] == 0.0
    assert [c["name"] for c in body["contacts"]] == ["Klaus Huber"]
    assert body["contacts"][0]["buying_role"] == "buyer"
    for key in ("segment", "phase", "owner", "trend", "share_of_wallet", "potential_hint", "alerts", "service_orders",
                "quotes", "complaints", "last_visit", "cross_sell"):
        assert key in body


def test_screenpop_unknown_number_is_404_with_a_message(client, w):
    resp = client.get("/api/v1/screenpop", {"phone": "+49 40 9999999"})
    assert resp.status_code == 404
    assert "+49409999999" in resp.json()["message"]


def test_screenpop_unreadable_number_is_422_with_a_message(client, w):
    resp = client.get("/api/v1/screenpop", {"phone": "hello"})
    assert resp.status_code == 422
    assert resp.json()["field"] == "phone"


def test_screenpop_needs_authentication(w):
    from django.test import Client

    assert Client().get("/api/v1/screenpop", {"phone": "089 1234567"}).status_code == 401


def test_screenpop_does_not_reveal_another_teams_account(client, w):
    assert client.get("/api/v1/screenpop", {"phone": "030 1111111"}).status_code == 404
