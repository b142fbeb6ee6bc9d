"""API access: the operations of isf/api/endpoints.py, and the check at authentication.

The rules of every API operation are declared with the pages in the apps' ``access.py`` (``API``) and composed
by isf/core/access.py; an operation without a rule is denied (403) for everyone, so a new endpoint must be
declared. The route walk (isf/core/tests/test_access_walk.py) calls every operation of the OpenAPI schema with a
token of every role and compares the result with the declaration. Object permissions (which accounts, which
service orders, margins) are applied on top by the same selectors the views use.
"""

import re

from django.core.exceptions import PermissionDenied

from isf.core.access import (
    ACCOUNT,
    AD,
    ADMIN,
    EVERYONE,
    ID,
    IDL,
    LEADS,
    MKT,
    OWN,
    OWN_REGION,
    SALES,
    TEAM,
    VL,
    can_call,
    rule,
)

PREFIX = "/api/v1"
MASTER_DATA_WRITERS = frozenset({ADMIN, VL, IDL})  # imports and master-data writes (page rule imports:*)
ACCOUNT_READERS = SALES | {MKT, ADMIN}  # customers:*; marketing gets the targeting fields only
ACCOUNT_SCOPE = {AD: OWN_REGION, ID: TEAM}
OWN_TOKENS = {r: OWN for r in EVERYONE - {ADMIN}}


def _api(roles, method, **kwargs):
    return rule(roles, methods=(method,), **kwargs)


API = {
    # tokens: everyone manages his own (admins all)
    ("GET", "/tokens"): _api(EVERYONE, "GET", scope=OWN_TOKENS),
    ("DELETE", "/tokens/{token_id}"): _api(EVERYONE, "DELETE", scope=OWN_TOKENS),
    ("POST", "/accounts"): _api(MASTER_DATA_WRITERS, "POST"),
    ("PATCH", "/accounts/{account_id}"): _api(MASTER_DATA_WRITERS, "PATCH", obj=ACCOUNT),
    ("GET", "/contacts"): _api(ACCOUNT_READERS, "GET", scope={**ACCOUNT_SCOPE, MKT: "targeting"}),
    # quotes carry amounts: not for marketing (no orders, revenue or margins)
    ("GET", "/quotes"): _api(SALES | {ADMIN}, "GET", scope=ACCOUNT_SCOPE),
    ("POST", "/orders/bulk"): _api(MASTER_DATA_WRITERS, "POST"),
    # the work queue (planning:*): the caller's own
    ("GET", "/tasks"): _api(SALES | {MKT}, "GET", scope={AD: OWN, ID: OWN, MKT: OWN}),
    # the contact plan on time and overdue counts per team (the team overview's and the review pack's figures)
    ("GET", "/contact-plan"): _api(LEADS, "GET"),
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
    return can_call(user, method, path)


def require_api_access(request, user) -> None:
    """Raise PermissionDenied (403 JSON) when the user's role may not call this operation."""
    key = operation_key(request)
    if key is None:  # not under /api/v1/: mounted elsewhere, so no rule applies (secure by default)
        raise PermissionDenied("this API operation is not in the access table")
    if not api_allowed(user, *key):
        raise PermissionDenied(f"your role may not call {key[0]} {PREFIX}{key[1]}")
