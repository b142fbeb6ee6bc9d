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


def test_screenpop_finds_another_teams_caller_read_only_for_an_inside_agent(client, w):
    from isf.org.services import api_token_create

    _token, raw = api_token_create(user=w["agent"], name="telephony")
    client.logout()
    resp = client.get("/api/v1/screenpop", {"phone": "030 1111111"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 200
    body = resp.json()
    assert (body["account"]["name"], body["read_only"], body["account"]["url"]) == ("Schmidt Bau KG", True, None)
    assert "margin_12m" not in body and "margin" not in str(sorted(body))
    own = client.get("/api/v1/screenpop", {"phone": "089 1234567"}, HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (own["read_only"], own["account"]["url"]) == (False, w["account"].get_absolute_url())


def test_screenpop_does_not_reveal_another_regions_account_to_a_field_rep(client, w):
    client.force_login(w["rep"])
    assert client.get("/api/v1/screenpop", {"phone": "030 1111111"}).status_code == 404
    assert client.get("/api/v1/screenpop", {"phone": "089 1234567"}).status_code == 200


@pytest.mark.parametrize("raw", ["abc123", "abc", "123", "089 12"])
def test_screenpop_junk_is_422_like_letters_only(client, w, raw):
    resp = client.get("/api/v1/screenpop", {"phone": raw})
    assert resp.status_code == 422
    assert resp.json() == {"message": f"phone: '{raw}' is not a phone number", "field": "phone"}
