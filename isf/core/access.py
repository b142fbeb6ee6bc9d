"""Who may do what: the one access declaration, composed from the apps' ``access.py`` modules.

Each app declares next to its URLs and API router (``isf/<app>/access.py``):

- ``PAGES``: URL name ("namespace:name", "namespace:*" as the app's default) -> :class:`Rule`;
- ``API``: (method, path under /api/v1) -> :class:`Rule`;
- ``ACTIONS``: an action inside a page with a rule of its own (e.g. "planning:matrix-save"), no route.

A rule names the roles per HTTP method and, per role, the object scope (own accounts, the team's segments, ...)
its selectors apply. Everything reads this one declaration: :class:`RoleAccessMiddleware` (pages, Django admin),
the API authentication (``isf.api.access``), the menu (``isf.core.navigation``), buttons in templates
(``{% can user "namespace:name" "POST" as may %}``), the generated ``docs/permissions.md``
(``isf access doc``) and the route walk (``isf/core/tests/test_access_walk.py``).

The administrator is a role like the others: a Django superuser passes only the rules of the role he holds.
A route without a rule is denied (secure by default; the walk names it); a method a rule does not declare is 405.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import resolve
from django.urls.exceptions import Resolver404

from isf.core.roles import Role

VL, AD, IDL, ID, MKT, ADMIN = (Role.SALES_LEAD, Role.FIELD_REP, Role.INSIDE_LEAD, Role.INSIDE_AGENT,
                               Role.MARKETING, Role.ADMIN)
TEL = Role.TELEPHONY  # the phone system's integration user: posts call events (isf/api/access.py), no page
EVERYONE = frozenset(Role.values) - {TEL}
LEADS = frozenset({VL, IDL})
SALES = frozenset({VL, AD, IDL, ID})
INSIDE = frozenset({IDL, ID})
NOBODY = frozenset()
PUBLIC = "public"
PAGE_METHODS = ("GET", "POST")  # pages are read with GET and changed with POST; other methods are 405

# Object scopes: what part of the objects a role reaches through a rule. The selectors apply them
# (accounts_visible_to, orders_visible_to, can_see_margins ...); the declaration names them per role so the
# documentation and the route walk (objects inside and outside the scope) read them from here.
ALL = "all"
OWN = "own"  # the user's own records (his appointments, his tokens, his orders as requester)
OWN_EXTENSION = "own-extension"  # the phone system's events of calls on the user's own extension
OWN_REGION = "own+region"  # a field rep: accounts he owns (edit) and his region's (read)
TEAM = "team"  # an inside agent: accounts of his team's segments (and any found by the caller's number)
TARGETING = "targeting"  # marketing: the account fields for targeting only (no owner, phones, potential, revenue)
NO_MARGINS = "no-margins"  # all records, no contribution margins
QUEUE = "queue"  # an inside agent: his team's queue and what is assigned to him
REGION = "region"  # a sales lead: the records of his region (all regions when he has none)
SCOPE_LABELS = {
    ALL: "✓",
    OWN: "own",
    OWN_EXTENSION: "own extension",
    OWN_REGION: "own + region",
    TEAM: "team's segments",
    TARGETING: "targeting fields only",
    NO_MARGINS: "✓ (no margins)",
    QUEUE: "team queue",
    REGION: "region's reps",
}
# The scoped object kinds a route's id can name; the walk creates one inside and one outside each role's scope.
ACCOUNT = "account"
APPOINTMENT = "appointment"
CAMPAIGN = "campaign"
ORDER = "service-order"


@dataclass(frozen=True)
class Rule:
    """Roles per HTTP method (``"*"``: every method the rule declares), and the object scope per role."""

    methods: Mapping[str, frozenset | str]
    scope: Mapping[str, str] = field(default_factory=dict)
    obj: str | None = None  # the kind of object the route's id names (walked inside and outside the scope)
    label: str = ""  # the row in docs/permissions.md

    def roles_for(self, method: str) -> frozenset | str | None:
        """The roles that may use ``method``; None when the rule does not declare the method at all."""
        method = "GET" if method.upper() == "HEAD" else method.upper()
        return self.methods.get(method)

    def allows(self, user, method: str = "GET") -> bool:
        roles = self.roles_for(method)
        if roles == PUBLIC:
            return True
        if roles is None or not getattr(user, "is_authenticated", False):
            return False
        return user.role in roles  # no superuser bypass: the administrator is the role ADMIN

    def __contains__(self, role) -> bool:
        """``role in rule``: may the role open (GET) it - as the plain role sets of the older table read."""
        roles = self.roles_for("GET")
        return roles == PUBLIC or (roles is not None and role in roles)

    def scope_for(self, role: str) -> str:
        return self.scope.get(role, ALL)

    @property
    def is_public(self) -> bool:
        return all(roles == PUBLIC for roles in self.methods.values())


def rule(roles: Iterable[str] | str = NOBODY, *, scope: Mapping[str, str] | None = None, obj: str | None = None,
         label: str = "", methods: Iterable[str] = PAGE_METHODS, **by_method) -> Rule:
    """``rule(SALES, POST={VL})``: SALES may GET (and POST unless POST is named); ``methods`` for API rules."""
    base = roles if roles == PUBLIC else frozenset(roles)
    declared = {m: base for m in methods}
    for method, method_roles in by_method.items():
        declared[method.upper()] = method_roles if method_roles == PUBLIC else frozenset(method_roles)
    return Rule(methods=declared, scope=dict(scope or {}), obj=obj, label=label)


def as_rule(value, *, methods: Iterable[str] = PAGE_METHODS) -> Rule:
    """A plain role set (as older declarations wrote) is a rule for every page method."""
    return value if isinstance(value, Rule) else rule(value, methods=methods)


# The apps that declare access, in the order of the menu and the documentation. A new app adds its module here.
DECLARATIONS = (
    "isf.org.access",
    "isf.customers.access",
    "isf.planning.access",
    "isf.segmentation.access",
    "isf.lifecycle.access",
    "isf.visits.access",
    "isf.calls.access",
    "isf.service.access",
    "isf.monitoring.access",
    "isf.campaigns.access",
    "isf.capacity.access",
    "isf.reviews.access",
    "isf.targets.access",
    "isf.imports.access",
    "isf.references.access",
    "isf.api.access",
)


@cache
def declarations() -> tuple:
    return tuple(import_module(name) for name in DECLARATIONS)


@cache
def page_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in declarations():
        for name, value in {**getattr(module, "PAGES", {}), **getattr(module, "ACTIONS", {})}.items():
            if name in rules:
                raise ValueError(f"page rule {name} is declared twice (second in {module.__name__})")
            rules[name] = as_rule(value)
    return rules


@cache
def api_rules() -> dict[tuple[str, str], Rule]:
    rules: dict[tuple[str, str], Rule] = {}
    for module in declarations():
        for (method, path), value in getattr(module, "API", {}).items():
            key = (method.upper(), path)
            if key in rules:
                raise ValueError(f"API rule {key} is declared twice (second in {module.__name__})")
            rules[key] = as_rule(value, methods=(key[0],))
    return rules


def __getattr__(name):  # RULES and API_RULES: the composed declaration, read lazily (the apps import this module)
    if name == "RULES":
        return page_rules()
    if name == "API_RULES":
        return api_rules()
    raise AttributeError(name)


def rule_for(namespace: str, url_name: str) -> Rule | None:
    rules = page_rules()
    full = f"{namespace}:{url_name}" if namespace else url_name
    if full in rules:
        return rules[full]
    if namespace and f"{namespace}:*" in rules:
        return rules[f"{namespace}:*"]
    return None


def is_public(namespace: str, url_name: str) -> bool:
    found = rule_for(namespace, url_name)
    return found is not None and found.is_public


def can(user, name: str, method: str = "GET") -> bool:
    """May ``user`` use the page ``name`` ("namespace:name") with ``method``? For views, templates and the menu."""
    namespace, _sep, url_name = name.rpartition(":")
    found = rule_for(namespace, url_name)
    return found is not None and found.allows(user, method)


def can_call(user, method: str, path: str) -> bool:
    """May ``user`` call the API operation (method, path under /api/v1)?"""
    found = api_rules().get((method.upper(), path))
    return found is not None and found.allows(user, method)


class RoleAccessMiddleware:
    """Applies the page rules before any view runs, the Django admin included. The API checks at authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if path.startswith(("/api/", "/static/", "/media/", "/i18n/")):
            return None
        try:
            match = request.resolver_match or resolve(path)
        except Resolver404:
            return None
        found = rule_for(match.namespace, match.url_name or "")
        roles = None if found is None else found.roles_for(request.method)
        if roles == PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"/login/?next={path}")
        if found is not None and roles is None:
            return HttpResponseNotAllowed(sorted(found.methods))
        if found is None or not found.allows(user, request.method):
            return render(request, "403.html", status=403)
        return None
