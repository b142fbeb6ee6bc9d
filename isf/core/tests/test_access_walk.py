"""Walk every URL of the resolver and every API operation for every role: allowed or denied exactly as
isf/core/access.py (pages) and isf/api/access.py (API, from the OpenAPI schema, with bearer tokens) say.

New routes and endpoints are covered automatically; one without a rule fails here by name.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from isf.core.access import PUBLIC, rule_for
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")  # the API is walked by its schema below
PARAM_VALUES = {"int": "1", "str": "SMB", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name or ""


def concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: PARAM_VALUES.get(m.group(1) or "str", "x"), route)
    return "/" + path


ROUTES = [(r, ns, name) for r, ns, name in walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)]


def test_every_route_has_an_access_rule():
    missing = [f"{ns}:{name}" if ns else name for _r, ns, name in ROUTES if rule_for(ns, name) is None]
    assert missing == []


@pytest.mark.parametrize("role", Role.values)
def test_each_role_is_allowed_or_denied_as_the_table_says(client, role):
    user = UserFactory(username=f"walker-{role}", role=role, team=TeamFactory(code="W"))
    client.force_login(user)
    failures = []
    for route, ns, name in ROUTES:
        url = concrete(route)
        rule = rule_for(ns, name)
        if url is None or rule is None:
            continue
        response = client.get(url)
        allowed = rule == PUBLIC or role in rule
        if allowed and response.status_code == 403:
            failures.append(f"{url} ({ns}:{name}) denied for {role}")
        if not allowed:
            if response.status_code not in (403, 404):
                failures.append(f"{url} ({ns}:{name}) gave {response.status_code} for {role}")
            elif b"<table" in response.content or b"erp_number" in response.content:
                failures.append(f"{url} ({ns}:{name}) leaks data to {role}")
        if response.status_code >= 500:
            failures.append(f"{url} ({ns}:{name}) server error for {role}")
    assert failures == [], "\n" + "\n".join(failures)


def test_anonymous_users_reach_only_public_pages(client):
    failures = []
    for route, ns, name in ROUTES:
        url = concrete(route)
        if url is None:
            continue
        response = client.get(url)
        if rule_for(ns, name) != PUBLIC and response.status_code == 200:
            failures.append(url)
    assert failures == [], "\n" + "\n".join(failures)


# ---- the API: every operation of the OpenAPI schema, for every role with a bearer token ------------------------
def api_operations() -> list[tuple[str, str]]:
    from isf.api.api import api

    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


API_OPERATIONS = api_operations()
API_ERROR_KEYS = {"message", "field", "detail", "errors", "rule"}


def test_every_api_operation_has_a_rule_and_every_rule_an_operation():
    from isf.api.access import API_RULES, PREFIX

    declared = {(method, PREFIX + path) for method, path in API_RULES}
    assert sorted(set(API_OPERATIONS) - declared) == []  # a new endpoint must be declared in isf/api/access.py
    assert sorted(declared - set(API_OPERATIONS)) == []  # no stale rule


def _api_data():
    from isf.campaigns.models import Lead
    from isf.customers.tests.factories import AccountFactory, ContactFactory, QuoteFactory

    account = AccountFactory(name="Walk-Kunde GmbH")
    ContactFactory(account=account, last_name="Walk-Kontakt")
    QuoteFactory(account=account)
    Lead.objects.create(company="Walk-Interessent GmbH", contact_name="Walk Person", email="walk@example.com")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_calls_the_api_as_the_table_says(client, role):
    from isf.api.access import API_RULES, PREFIX
    from isf.org.services import api_token_create

    _api_data()
    user = UserFactory(username=f"api-walker-{role}", role=role, team=TeamFactory(code="AW"))
    _token, raw = api_token_create(user=user, name="walk")
    failures = []
    for method, path in API_OPERATIONS:
        url = re.sub(r"\{\w+\}", "999999", path)  # no such object: a write never touches real data
        if "{index}" in path:
            url = re.sub(r"/999999$", "/1", url)
        allowed = role in API_RULES[(method, path.removeprefix(PREFIX))]
        response = client.generic(method, url, data="{}", content_type="application/json",
                                  HTTP_AUTHORIZATION=f"Bearer {raw}")
        status = response.status_code
        if status >= 500:
            failures.append(f"{method} {path}: server error {status} for {role}")
        elif allowed and status in (401, 403):
            failures.append(f"{method} {path}: denied ({status}) for {role}")
        elif not allowed:
            body = response.json() if response.content else {}
            if status not in (401, 403, 404):
                failures.append(f"{method} {path}: gave {status} for {role}")
            elif not isinstance(body, dict) or set(body) - API_ERROR_KEYS:
                failures.append(f"{method} {path}: leaks data to {role}: {response.content[:200]!r}")
    assert failures == [], "\n" + "\n".join(failures)


def test_the_api_without_a_token_answers_401_with_no_data(client):
    _api_data()
    for method, path in API_OPERATIONS:
        url = re.sub(r"\{\w+\}", "1", path)
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code == 401, f"{method} {path}"
        assert response.json() == {"message": "authentication required"}
