"""Access to the reference library and press findings: see isf/core/access.py."""

from isf.core.access import AD, ID, MKT, OWN_REGION, SALES, TARGETING, TEAM, rule

# the key-account team (sales) and campaigns (marketing) find the stories; a case or a finding is filed for an
# account the user may see
SCOPE = {AD: OWN_REGION, ID: TEAM, MKT: TARGETING}

PAGES = {
    "references:*": rule(SALES | {MKT}, scope=SCOPE, label="reference cases (library, new), press findings"),
}
