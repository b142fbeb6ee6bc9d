"""Access to the customer base (pages and API): see isf/core/access.py."""

from isf.core.access import ACCOUNT, AD, ADMIN, EVERYONE, ID, MKT, NO_MARGINS, OWN_REGION, SALES, TARGETING, TEAM, rule

# marketing sees accounts for targeting (orders, margins, owner, phones and potential are hidden for it)
ACCOUNT_SCOPE = {AD: OWN_REGION, ID: TEAM, MKT: TARGETING, ADMIN: NO_MARGINS}
ACCOUNT_READERS = SALES | {MKT, ADMIN}

PAGES = {
    "customers:*": rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, label="accounts (list)"),
    "customers:account-detail": rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, obj=ACCOUNT, label="account page"),
}

API = {
    ("GET", "/accounts"): rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, methods=("GET",)),
    ("GET", "/accounts/{account_id}"): rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, obj=ACCOUNT, methods=("GET",)),
    ("GET", "/products"): rule(EVERYONE, methods=("GET",)),
}
