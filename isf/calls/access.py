"""Access to the customer screen and the call log (pages and API): see isf/core/access.py."""

from isf.core.access import ACCOUNT, AD, ID, LEADS, OWN_EXTENSION, OWN_REGION, SALES, TEAM, TEL, rule

# an inside agent reaches any account found by the caller's number (read-only outside his segments)
SCOPE = {AD: OWN_REGION, ID: TEAM}

PAGES = {
    "calls:*": rule(SALES, scope=SCOPE, label="customer screen, call log"),
    "calls:timeline": rule(SALES, scope=SCOPE, obj=ACCOUNT, label="an account's timeline"),
    # what inside sales brought in: revenue and margin for the leads; the rules (no figures) for inside agents too
    "calls:results": rule(LEADS, label="inside sales results (attributed revenue and margin per team, agent, segment)"),
    "calls:attribution-rules": rule(LEADS | {ID}, label="attribution rules (no figures)"),
}

API = {
    ("GET", "/screenpop"): rule(SALES, scope=SCOPE, methods=("GET",)),
    ("POST", "/calls"): rule(SALES, scope=SCOPE, methods=("POST",)),
    # an account's calls, newest first (404 for an account outside the caller's scope)
    ("GET", "/calls"): rule(SALES, scope=SCOPE, methods=("GET",)),
    # call events of the phone system: its integration user (TEL, no page) for every extension; a sales user for
    # calls of his own extension only (checked by the handler, isf/calls/telephony.py)
    ("POST", "/telephony/events"): rule(SALES | {TEL}, scope={r: OWN_EXTENSION for r in SALES}, methods=("POST",)),
    # attributed revenue and margin per team: the leads only
    ("GET", "/results"): rule(LEADS, methods=("GET",)),
}
