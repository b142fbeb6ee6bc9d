"""Facts other apps own, for the account timeline and the customer screen (service orders, complaints, alerts,
phase and segment changes), and service orders placed from a call or a visit report.

Each source is the owning app's per-account query, imported directly, with the fields it reads named (no
guessing of attributes across apps). Every item is a plain dict:
{"at", "kind", "title", "detail", "status", "url", "open", "id"}.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from isf.campaigns.choices import ComplaintStatus
from isf.campaigns.models import Complaint
from isf.core.language import in_language
from isf.lifecycle.selectors import phase_changes_for
from isf.planning.choices import OPEN_STATUSES, TaskKind
from isf.planning.models import Task
from isf.planning.services import TaskError
from isf.segmentation.selectors import segment_changes_for
from isf.service import services as service_services
from isf.service.choices import OPEN_STATUSES as ORDER_OPEN
from isf.service.choices import InputType
from isf.service.errors import ServiceOrderError
from isf.service.models import ServiceCatalogEntry
from isf.service.selectors import catalog_names_for_account, open_service_orders_for, service_orders_for

TEXT_INPUTS = {InputType.TEXT, InputType.TEXTAREA}


@dataclass(frozen=True)
class Source:
    """One kind of foreign fact, named explicitly: ``rows(account)`` is the account's queryset, newest first (None:
    no rows); the other fields read one row's time, title, detail, status (code, label), whether it is still open
    and its page."""

    kind: str
    rows: Callable[[object], QuerySet | None]
    at: Callable[[object], datetime | date | None]
    title: Callable[[object], str]
    detail: Callable[[object], str]
    status: Callable[[object], tuple[str, str]] = lambda obj: ("", "")
    is_open: Callable[[str], bool] = lambda status: True
    url: Callable[[object], str | None] = lambda obj: None


def _complaints_for(account) -> QuerySet[Complaint]:
    return Complaint.objects.filter(account=account)


def _status(obj) -> tuple[str, str]:
    return str(obj.status), str(obj.get_status_display())


def _first_text(*texts) -> str:
    return next((t.strip() for t in texts if isinstance(t, str) and t.strip()), "")


def _service_order_title(order) -> str:
    """'SA-000134 · Angebot vorbereiten': the order's own number and the service in the active language."""
    return f"{order.number} · {order.service.name}"


def _phase_title(change) -> str:
    return _("%(old)s → %(new)s") % {"old": change.get_from_phase_display(), "new": change.get_to_phase_display()}


def _phase_detail(change) -> str:
    return " · ".join(part for part in (change.reason_text.strip(), change.who) if part)


def _segment_label(segment) -> str:
    return f"{segment.code} {segment.name}" if segment is not None else str(_("no segment"))


def _segment_title(change) -> str:
    return _("%(old)s → %(new)s") % {"old": _segment_label(change.from_segment),
                                     "new": _segment_label(change.to_segment)}


def _segment_detail(change) -> str:
    why = change.reason.strip() or change.rule_text
    source = str(change.get_source_display())
    return f"{source}: {why}" if why else source


def _url(obj) -> str | None:
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError, TypeError, ValueError):
        return None


SERVICE_ORDERS = Source(
    "service_order", service_orders_for, at=lambda o: o.created_at, title=_service_order_title,
    detail=lambda o: _first_text(o.reason, o.note), status=_status,
    is_open=lambda status: status in ORDER_OPEN, url=_url)
COMPLAINTS = Source(
    "complaint", _complaints_for, at=lambda c: c.created_at, title=str, detail=lambda c: _first_text(c.description),
    status=_status, is_open=lambda status: status not in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED), url=_url)
PHASE_CHANGES = Source("phase", phase_changes_for, at=lambda c: c.at, title=_phase_title, detail=_phase_detail)
SEGMENT_CHANGES = Source("segment", segment_changes_for, at=lambda c: c.changed_at, title=_segment_title,
                         detail=_segment_detail)


def item(obj, source: Source) -> dict:
    """One timeline/customer-screen item of a service order, complaint, phase or segment change."""
    raw, status = source.status(obj)
    return {"at": source.at(obj), "kind": source.kind, "title": source.title(obj), "detail": source.detail(obj)[:200],
            "status": status, "url": source.url(obj), "open": source.is_open(raw), "id": obj.pk}


def items(source: Source, account, kind: str = "", *, limit: int = 20, open_only: bool = False) -> list[dict]:
    qs = source.rows(account)
    if qs is None:
        return []
    out = []
    # open ones can be anywhere in the history: look a bit further when filtering
    for obj in qs[:limit * 5 if open_only else limit]:
        it = item(obj, source)
        if open_only and not it["open"]:
            continue
        out.append(it)
        if len(out) >= limit:
            break
    return out


def open_service_orders(account, limit: int = 10) -> list[dict]:
    """The open orders for the customer screen: number, service and status are all it shows, so only the
    service is joined (the five-table join of the timeline costs ~1.5 ms of planning on PostgreSQL)."""
    orders = open_service_orders_for(account).select_related(None).select_related("service")[:limit]
    return [item(order, SERVICE_ORDERS) for order in orders]


def open_complaints(account, limit: int = 10) -> list[dict]:
    return items(COMPLAINTS, account, "complaint", limit=limit, open_only=True)


def open_alerts(account, limit: int = 10) -> list[dict]:
    """The account's open alerts: the open ALERT tasks of the work queue, newest first."""
    tasks = Task.objects.filter(account=account, kind=TaskKind.ALERT, status__in=OPEN_STATUSES).order_by("-created_at")
    return [{"at": task.created_at, "kind": "alert", "title": task.display_title, "detail": task.reason_text,
             "status": task.get_status_display(), "url": _task_url(task), "open": True, "id": task.pk}
            for task in tasks[:limit]]


def _task_url(task) -> str:
    return reverse("planning:task-detail", args=[task.pk])


# -- service catalog and ordering ---------------------------------------------------------------

def service_catalog(account=None) -> list[dict]:
    """Services the field or inside sales can order: those offered to the account, else every active one."""
    if account is not None:
        rows = catalog_names_for_account(account)
    else:
        rows = ServiceCatalogEntry.objects.filter(active=True).values_list("code", "name_de", "name_en")
    return [{"code": code, "name": in_language(name_de, name_en)} for code, name_de, name_en in rows[:200]]


class ServiceOrderFailed(Exception):
    def __init__(self, message: str, field: str = "service"):
        super().__init__(message)
        self.field = field


def service_order_create(*, code: str, account, requester, contact=None, note: str = "", source: str = "app"):
    """Order the catalog service ``code`` from a call or a visit report; raises ServiceOrderFailed."""
    entry = ServiceCatalogEntry.objects.filter(code=code).first()
    if entry is None:
        raise ServiceOrderFailed(f"service: unknown service {code!r}")
    # From a visit report or a call the note is the request: it fills the service's required text inputs.
    inputs = {field["name"]: note for field in entry.input_fields()
              if field["required"] and field["type"] in TEXT_INPUTS and note}
    try:
        return service_services.service_order_create(service=entry, account=account, requester=requester,
                                                     inputs=inputs, contact=contact, note=note, source=source)
    except (ServiceOrderError, TaskError) as exc:  # domain errors carry a clear message (and the field)
        raise ServiceOrderFailed(str(exc), getattr(exc, "field", "") or "service") from exc
