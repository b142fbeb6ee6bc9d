"""Access to order-behaviour monitoring (alerts): see isf/core/access.py."""

from isf.core.access import ACCOUNT, AD, ID, INSIDE, OWN_REGION, SALES, TEAM, VL, rule

PAGES = {
    "monitoring:*": rule(INSIDE | {VL}, scope={ID: TEAM}, label="monitoring (alerts)"),
    "monitoring:account": rule(SALES, scope={AD: OWN_REGION, ID: TEAM}, obj=ACCOUNT, label="an account's alerts"),
}
