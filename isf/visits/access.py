"""Access to visit reports: see isf/core/access.py."""

from isf.core.access import AD, ID, OWN_REGION, SALES, TEAM, VL, rule

PAGES = {
    "visits:*": rule(SALES, scope={AD: OWN_REGION, ID: TEAM}, label="visit reports (read)"),
    "visits:new": rule({VL, AD}, scope={AD: OWN_REGION}, label="write a visit report"),
}
