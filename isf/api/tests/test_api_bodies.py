"""Hostile request bodies (issue 23, finding 3): each answers 4xx {message, field}, never 500, and writes nothing."""

import json

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isf.campaigns.models import Lead
from isf.customers.models import Account, Order
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def auth():
    return bearer(UserFactory(role=Role.SALES_LEAD))


def lead(**fields):
    return {"company": "Muster GmbH", "email": "info@muster.example", **fields}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_413(client, auth):
    body = json.dumps(lead(message="x" * 2000))
    response = client.post("/api/v1/leads", data=body, content_type="application/json", **auth)
    assert response.status_code == 413
    assert response.json() == {"message": "body: larger than the limit of 1,000 bytes", "field": "body"}
    assert Lead.objects.count() == 0


def test_an_unpaired_surrogate_escape_is_400(client, auth):
    response = client.post("/api/v1/leads", data='{"company":"\\ud800x","email":"a@b.example"}',
                           content_type="application/json", **auth)
    assert response.status_code == 400
    assert response.json() == {"message": "body: invalid Unicode escape \\ud800 (an unpaired surrogate)",
                               "field": "body"}
    assert Lead.objects.count() == 0


def test_a_surrogate_pair_escape_is_a_character(client, auth):
    response = client.post("/api/v1/leads", data=json.dumps(lead(company="Muster \U0001F600 GmbH")),
                           content_type="application/json", **auth)
    assert response.status_code == 201
    assert Lead.objects.get().company == "Muster \U0001F600 GmbH"


@pytest.mark.parametrize(("body", "kind"), [("[null,null]", "an array"), ("null", "null"), ('"x"', "a string"),
                                             ("12", "a number"), ("true", "a boolean")])
def test_a_body_that_is_not_an_object_is_400(client, auth, body, kind):
    account = AccountFactory(name="Alt GmbH")
    response = client.patch(f"/api/v1/accounts/{account.pk}", data=body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert response.json() == {"message": f"body: expected a JSON object, got {kind}", "field": "body"}
    assert Account.objects.get(pk=account.pk).name == "Alt GmbH"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\n", "\t"])
def test_a_control_character_in_a_single_line_text_is_422(client, auth, char):
    response = client.post("/api/v1/leads", data=json.dumps(lead(company=f"Muster{char}GmbH")),
                           content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["field"] == "company"
    assert response.json()["message"] == (
        f"company: contains the control character U+{ord(char):04X}, which cannot be stored")
    assert Lead.objects.count() == 0


def test_a_multi_line_text_keeps_tab_and_line_breaks_but_not_other_controls(client, auth):
    response = client.post("/api/v1/leads", data=json.dumps(lead(message="Zeile 1\r\n\tZeile 2")),
                           content_type="application/json", **auth)
    assert response.status_code == 201
    assert Lead.objects.get().message == "Zeile 1\r\n\tZeile 2"
    response = client.post("/api/v1/leads", data=json.dumps(lead(message="Zeile\x0b2")),
                           content_type="application/json", **auth)
    assert response.status_code == 422 and response.json()["field"] == "message"
    assert Lead.objects.count() == 1


def test_a_lead_message_over_5000_characters_is_422(client, auth):
    response = client.post("/api/v1/leads", data=json.dumps(lead(message="x" * 5001)),
                           content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["field"] == "message"
    assert response.json()["message"] == "message: String should have at most 5000 characters"
    assert Lead.objects.count() == 0
    response = client.post("/api/v1/leads", data=json.dumps(lead(message="x" * 5000)),
                           content_type="application/json", **auth)
    assert response.status_code == 201


@pytest.mark.parametrize("postcode", ["abc", "1234", "123456", "1234\u0665", "8033\u00b2"])
def test_a_lead_postcode_is_five_ascii_digits(client, auth, postcode):
    response = client.post("/api/v1/leads", data=json.dumps(lead(postcode=postcode)),
                           content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["field"] == "postcode"
    assert Lead.objects.count() == 0


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2100-01-01", "9999-12-31"])
def test_the_bulk_order_api_refuses_dates_outside_1900_to_2099(client, auth, day):
    AccountFactory(erp_number="10001")
    line = {"order_number": "A1", "line": 1, "customer_number": "10001", "order_date": day, "sku": "ART-1",
            "quantity": "1", "net_revenue": "10"}
    response = client.post("/api/v1/orders/bulk", data=json.dumps({"lines": [line]}),
                           content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json() == {"message": "lines.0.order_date: date outside 1900-01-01..2099-12-31",
                               "field": "lines.0.order_date",
                               "errors": [{"field": "lines.0.order_date",
                                           "message": "date outside 1900-01-01..2099-12-31"}]}
    assert Order.objects.count() == 0


@pytest.mark.parametrize(("path", "param"), [("/api/v1/service-orders", "sla_state"),
                                             ("/api/v1/service-orders", "status"),
                                             ("/api/v1/leads", "status"),
                                             ("/api/v1/leads", "qualification_class"),
                                             ("/api/v1/accounts", "phase"),
                                             ("/api/v1/quotes", "status")])
def test_an_unknown_choice_in_a_list_filter_is_400_naming_it(client, auth, path, param):
    """Query parameters are refused with 400 like every invalid query value (isf/core/params.py); bodies with 422."""
    response = client.get(path, {param: "zzz"}, **auth)
    assert response.status_code == 400
    assert response.json()["field"] == param
    assert response.json()["message"].startswith(f"{param}: Input should be ")


def test_open_is_a_known_service_order_status_filter(client, auth):
    response = client.get("/api/v1/service-orders", {"status": "open"}, **auth)
    assert response.status_code == 200 and response.json() == {"items": [], "count": 0}


# --- arbitrary JSON: never a server error ------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
LEAD_FIELDS = ("company", "contact_name", "email", "phone", "street", "postcode", "city", "industry",
               "employee_band", "potential", "message", "referred_by_account_id")
LEAD_SHAPED = st.fixed_dictionaries({}, optional={name: JSON for name in LEAD_FIELDS})
ACCOUNT_SHAPED = st.fixed_dictionaries({}, optional={name: JSON for name in (
    "erp_number", "name", "street", "postcode", "city", "state", "industry", "employee_band", "customer_type",
    "potential", "phone")})
ORDER_LINE = st.fixed_dictionaries({}, optional={name: JSON for name in (
    "order_number", "line", "customer_number", "order_date", "sku", "quantity", "net_revenue", "margin")})
ORDERS_SHAPED = st.fixed_dictionaries({}, optional={"lines": st.lists(ORDER_LINE, max_size=3) | JSON,
                                                    "skip_invalid": JSON})
HOSTILE_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize(("method", "path", "shaped"), [
    ("post", "/api/v1/leads", LEAD_SHAPED),
    ("post", "/api/v1/accounts", ACCOUNT_SHAPED),
    ("patch", "/api/v1/accounts/{account}", ACCOUNT_SHAPED),
    ("post", "/api/v1/orders/bulk", ORDERS_SHAPED),
    ("post", "/api/v1/service-orders", st.fixed_dictionaries({}, optional={
        n: JSON for n in ("service", "account_id", "contact_id", "inputs", "note")})),
])
def test_arbitrary_json_of_the_right_and_the_wrong_shape_never_gets_a_server_error(client, auth, method, path,
                                                                                    shaped):
    account = AccountFactory(erp_number="10001")
    url = path.format(account=account.pk)

    @HOSTILE_SETTINGS
    @given(body=shaped | JSON)
    def run(body):
        response = getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **auth)
        assert response.status_code < 500, (body, response.content[:300])
        if response.status_code >= 400:
            payload = response.json()
            assert isinstance(payload["message"], str) and payload["message"]

    run()
