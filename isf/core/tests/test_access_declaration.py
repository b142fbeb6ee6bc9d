"""The one access declaration: the administrator inside the rules, the 27 former disagreements resolved in it,
and no second copy of a rule in views or templates (issue 22)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from isf.core.access import can, can_call
from isf.core.navigation import nav_for
from isf.org.choices import Role
from isf.org.services import api_token_create
from isf.org.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
VL, AD, IDL, ID, MKT, ADMIN = (Role.SALES_LEAD, Role.FIELD_REP, Role.INSIDE_LEAD, Role.INSIDE_AGENT, Role.MARKETING,
                               Role.ADMIN)


def _user(role, **extra):
    return UserFactory(role=role, team=TeamFactory(), **extra)


def _demo_admin():
    """The demo's ``admin``: role administrator, Django superuser and staff."""
    return _user(ADMIN, is_superuser=True, is_staff=True)


# ---- the administrator is a role, not a bypass ------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/segments/", "/capacity/", "/capacity/dashboard/", "/reviews/", "/queue/coverage/",
                                 "/queue/", "/service/sla/", "/monitoring/", "/call/"])
def test_a_superuser_administrator_is_refused_the_business_pages_the_declaration_denies_him(client, url):
    client.force_login(_demo_admin())
    assert client.get(url).status_code == 403


def test_a_superuser_administrator_gets_no_segment_margins_from_the_api(client):
    _token, raw = api_token_create(user=_demo_admin(), name="t")
    response = client.get("/api/v1/segments", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    assert "margin_12m" not in response.content.decode()


def test_a_superuser_administrator_keeps_the_administrators_own_pages(client):
    client.force_login(_demo_admin())
    assert [client.get(url).status_code for url in ("/accounts/", "/imports/", "/admin/")] == [200, 200, 200]


def test_a_superuser_sees_business_data_through_the_business_role_he_holds(client):
    client.force_login(_user(VL, is_superuser=True))
    assert client.get("/segments/").status_code == 200
    assert client.get("/capacity/").status_code == 200
    client.force_login(_user(AD, is_superuser=True))
    assert client.get("/segments/").status_code == 403


def test_the_administrators_menu_is_what_the_declaration_lets_him_open():
    names = [item["name"] for item in nav_for(_demo_admin())]
    assert names == ["home", "customers:account-list", "imports:list", "admin:index", "operations"]


def test_the_menu_reads_the_declaration_for_each_role():
    names = [item["name"] for item in nav_for(_user(MKT))]
    assert names == ["home", "planning:queue", "customers:account-list", "campaigns:lead-list",
                     "campaigns:campaign-list", "references:list"]  # marketing finds reference cases for campaigns


# ---- the 27 routes where the decorators and RULES disagreed, each resolved in the one declaration ----------------
ADMIN_WAS_ADMITTED_BY_THE_DECORATOR = [
    "matrix-pdf", "planning:coverage", "planning:matrix-list", "planning:matrix", "planning:matrix-edit",
    "lifecycle:overview", "lifecycle:account", "visits:list", "visits:new", "visits:detail", "calls:screen",
    "calls:log", "calls:timeline", "service:catalog-new", "service:catalog-edit", "service:contract-new",
    "service:contract-edit", "service:contract-new-version", "service:sla-report", "service:sla-report-csv",
    "monitoring:overview", "monitoring:account",
]
RESOLVED = [(name, "GET", ADMIN, False) for name in ADMIN_WAS_ADMITTED_BY_THE_DECORATOR] + [
    # calls:timeline: marketing sees no orders or timeline
    ("calls:timeline", "GET", MKT, False),
    # the matrix editor: the VL saves, the IDL tries edits (what-if), reps and agents read the matrix only
    ("planning:matrix-edit", "GET", AD, False), ("planning:matrix-edit", "GET", ID, False),
    ("planning:matrix-edit", "POST", IDL, True), ("planning:matrix-save", "POST", IDL, False),
    ("planning:matrix-save", "POST", VL, True),
    # lead import: a bulk entry for marketing and the leads, not for agents
    ("campaigns:lead-import", "POST", ID, False), ("campaigns:lead-import", "POST", MKT, True),
    # appointments are booked and cancelled by sales, not marketing
    ("campaigns:appointment-book", "POST", MKT, False), ("campaigns:appointment-cancel", "POST", MKT, False),
    # measured efforts become standard by the IDL (the VL reads process times)
    ("capacity:adopt-standard", "POST", VL, False), ("capacity:adopt-standard", "POST", IDL, True),
    ("capacity:process-times", "GET", VL, True),
    # announcements come from the VL (the IDL acknowledges them)
    ("reviews:announcement-new", "POST", IDL, False), ("reviews:announcement-new", "POST", VL, True),
    ("reviews:announcement-ack", "POST", IDL, True),
]
assert len({name for name, *_ in RESOLVED} - {"planning:matrix-save", "capacity:process-times",
                                              "reviews:announcement-ack"}) == 27


@pytest.mark.parametrize(("name", "method", "role", "allowed"), RESOLVED)
def test_each_former_disagreement_is_resolved_in_the_declaration(name, method, role, allowed):
    assert can(_user(role), name, method) is allowed


@pytest.mark.parametrize("name", ADMIN_WAS_ADMITTED_BY_THE_DECORATOR)
def test_the_demo_administrator_is_refused_where_only_the_decorator_admitted_him(client, name):
    from django.urls import reverse

    route = next(r for r, ns, n in _routes() if (f"{ns}:{n}" if ns else n) == name)
    args = [("SMB" if kind == "str" else 1) for kind in re.findall(r"<(\w+):", route)]
    client.force_login(_demo_admin())
    assert client.get(reverse(name, args=args)).status_code == 403


def test_field_reps_get_no_leads_or_call_lists():
    rep = _user(AD)
    assert [can(rep, n) for n in ("campaigns:lead-list", "campaigns:call-list", "campaigns:campaign-list")] == [
        False, False, False]
    text = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "(`campaigns:lead-list`)" in line)
    assert row.split(" | ")[1:] == ["✓", "✓", "–", "✓", "✓", "– |"]


def test_api_rules_have_no_superuser_bypass():
    admin = _demo_admin()
    assert [can_call(admin, "GET", p) for p in ("/segments", "/tasks", "/accounts", "/leads")] == [
        False, False, True, True]


# ---- no second copy of a rule ----------------------------------------------------------------------------------
def _routes(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry.name or ""


def _closure_roles(view):
    while view is not None:
        if {"allowed", "roles"} & set(getattr(view, "__code__", None) and view.__code__.co_freevars or ()):
            return True
        view = getattr(view, "__wrapped__", None)
    return None


def test_no_view_carries_a_role_list_of_its_own():
    restating = []
    for entry in _all_patterns(get_resolver().url_patterns):
        callback = entry.callback
        if getattr(callback, "__module__", "").startswith("isf.") and _closure_roles(callback):
            restating.append(f"{callback.__module__}.{callback.__name__}")
    assert restating == []


def _all_patterns(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry.url_patterns)
        else:
            yield entry


def test_no_template_checks_a_role_by_name():
    base = Path(settings.BASE_DIR)
    found = [str(p.relative_to(base)) for p in [*base.glob("isf/*/templates/**/*.html"), *base.glob("templates/**/*.html")]
             if re.search(r"\.role\s*(==|!=|in)\s", p.read_text(encoding="utf-8"))]
    assert found == []
