"""Writes of the capacity app: call-volume imports, absences, staffing parameters, adopting a standard effort."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from isf.capacity import sources
from isf.capacity.models import Absence, CallVolume, StaffingParameters, VolumeSource
from isf.capacity.processtimes import team_calendar
from isf.capacity.volumefile import VolumeFileError, read_volume_file


class CapacityError(Exception):
    """A capacity write that the rules do not allow; the message names the field or rule."""

    def __init__(self, message: str, field: str = "", details: list[dict] | None = None):
        super().__init__(message)
        self.field = field
        self.details = details or []  # a rejected file: every problem with its row, column, value and message


def _team(team):
    from isf.org.models import Team

    if team is None or isinstance(team, Team):
        return team
    found = Team.objects.filter(code__iexact=str(team)).first()
    if found is None:
        known = ", ".join(Team.objects.values_list("code", flat=True)) or "none"
        raise CapacityError(f"team {team!r} does not exist (known: {known})", field="team")
    return found


def call_volumes_import(*, path: str | Path, team=None, dry_run: bool = False,
                        source: str = VolumeSource.TELEPHONY, timezone: str | None = None,
                        mapping: dict[str, str] | None = None) -> dict:
    """Import a call-centre interval export (``isf.capacity.volumefile``: start or date + time, offered calls;
    5-, 15- or 30-minute intervals; only the open intervals need to be listed) for a team.

    All or nothing: a file with unparseable rows, negative counts, duplicates or more gaps inside the team's
    opening hours than ``MAX_GAP_SHARE`` raises :class:`CapacityError` naming the rows and stores nothing; fewer
    gaps are ``warnings``. Importing the same period again replaces the stored intervals of that period
    (idempotent). ``team`` is a Team, a team code or None (the whole inside-sales line, whose closed intervals
    follow the file's weekly pattern). Local times are the team calendar's time zone unless ``timezone`` names one.
    ``mapping`` (figure -> column heading) names columns whose headings are not recognised. The error's ``details``
    list every problem with its row; a dry run counts the stored intervals it would replace.
    """
    team_obj = _team(team)
    try:
        parsed = read_volume_file(path, timezone or None, calendar=team_calendar(team_obj) if team_obj else None,
                                  mapping=mapping)
    except VolumeFileError as exc:
        raise CapacityError(str(exc), field="file", details=exc.details) from None
    result = {
        "file": str(path),
        "team": team_obj.code if team_obj else None,
        "rows": len(parsed.counts),
        "calls": sum(parsed.counts),
        "resolution_minutes": parsed.resolution_minutes,
        "first_interval": parsed.first_local.strftime("%Y-%m-%d %H:%M"),
        "last_interval": parsed.last_local.strftime("%Y-%m-%d %H:%M"),
        "closed_intervals": parsed.closed_intervals,
        "gaps": parsed.gaps,
        "warnings": parsed.warnings,
        "answered": parsed.answered,
        "abandoned": parsed.abandoned,
        "aht_seconds": parsed.aht_seconds,
        "timezone": parsed.timezone,
        "dry_run": dry_run,
        "replaced": 0,
        "imported": 0,
    }
    if dry_run:
        result["replaced"] = CallVolume.objects.filter(
            team=team_obj, start__gte=parsed.starts_utc[0], start__lte=parsed.starts_utc[-1]).count()
        return result
    with transaction.atomic():
        existing = CallVolume.objects.filter(
            team=team_obj, start__gte=parsed.starts_utc[0], start__lte=parsed.starts_utc[-1]
        )
        result["replaced"] = existing.count()
        existing.delete()
        CallVolume.objects.bulk_create(
            [
                CallVolume(team=team_obj, start=start, resolution_minutes=parsed.resolution_minutes, calls=calls,
                           source=source, answered=detail.get("answered"), abandoned=detail.get("abandoned"),
                           aht_seconds=detail.get("aht_seconds"))
                for start, calls, detail in zip(parsed.starts_utc, parsed.counts,
                                                parsed.details or [{}] * len(parsed.counts), strict=True)
            ],
            batch_size=2000,
        )
    result["imported"] = len(parsed.counts)
    return result


@transaction.atomic
def absence_create(*, user, first_day: date, last_day: date, kind: str = "vacation", note: str = "") -> Absence:
    if last_day < first_day:
        raise CapacityError(f"last day {last_day} is before first day {first_day}", field="last_day")
    overlap = Absence.objects.filter(user=user, first_day__lte=last_day, last_day__gte=first_day).first()
    if overlap is not None:
        raise CapacityError(f"{user} is already absent {overlap.first_day}–{overlap.last_day}", field="first_day")
    return Absence.objects.create(user=user, first_day=first_day, last_day=last_day, kind=kind, note=note[:200])


def staffing_parameters_for(team) -> StaffingParameters:
    """The team's parameters (defaults, unsaved, when the IDL has not set any)."""
    found = StaffingParameters.objects.filter(team=team).first()
    return found or StaffingParameters(team=team)


@transaction.atomic
def staffing_parameters_update(*, team, **values) -> StaffingParameters:
    params = StaffingParameters.objects.select_for_update().filter(team=team).first() or StaffingParameters(team=team)
    for name, value in values.items():
        setattr(params, name, value)
    if not 0 <= Decimal(params.shrinkage) < 1:
        raise CapacityError(f"shrinkage must be in [0, 1), got {params.shrinkage}", field="shrinkage")
    if not 0 < Decimal(params.max_occupancy) <= 1:
        raise CapacityError(f"maximum occupancy must be in (0, 1], got {params.max_occupancy}", field="max_occupancy")
    if int(params.aht_seconds) <= 0:
        raise CapacityError(f"handling time must be greater than 0, got {params.aht_seconds}", field="aht_seconds")
    params.save()
    return params


@transaction.atomic
def standard_effort_adopt(*, service_id: int, minutes, user) -> str:
    """Set a catalog service's standard effort to the measured value.

    Calls ``isf.service.services.service_catalog_update_standard_effort`` when the service app provides it;
    otherwise updates the catalog model's standard-effort field directly (``save()`` writes the model's
    history record if it has one). Returns which route was taken: ``"service"`` or ``"model"``.
    """
    try:
        value = Decimal(str(minutes)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise CapacityError(f"measured effort {minutes!r} is not a number", field="minutes") from None
    if value <= 0:
        raise CapacityError(f"measured effort must be greater than 0 minutes, got {value}", field="minutes")
    try:
        from isf.service import services as service_services
    except ImportError:
        service_services = None
    update = getattr(service_services, "service_catalog_update_standard_effort", None)
    catalog = sources.catalog_model()
    if catalog is None:
        raise CapacityError("the service catalog is not available yet", field="service")
    entry = catalog.objects.filter(pk=service_id).first()
    if entry is None:
        raise CapacityError(f"service {service_id} does not exist", field="service")
    if update is not None:
        try:
            update(entry=entry, minutes=value, user=user)
        except TypeError:
            update(service_id=service_id, minutes=value, user=user)
        return "service"
    field = sources.first_field(catalog, sources.EFFORT_FIELDS)
    field_obj = catalog._meta.get_field(field)
    setattr(entry, field, value if field_obj.get_internal_type() == "DecimalField" else int(round(value)))
    entry._change_reason = "standard effort adopted from measured process times"
    entry.save(update_fields=[field])
    return "model"
