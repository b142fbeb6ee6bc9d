"""Adapters to the data of other apps (service orders, call log, alerts, campaigns).

Capacity reads facts that other features produce. Those features are built in parallel and may not be
installed (or not migrated) yet, so every model is looked up at runtime: a missing source yields
``None`` and the pages say "no data yet" instead of failing. Field names are checked, not assumed,
where the other app's contract only names the fields (the call log) - the first model that has them wins.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

CALL_FIELDS = ("direction", "started_at", "duration_seconds")


def model_or_none(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model ``app_label.model_name`` if its app is installed and defines it, else None."""
    if not apps.is_installed(f"isf.{app_label}"):
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def find_model(app_label: str, required: tuple[str, ...], preferred: tuple[str, ...] = ()) -> type[models.Model] | None:
    """The first model of ``app_label`` that has every field in ``required`` (``preferred`` names first)."""
    if not apps.is_installed(f"isf.{app_label}"):
        return None
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return None
    candidates = sorted(config.get_models(), key=lambda m: (m.__name__ not in preferred, m.__name__))
    for model in candidates:
        if model.__name__.startswith("Historical"):
            continue
        if set(required) <= _field_names(model):
            return model
    return None


def first_field(model, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that ``model`` has (e.g. the timestamp of an event: at / created_at / ...)."""
    existing = _field_names(model)
    return next((n for n in names if n in existing), None)


def call_model():
    """The call-log model (``isf.calls``): direction, started_at, duration_seconds, team, agent, ..."""
    return find_model("calls", CALL_FIELDS, preferred=("Call", "CallLog", "CallRecord"))


def service_order_model():
    return model_or_none("service", "ServiceOrder")


def service_event_model():
    """The event model of service orders: a foreign key to ServiceOrder and a target status."""
    order = service_order_model()
    if order is None:
        return None
    candidates = []
    for model in apps.get_app_config("service").get_models():
        if model is order or model.__name__.startswith("Historical"):
            continue
        if any(f.many_to_one and getattr(f, "related_model", None) is order for f in model._meta.get_fields()):
            candidates.append(model)
    for name in STATUS_TO_FIELDS:  # the most specific field name wins (to_status before a generic status)
        for model in candidates:
            if name in _field_names(model):
                return model
    return None


def rating_model():
    """Ratings of service orders: a model with a one-to-one/foreign key to ServiceOrder and a score."""
    order = service_order_model()
    if order is None:
        return None
    for model in apps.get_app_config("service").get_models():
        if model.__name__.startswith("Historical"):
            continue
        names = _field_names(model)
        if fk_name(model, order) and ({"score", "stars"} & names):
            return model
    return None


def contract_line_model():
    """Contract lines with the expected monthly volume per catalog service."""
    return find_model("service", ("expected_monthly_volume", "service"), preferred=("ContractLine",))


def catalog_model():
    """The service catalog entry: the model ServiceOrder points to that carries a standard effort."""
    order = service_order_model()
    if order is None:
        return None
    for f in order._meta.get_fields():
        related = getattr(f, "related_model", None)
        if f.many_to_one and related is not None and first_field(related, EFFORT_FIELDS):
            return related
    return None


def fk_name(model, related) -> str | None:
    """Name of the foreign key from ``model`` to ``related``."""
    for f in model._meta.get_fields():
        if (f.many_to_one or f.one_to_one) and f.concrete and getattr(f, "related_model", None) is related:
            return f.name
    return None


STATUS_TO_FIELDS = ("to_status", "status_to", "new_status", "to_state")
STATUS_FROM_FIELDS = ("from_status", "status_from", "old_status", "from_state")
EVENT_TIME_FIELDS = ("at", "occurred_at", "created_at", "timestamp", "happened_at")
ORDER_REQUESTED_FIELDS = ("requested_at", "created_at", "received_at", "ordered_at")
EFFORT_FIELDS = ("standard_effort_minutes", "standard_effort", "effort_minutes")
#: logged effort on an order (none of the catalog names, so a catalog field is never mistaken for a log)
LOGGED_EFFORT_FIELDS = ("effort_logged_minutes", "actual_effort_minutes", "logged_effort_minutes", "logged_minutes")
SLA_HOURS_FIELDS = ("service_level_hours", "sla_hours", "service_level_business_hours", "target_hours")
RATING_FIELDS = ("rating", "requester_rating", "stars")
RATING_COMMENT_FIELDS = ("rating_comment", "feedback", "rating_note")


def alert_model():
    return model_or_none("monitoring", "Alert") or find_model("monitoring", ("account", "flag"))


def campaign_model():
    return model_or_none("campaigns", "Campaign")


def has_table(model) -> bool:
    """The model's table exists (an app can be installed before its migration ran)."""
    from django.db import connection

    return model is not None and model._meta.db_table in connection.introspection.table_names()
