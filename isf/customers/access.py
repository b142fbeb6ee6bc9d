"""Access to the customer base (pages and API): see isf/core/access.py."""

from isf.core.access import (
    ACCOUNT,
    AD,
    ADMIN,
    EVERYONE,
    ID,
    LEADS,
    MKT,
    NO_MARGINS,
    OWN_REGION,
    SALES,
    TARGETING,
    TEAM,
    VL,
    rule,
)

# marketing sees accounts for targeting (orders, margins, owner, phones and potential are hidden for it)
ACCOUNT_SCOPE = {AD: OWN_REGION, ID: TEAM, MKT: TARGETING, ADMIN: NO_MARGINS}
ACCOUNT_READERS = SALES | {MKT, ADMIN}

PAGES = {
    "customers:*": rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, label="accounts (list)"),
    "customers:account-detail": rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, obj=ACCOUNT, label="account page"),
    # owners (field rep or inside team): the VL sets the rules and moves accounts; the IDL reads and previews
    "customers:owners": rule(LEADS, methods=("GET",), label="account owners: rules, re-assignment preview"),
    "customers:owner-reassign": rule({VL}, label="account owners: re-assign in bulk"),
    "customers:owner-rule-save": rule({VL}, label="account owners: save a rule"),
    "customers:owner-rule-delete": rule({VL}, label="account owners: remove a rule"),
}

API = {
    ("GET", "/accounts"): rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, methods=("GET",)),
    ("GET", "/accounts/{account_id}"): rule(ACCOUNT_READERS, scope=ACCOUNT_SCOPE, obj=ACCOUNT, methods=("GET",)),
    ("GET", "/products"): rule(EVERYONE, methods=("GET",)),
}
