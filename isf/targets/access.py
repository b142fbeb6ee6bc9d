"""Access to targets and care cost (pages and API): see isf/core/access.py."""

from isf.core.access import AD, ID, LEADS, MKT, NO_MARGINS, OWN, SALES, TEAM, VL, rule

PAGES = {
    # the leads set, import and agree targets and read care cost; the VL sets cost rates and acts on the lists
    "targets:*": rule(LEADS, label="targets (set, import, agree), care cost (read)"),
    "targets:rates": rule({VL}, label="cost rates and travel times"),
    "targets:care-call-list": rule({VL}, label="care-cost list to a call list"),
    "targets:care-call-instead": rule({VL}, label="care-cost list to a matrix change"),
}

API = {
    # a rep his own targets, an agent his team's without margins, marketing no revenue or margins
    ("GET", "/targets"): rule(SALES | {MKT}, scope={AD: OWN, ID: TEAM, MKT: NO_MARGINS}, methods=("GET",)),
}
