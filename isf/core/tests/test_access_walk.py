"""Walk every URL of the resolver for every role: allowed or denied exactly as isf/core/access.py says.

New routes are covered automatically; a route without a rule fails here by name.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from isf.core.access import PUBLIC, rule_for
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")
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
