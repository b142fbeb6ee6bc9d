"""Access to imports, exports and the user's API tokens: see isf/core/access.py."""

from isf.core.access import ADMIN, EVERYONE, IDL, MKT, OWN, SALES, VL, rule

PAGES = {
    "imports:*": rule({ADMIN, IDL, VL}, label="imports"),
    # who may export a list is also who may open its page (isf.imports.exportlists.PAGE_OF)
    "imports:export": rule(SALES | {MKT, ADMIN}, label="list exports (CSV, Excel)"),
    "imports:tokens": rule(EVERYONE, scope={r: OWN for r in EVERYONE - {ADMIN}}, label="API tokens (own; admin all)"),
    "imports:token-revoke": rule(EVERYONE, scope={r: OWN for r in EVERYONE - {ADMIN}}, label="API token: revoke"),
}
