"""Access to the customer screen and the call log (pages and API): see isf/core/access.py."""

from isf.core.access import ACCOUNT, AD, ID, LEADS, OWN_REGION, SALES, TEAM, rule

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
    # attributed revenue and margin per team: the leads only
    ("GET", "/results"): rule(LEADS, methods=("GET",)),
}
