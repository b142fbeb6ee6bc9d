"""Who may call which API operation: one table by method and path, enforced at authentication.

The same role matrix as the pages (isf/core/access.py, docs/permissions.md): an operation without a
rule is denied (403) for everyone, so a new endpoint must be declared here; the route-walking test
(isf/core/tests/test_access_walk.py) calls every operation of the OpenAPI schema with a token of
every role and checks the result against this table. Object permissions (which accounts, which
service orders, margins) are applied on top by the same selectors the views use.
"""

import re

from django.core.exceptions import PermissionDenied

from isf.core.access import AD, ADMIN, EVERYONE, ID, IDL, LEADS, MKT, SALES, TEL, VL

PREFIX = "/api/v1"
MASTER_DATA_WRITERS = frozenset({ADMIN, VL, IDL})  # imports and master-data writes (page rule imports:*)
ACCOUNT_READERS = SALES | {MKT, ADMIN}  # customers:*; marketing gets the targeting fields only
LEAD_READERS = frozenset({MKT, VL, IDL, ID, ADMIN})  # campaigns:lead-*; admin answers GDPR requests

API_RULES: dict[tuple[str, str], frozenset] = {
    # tokens: everyone manages his own (admins all)
    ("GET", "/tokens"): EVERYONE,
    ("DELETE", "/tokens/{token_id}"): EVERYONE,
    # customer base
    ("GET", "/accounts"): ACCOUNT_READERS,
    ("GET", "/accounts/{account_id}"): ACCOUNT_READERS,
    ("POST", "/accounts"): MASTER_DATA_WRITERS,
    ("PATCH", "/accounts/{account_id}"): MASTER_DATA_WRITERS,
    ("GET", "/contacts"): ACCOUNT_READERS,
    ("GET", "/products"): EVERYONE,
    # quotes carry amounts: not for marketing (no orders, revenue or margins)
    ("GET", "/quotes"): SALES | {ADMIN},
    ("POST", "/orders/bulk"): MASTER_DATA_WRITERS,
    # the work queue (planning:*)
    ("GET", "/tasks"): SALES | {MKT},
    # the contact plan on time and overdue counts per team (the team overview's and the review pack's figures)
    ("GET", "/contact-plan"): LEADS,
    # segment KPIs hold contribution margins (segmentation:*)
    ("GET", "/segments"): LEADS,
    # the customer screen's facts, revenue included (calls:*)
    ("GET", "/screenpop"): SALES,
    # logging a call, as on the customer screen (calls:log)
    ("POST", "/calls"): SALES,
    # an account's calls, newest first (calls:*)
    ("GET", "/calls"): SALES,
    # call events of the phone system: its integration user for every extension, an inside/field user for calls of
    # his own extension only (checked by the handler, isf/calls/telephony.py)
    ("POST", "/telephony/events"): SALES | {TEL},
    # service orders (service:*; ordering like service:order-new)
    ("GET", "/service-orders"): SALES,
    ("GET", "/service-orders/{order_id}"): SALES,
    ("POST", "/service-orders"): frozenset({VL, AD}),
    ("POST", "/service-orders/{order_id}/transitions"): SALES,
    ("POST", "/service-orders/{order_id}/steps/{index}"): SALES,
    # leads (campaigns:lead-*); admin also takes leads in through integrations
    ("GET", "/leads"): LEAD_READERS,
    ("GET", "/leads/{lead_id}"): LEAD_READERS,
    ("POST", "/leads"): LEAD_READERS,
}

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def operation_key(request) -> tuple[str, str] | None:
    """(method, path template) of the API operation a request resolved to, e.g. ("GET", "/accounts/{account_id}")."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    route = "/" + _CONVERTER.sub(r"{\1}", match.route)
    if not route.startswith(PREFIX + "/"):
        return None
    return request.method.upper(), route.removeprefix(PREFIX)


def api_allowed(user, method: str, path: str) -> bool:
    rule = API_RULES.get((method.upper(), path))
    if rule is None:
        return False
    return bool(user.is_superuser) or user.role in rule


def require_api_access(request, user) -> None:
    """Raise PermissionDenied (403 JSON) when the user's role may not call this operation."""
    key = operation_key(request)
    if key is None:  # not under /api/v1/: mounted elsewhere, so no rule applies (secure by default)
        raise PermissionDenied("this API operation is not in the access table")
    if not api_allowed(user, *key):
        raise PermissionDenied(f"your role may not call {key[0]} {PREFIX}{key[1]}")
