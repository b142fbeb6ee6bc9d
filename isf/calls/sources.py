"""Adapters to facts that other apps own (service orders, complaints, alerts, phase and segment changes).

Each source is looked up at run time: an app that is not there yet (or lacks the selector) is
skipped, so the customer screen and the timeline work now and pick a source up when it lands.
Every adapter returns plain items: {"at", "kind", "title", "detail", "status", "url", "open"}.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from importlib.util import find_spec

from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)

CLOSED = {"done", "completed", "closed", "cancelled", "canceled", "resolved", "rejected", "won", "lost", "expired"}
TIME_ATTRS = ("created_at", "raised_at", "opened_at", "changed_at", "at", "date", "effective_date", "valid_from")
DETAIL_ATTRS = ("reason_text", "reason", "description", "summary", "note")


@dataclass(frozen=True)
class Source:
    module: str
    functions: tuple[str, ...]
    model: tuple[str, str] | None = None  # (module, class) fallback filtered by account


def _module(name: str):
    try:
        if find_spec(name) is None:
            return None
    except ModuleNotFoundError:
        return None
    try:
        return import_module(name)
    except ImportError:
        return None


def _queryset(source: Source, account):
    mod = _module(source.module)
    if mod is not None:
        for fn in source.functions:
            func = getattr(mod, fn, None)
            if callable(func):
                return func(account)
    if source.model:
        mod = _module(source.model[0])
        model = getattr(mod, source.model[1], None) if mod else None
        if model is not None:
            return model.objects.filter(account=account)
    return None


def _when(obj):
    for attr in TIME_ATTRS:
        value = getattr(obj, attr, None)
        if isinstance(value, datetime | date):
            return value
    return None


def _status(obj) -> tuple[str, str]:
    raw = getattr(obj, "status", "") or ""
    display = getattr(obj, "get_status_display", None)
    return str(raw), str(display() if callable(display) else raw)


def item(obj, kind: str) -> dict:
    raw, status = _status(obj)
    detail = ""
    for attr in DETAIL_ATTRS:
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value.strip():
            detail = value.strip()[:200]
            break
    url = None
    if hasattr(obj, "get_absolute_url"):
        try:
            url = obj.get_absolute_url()
        except (NoReverseMatch, AttributeError, TypeError, ValueError):
            url = None
    return {"at": _when(obj), "kind": kind, "title": str(obj), "detail": detail, "status": status,
            "url": url, "open": raw not in CLOSED, "id": getattr(obj, "pk", None)}


SERVICE_ORDERS = Source("isf.service.selectors", ("service_orders_for",), ("isf.service.models", "ServiceOrder"))
OPEN_SERVICE_ORDERS = Source("isf.service.selectors", ("open_service_orders_for",))
COMPLAINTS = Source("isf.campaigns.selectors", ("complaints_for",), ("isf.campaigns.models", "Complaint"))
ALERTS = Source("isf.monitoring.selectors", ("alerts_for", "flags_for"), ("isf.monitoring.models", "Alert"))
PHASE_CHANGES = Source("isf.lifecycle.selectors", ("phase_changes_for",))
SEGMENT_CHANGES = Source("isf.segmentation.selectors", ("segment_changes_for",))


def _fetch(qs, n: int) -> list:
    """Read a foreign source; a source whose tables are not migrated yet is skipped, not fatal."""
    try:
        with transaction.atomic():
            return list(qs[:n])
    except DatabaseError:
        logger.warning("timeline/customer screen: source %s not readable, skipped", qs.model.__name__, exc_info=True)
        return []


def items(source: Source, account, kind: str, *, limit: int = 20, open_only: bool = False) -> list[dict]:
    qs = _queryset(source, account)
    if qs is None:
        return []
    out = []
    # open ones can be anywhere in the history: look a bit further when filtering
    for obj in _fetch(qs, limit * 5 if open_only else limit):
        it = item(obj, kind)
        if open_only and not it["open"]:
            continue
        out.append(it)
        if len(out) >= limit:
            break
    return out


def open_service_orders(account, limit: int = 10) -> list[dict]:
    mod = _module(OPEN_SERVICE_ORDERS.module)
    if mod is not None and callable(getattr(mod, OPEN_SERVICE_ORDERS.functions[0], None)):
        return items(OPEN_SERVICE_ORDERS, account, "service_order", limit=limit)
    return items(SERVICE_ORDERS, account, "service_order", limit=limit, open_only=True)


def open_complaints(account, limit: int = 10) -> list[dict]:
    return items(COMPLAINTS, account, "complaint", limit=limit, open_only=True)


def open_alerts(account, limit: int = 10) -> list[dict]:
    """Alerts from monitoring once it has a selector; until then the open alert tasks of the queue."""
    found = items(ALERTS, account, "alert", limit=limit, open_only=True)
    if found or _module(ALERTS.module) is not None and any(
        callable(getattr(_module(ALERTS.module), fn, None)) for fn in ALERTS.functions
    ):
        return found
    from isf.planning.choices import OPEN_STATUSES, TaskKind
    from isf.planning.models import Task

    tasks = Task.objects.filter(account=account, kind=TaskKind.ALERT, status__in=OPEN_STATUSES).order_by("-created_at")
    out = []
    for task in tasks[:limit]:
        out.append({"at": task.created_at, "kind": "alert", "title": task.title, "detail": task.reason_text,
                    "status": task.get_status_display(), "url": _task_url(task), "open": True, "id": task.pk})
    return out


def _task_url(task) -> str | None:
    try:
        return reverse("planning:task-detail", args=[task.pk])
    except NoReverseMatch:
        return None


# -- service catalog and ordering ---------------------------------------------------------------

def service_ordering_available() -> bool:
    mod = _module("isf.service.services")
    return mod is not None and callable(getattr(mod, "service_order_create", None))


def service_catalog(account=None) -> list[dict]:
    """Services the field or inside sales can order for an account ([] until the service app lands)."""
    if not service_ordering_available():
        return []
    selectors = _module("isf.service.selectors")
    qs = None
    if account is not None and selectors is not None and callable(getattr(selectors, "catalog_for_account", None)):
        qs = selectors.catalog_for_account(account)
    if qs is None:
        models = _module("isf.service.models")
        entry = getattr(models, "ServiceCatalogEntry", None) if models else None
        if entry is None:
            return []
        qs = entry.objects.all()
        if hasattr(entry, "active"):
            qs = qs.filter(active=True)
    return [{"code": e.code, "name": str(getattr(e, "name", e)), "obj": e} for e in _fetch(qs, 200)]


class ServiceOrderFailed(Exception):
    def __init__(self, message: str, field: str = "service"):
        super().__init__(message)
        self.field = field


def service_order_create(*, code: str, account, requester, contact=None, note: str = "", source: str = "app"):
    """Create a service order through the service app's contract; raises ServiceOrderFailed."""
    if not service_ordering_available():
        raise ServiceOrderFailed("service orders are not available yet")
    models = import_module("isf.service.models")
    services = import_module("isf.service.services")
    entry = models.ServiceCatalogEntry.objects.filter(code=code).first()
    if entry is None:
        raise ServiceOrderFailed(f"service: unknown service {code!r}")
    # From a visit report or a call the note is the request: it fills the service's required text inputs.
    inputs = {field["name"]: note for field in entry.inputs
              if field.get("required") and field.get("type", "text") in {"text", "textarea"} and note}
    try:
        return services.service_order_create(service=entry, account=account, requester=requester, inputs=inputs,
                                             contact=contact, note=note, source=source)
    except Exception as exc:  # the service app's domain errors carry the field and a clear message
        if exc.__class__.__name__.endswith("Error"):
            raise ServiceOrderFailed(str(exc), getattr(exc, "field", "service") or "service") from exc
        raise
