"""Walk every route and every API operation, with every method they take, for every role, with objects inside and
outside the role's scope: allowed or denied exactly as the access declaration (isf/core/access.py, composed from the
apps' access.py) says - the declaration is the only source of the expected answers.

New routes and endpoints are covered automatically; one without a rule fails here by name. POST is walked on every
page (a POST-only view answers GET with 405 after the role check, so POST is what shows that check).
"""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from isf.core.access import (
    ACCOUNT,
    ALL,
    APPOINTMENT,
    CAMPAIGN,
    NO_MARGINS,
    ORDER,
    PAGE_METHODS,
    PUBLIC,
    TARGETING,
    api_rules,
    rule_for,
)
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/")  # the API is walked by its schema below
PARAM_VALUES = {"int": "1", "str": "SMB", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}
UNSCOPED = {ALL, NO_MARGINS, TARGETING}  # scopes that reach every object (targeting: all accounts, fewer fields)


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name or ""


def concrete(route: str, pk: int | None = None) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None

    def value(match):
        if pk is not None and (match.group(1) or "str") == "int":
            return str(pk)
        return PARAM_VALUES.get(match.group(1) or "str", "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


ROUTES = [(r, ns, name) for r, ns, name in walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)]


def test_every_route_has_an_access_rule():
    missing = [f"{ns}:{name}" if ns else name for _r, ns, name in ROUTES if rule_for(ns, name) is None]
    assert missing == []


def _expect(rule, role: str, method: str, status: int) -> str | None:
    """What is wrong with ``status`` for ``role`` calling ``method`` under ``rule`` (None: as declared)."""
    roles = rule.roles_for(method)
    if status >= 500:
        return f"server error {status}"
    if roles is None:
        return None if status == 405 else f"gave {status}, the rule declares no {method} (405)"
    if roles == PUBLIC or role in roles:
        return f"denied ({status})" if status == 403 else None
    return None if status == 403 else f"gave {status} where the declaration denies it (403)"


@pytest.mark.parametrize("role", Role.values)
def test_each_role_is_allowed_or_denied_as_the_declaration_says(client, role):
    user = UserFactory(username=f"walker-{role}", role=role, team=TeamFactory(code="W"))
    client.force_login(user)
    failures = []
    for route, ns, name in ROUTES:
        url = concrete(route)
        rule = rule_for(ns, name)
        if url is None or rule is None:
            continue
        for method in PAGE_METHODS:
            response = client.generic(method, url)
            if name == "logout":
                client.force_login(user)  # POST /logout/ ended the session
            problem = _expect(rule, role, method, response.status_code)
            if problem:
                failures.append(f"{method} {url} ({ns}:{name}) {problem} for {role}")
            elif response.status_code == 403 and (b"<table" in response.content or b"erp_number" in response.content):
                failures.append(f"{method} {url} ({ns}:{name}) leaks data to {role}")
    assert failures == [], "\n" + "\n".join(failures)


def test_other_methods_than_get_and_post_are_refused_before_any_view(client):
    client.force_login(UserFactory(username="walker-put", role=Role.SALES_LEAD))
    response = client.put("/accounts/")
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]


def test_anonymous_users_reach_only_public_pages(client):
    failures = []
    for route, ns, name in ROUTES:
        url = concrete(route)
        if url is None:
            continue
        response = client.get(url)
        if not rule_for(ns, name).is_public and response.status_code == 200:
            failures.append(url)
    assert failures == [], "\n" + "\n".join(failures)


# ---- objects inside and outside each role's scope -------------------------------------------------------------
class World:
    """For one walker: an account, appointment and campaign entry inside his scope and the same outside it."""

    def __init__(self, role: str):
        from isf.campaigns.models import Appointment, CallListEntry, Campaign
        from isf.customers.tests.factories import AccountFactory

        home_team, other_team = TeamFactory(code="IN"), TeamFactory(code="OUT")
        home_region, other_region = RegionFactory(code="R-IN"), RegionFactory(code="R-OUT")
        self.user = UserFactory(username=f"scoped-{role}", role=role, team=home_team, region=home_region)
        home_rep = self.user if role == Role.FIELD_REP else UserFactory(role=Role.FIELD_REP, region=home_region)
        other_rep = UserFactory(role=Role.FIELD_REP, region=other_region)
        home_agent = self.user if role == Role.INSIDE_AGENT else UserFactory(role=Role.INSIDE_AGENT, team=home_team)
        other_agent = UserFactory(role=Role.INSIDE_AGENT, team=other_team)
        self.inside = AccountFactory(name="Innen-Kunde GmbH", owner=home_rep, team=home_team, region=home_region)
        self.outside = AccountFactory(name="Aussen-Kunde GmbH", owner=other_rep, team=other_team, region=other_region)
        start = timezone.now() + timedelta(days=3)

        def order(requester, account, team):
            from isf.service.models import ServiceCatalogEntry, ServiceOrder
            from isf.service.services import service_order_create

            made = service_order_create(service=ServiceCatalogEntry.objects.get(code="quote_prep"), account=account,
                                        requester=requester, inputs={"products": "Walk"})
            ServiceOrder.objects.filter(pk=made.pk).update(team=team)  # the team's queue, whatever the routing
            return made

        def appointment(rep, agent, account):
            return Appointment.objects.create(rep=rep, booked_by=agent, account=account, start=start,
                                              end=start + timedelta(hours=1), topic="Walk")

        self.appointment = lambda inside: (appointment(home_rep, home_agent, self.inside) if inside
                                           else appointment(other_rep, other_agent, self.outside))
        self.order = lambda inside: order(home_rep if inside else other_rep, self.inside if inside else self.outside,
                                          home_team if inside else other_team)
        self.campaign = Campaign.objects.create(name="Walk-Kampagne")
        for account in (self.inside, self.outside):
            CallListEntry.objects.create(campaign=self.campaign, account=account)

    def object_id(self, kind: str, inside: bool) -> int:
        if kind == ACCOUNT:
            return (self.inside if inside else self.outside).pk
        if kind == APPOINTMENT:
            return self.appointment(inside).pk
        if kind == ORDER:
            return self.order(inside).pk
        return self.campaign.pk


SCOPED_ROUTES = [(r, ns, name) for r, ns, name in ROUTES if rule_for(ns, name).obj is not None]


def test_the_scoped_routes_are_walked():
    assert sorted(f"{ns}:{name}" for _r, ns, name in SCOPED_ROUTES) == [
        "calls:timeline", "campaigns:appointment-cancel", "campaigns:campaign-detail", "customers:account-detail",
        "lifecycle:account", "monitoring:account", "segmentation:account-history", "service:order-detail"]


@pytest.mark.parametrize("role", Role.values)
def test_objects_inside_the_scope_open_and_outside_it_do_not(client, role):
    world = World(role)
    client.force_login(world.user)
    failures = []
    for route, ns, name in SCOPED_ROUTES:
        rule = rule_for(ns, name)
        method = "GET" if rule.roles_for("GET") is not None and rule.obj != APPOINTMENT else "POST"
        roles = rule.roles_for(method)
        if roles == PUBLIC or role not in roles:
            continue  # the role walk above checks the denial
        for inside in (True, False):
            url = concrete(route, world.object_id(rule.obj, inside))
            response = client.generic(method, url, data="reason=Walk",
                                      content_type="application/x-www-form-urlencoded")
            status = response.status_code
            # a campaign is open to its roles; its entries are what the scope narrows (checked below)
            reachable = inside or rule.scope_for(role) in UNSCOPED or rule.obj == CAMPAIGN
            if status >= 500:
                failures.append(f"{method} {url} ({ns}:{name}) server error {status} for {role}")
            elif reachable and status in (403, 404):
                failures.append(f"{method} {url} ({ns}:{name}) refused ({status}) for {role} in scope")
            elif not reachable and status not in (403, 404):
                failures.append(f"{method} {url} ({ns}:{name}) gave {status} for {role} outside the scope")
        if rule.obj == CAMPAIGN and rule.scope_for(role) not in UNSCOPED:
            page = client.get(concrete(route, world.campaign.pk)).content.decode()
            if "Aussen-Kunde" in page or "Innen-Kunde" not in page:
                failures.append(f"{ns}:{name} shows {role} entries outside the scope")
    assert failures == [], "\n" + "\n".join(failures)


# ---- the API: every operation of the OpenAPI schema, for every role with a bearer token ------------------------
def api_operations() -> list[tuple[str, str]]:
    from isf.api.api import api

    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


API_OPERATIONS = api_operations()
API_ERROR_KEYS = {"message", "field", "detail", "errors", "rule"}


def test_every_api_operation_has_a_rule_and_every_rule_an_operation():
    from isf.api.access import PREFIX

    declared = {(method, PREFIX + path) for method, path in api_rules()}
    assert sorted(set(API_OPERATIONS) - declared) == []  # a new endpoint must be declared in an app's access.py
    assert sorted(declared - set(API_OPERATIONS)) == []  # no stale rule


def _api_data():
    from isf.campaigns.models import Lead
    from isf.customers.tests.factories import AccountFactory, ContactFactory, QuoteFactory

    account = AccountFactory(name="Walk-Kunde GmbH")
    ContactFactory(account=account, last_name="Walk-Kontakt")
    QuoteFactory(account=account)
    Lead.objects.create(company="Walk-Interessent GmbH", contact_name="Walk Person", email="walk@example.com")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_calls_the_api_as_the_declaration_says(client, role):
    from isf.api.access import PREFIX
    from isf.org.services import api_token_create

    _api_data()
    user = UserFactory(username=f"api-walker-{role}", role=role, team=TeamFactory(code="AW"))
    _token, raw = api_token_create(user=user, name="walk")
    rules = api_rules()
    failures = []
    for method, path in API_OPERATIONS:
        url = re.sub(r"\{\w+\}", "999999", path)  # no such object: a write never touches real data
        if "{index}" in path:
            url = re.sub(r"/999999$", "/1", url)
        allowed = rules[(method, path.removeprefix(PREFIX))].allows(user, method)
        response = client.generic(method, url, data="{}", content_type="application/json",
                                  HTTP_AUTHORIZATION=f"Bearer {raw}")
        status = response.status_code
        if status >= 500:
            failures.append(f"{method} {path}: server error {status} for {role}")
        elif allowed and status in (401, 403):
            failures.append(f"{method} {path}: denied ({status}) for {role}")
        elif not allowed:
            body = response.json() if response.content else {}
            if status != 403:
                failures.append(f"{method} {path}: gave {status} for {role}")
            elif not isinstance(body, dict) or set(body) - API_ERROR_KEYS:
                failures.append(f"{method} {path}: leaks data to {role}: {response.content[:200]!r}")
    assert failures == [], "\n" + "\n".join(failures)


@pytest.mark.parametrize("role", Role.values)
def test_api_objects_inside_the_scope_answer_and_outside_it_are_404(client, role):
    from isf.api.access import PREFIX
    from isf.org.services import api_token_create

    world = World(role)
    _token, raw = api_token_create(user=world.user, name="walk")
    failures = []
    for (method, path), rule in api_rules().items():
        if rule.obj not in (ACCOUNT, ORDER) or method != "GET" or not rule.allows(world.user, method):
            continue
        for inside in (True, False):
            object_id = str(world.object_id(rule.obj, inside))
            url = PREFIX + path.replace("{account_id}", object_id).replace("{order_id}", object_id)
            status = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
            reachable = inside or rule.scope_for(role) in UNSCOPED
            if reachable != (status == 200):
                failures.append(f"{method} {path} {'inside' if inside else 'outside'}: {status} for {role}")
    assert failures == [], "\n" + "\n".join(failures)


def test_the_api_without_a_token_answers_401_with_no_data(client):
    _api_data()
    for method, path in API_OPERATIONS:
        url = re.sub(r"\{\w+\}", "1", path)
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code == 401, f"{method} {path}"
        assert response.json() == {"message": "authentication required"}


def test_docs_permissions_md_is_generated_from_the_declaration():
    from pathlib import Path

    from django.conf import settings

    from isf.core.access_doc import permissions_markdown

    on_disk = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert on_disk == permissions_markdown(), "docs/permissions.md is out of date: run `isf access doc --write`"
