"""Access to segments, rules, ABC and the portfolio (pages and API): see isf/core/access.py."""

from isf.core.access import ACCOUNT, AD, ID, LEADS, OWN, OWN_REGION, SALES, TEAM, VL, rule

PAGES = {
    # the IDL reads KPIs, rules and the ABC proposal; only the VL saves
    "segmentation:*": rule(LEADS, POST={VL}, label="segments, KPIs, rules, ABC (IDL reads)"),
    "segmentation:portfolio": rule(LEADS | {AD}, scope={AD: OWN}, label="portfolio"),
    "segmentation:account-find": rule(SALES, scope={AD: OWN_REGION, ID: TEAM}, label="find an account's segment"),
    "segmentation:account-history": rule(SALES, scope={AD: OWN_REGION, ID: TEAM}, obj=ACCOUNT,
                                         label="an account's segment history"),
    "segmentation:segment-new": rule({VL}, label="new segment"),
    "segmentation:segment-edit": rule({VL}, label="edit segment"),
}

API = {
    # segment KPIs hold contribution margins
    ("GET", "/segments"): rule(LEADS, methods=("GET",)),
}
