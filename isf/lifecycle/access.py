"""Access to the lifecycle pages: see isf/core/access.py."""

from isf.core.access import ACCOUNT, AD, ID, LEADS, OWN_REGION, SALES, TEAM, VL, rule

PAGES = {
    "lifecycle:*": rule(LEADS, POST={VL}, label="lifecycle overview (rules: VL saves)"),
    "lifecycle:account": rule(SALES, POST=LEADS, scope={AD: OWN_REGION, ID: TEAM}, obj=ACCOUNT,
                              label="an account's phase (override: leads)"),
}
