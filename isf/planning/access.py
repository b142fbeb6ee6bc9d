"""Access to the work queue and the care matrix: see isf/core/access.py."""

from isf.core.access import AD, ID, IDL, LEADS, MKT, NOBODY, OWN, SALES, VL, rule

PAGES = {
    "planning:*": rule(SALES | {MKT}, scope={AD: OWN, ID: OWN, MKT: OWN}, label="work queue, tasks"),
    "planning:coverage": rule(LEADS, label="coverage"),
    "planning:replan": rule({AD, VL}, scope={AD: OWN}, label="re-plan visits (own stale planned visits)"),
    "planning:matrix-list": rule(SALES, label="care matrix (list)"),
    "planning:matrix": rule(SALES, label="care matrix"),
    # the IDL opens the editor for the what-if workload (a POST that saves nothing); the VL saves
    "planning:matrix-edit": rule(LEADS, label="care matrix: edit (IDL: what-if only)"),
    "planning:weights": rule({IDL}, label="work weights per team"),
    "matrix-pdf": rule(SALES, label="care matrix PDF"),
}

# actions inside a page with a rule of their own (no route): views and templates ask can(user, name, "POST")
ACTIONS = {
    "planning:matrix-save": rule(NOBODY, POST={VL}, label="care matrix: save"),
}
