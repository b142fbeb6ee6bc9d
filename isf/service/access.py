"""Access to the internal service firm: catalog, contracts, service orders, SLA (pages and API)."""

from isf.core.access import AD, ID, LEADS, ORDER, OWN, QUEUE, SALES, VL, rule

ORDER_SCOPE = {AD: OWN, ID: QUEUE}  # a field rep as requester or account owner; an agent his team's queue

PAGES = {
    "service:*": rule(SALES, scope=ORDER_SCOPE, label="service orders, notifications, catalog (read)"),
    "service:catalog-new": rule(LEADS, label="catalog: new entry"),
    "service:catalog-edit": rule(LEADS, label="catalog: edit"),
    "service:order-new": rule({VL, AD}, scope={AD: OWN}, label="order a service"),
    "service:order-detail": rule(SALES, scope=ORDER_SCOPE, obj=ORDER, label="service order"),
    "service:contract-list": rule(LEADS, label="service contracts"),
    "service:contract-detail": rule(LEADS, label="service contract"),
    "service:contract-print": rule(LEADS, label="service contract: print"),
    "service:contract-pdf": rule(LEADS, label="service contract: PDF"),
    "service:contract-new": rule(LEADS, label="service contract: new"),
    "service:contract-edit": rule(LEADS, label="service contract: edit"),
    "service:contract-accept": rule(LEADS, label="service contract: accept"),
    "service:contract-new-version": rule(LEADS, label="service contract: new version"),
    "service:sla-report": rule(LEADS, label="SLA report"),
    "service:sla-report-csv": rule(LEADS, label="SLA report: CSV"),
}

API = {
    ("GET", "/service-orders"): rule(SALES, scope=ORDER_SCOPE, methods=("GET",)),
    ("GET", "/service-orders/{order_id}"): rule(SALES, scope=ORDER_SCOPE, obj=ORDER, methods=("GET",)),
    ("POST", "/service-orders"): rule({VL, AD}, scope={AD: OWN}, methods=("POST",)),
    ("POST", "/service-orders/{order_id}/transitions"): rule(SALES, scope=ORDER_SCOPE, methods=("POST",)),
    ("POST", "/service-orders/{order_id}/steps/{index}"): rule(SALES, scope=ORDER_SCOPE, methods=("POST",)),
}
