"""The data of other apps that capacity reads: the call log (isf.calls) and the service orders with their events,
ratings, catalog and contract lines (isf.service), imported directly.

kpis, processtimes, staffing and services build their queries with ``first_field`` / ``fk_name`` and the field
names below, which name the service app's fields; an empty tuple means the service app keeps no such field,
and the figure that would need it is left out.
"""

from __future__ import annotations

from isf.calls.models import CallLog
from isf.service.models import ContractLine, ServiceCatalogEntry, ServiceOrder, ServiceOrderEvent, ServiceRating

STATUS_TO_FIELDS = ("to_status",)  # ServiceOrderEvent
STATUS_FROM_FIELDS = ("from_status",)  # ServiceOrderEvent
EVENT_TIME_FIELDS = ("at",)  # ServiceOrderEvent
ORDER_REQUESTED_FIELDS = ("created_at",)  # ServiceOrder: received
EFFORT_FIELDS = ("effort_minutes",)  # ServiceCatalogEntry: standard effort
#: logged effort on an order: ServiceOrder logs none (process times come from its events)
LOGGED_EFFORT_FIELDS: tuple[str, ...] = ()
#: service level in hours on the catalog: none (it is target_value + target_unit, read by processtimes)
SLA_HOURS_FIELDS: tuple[str, ...] = ()


def first_field(model, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that ``model`` has."""
    existing = {f.name for f in model._meta.get_fields()}
    return next((n for n in names if n in existing), None)


def fk_name(model, related) -> str | None:
    """Name of the foreign key (or one-to-one) from ``model`` to ``related``."""
    for f in model._meta.get_fields():
        if (f.many_to_one or f.one_to_one) and f.concrete and getattr(f, "related_model", None) is related:
            return f.name
    return None


def call_model() -> type[CallLog]:
    """The call log: direction, started_at, duration_seconds, team, agent, ..."""
    return CallLog


def service_order_model() -> type[ServiceOrder]:
    return ServiceOrder


def service_event_model() -> type[ServiceOrderEvent]:
    """The status timeline of service orders (order, from_status, to_status, at)."""
    return ServiceOrderEvent


def rating_model() -> type[ServiceRating]:
    """The requester's rating of a service order (order, score, comment)."""
    return ServiceRating


def contract_line_model() -> type[ContractLine]:
    """Contract lines with the expected monthly volume per catalog service."""
    return ContractLine


def catalog_model() -> type[ServiceCatalogEntry]:
    """The service catalog entry with its standard effort."""
    return ServiceCatalogEntry
