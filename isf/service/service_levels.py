"""Service levels per segment: which target applies to an order, how a contract line's segment targets are read
from what people typed, and how the contract page shows them (a segment's own target or "falls back to default").

The one rule for the applied target is :func:`service_level_for`: the contract line's target for the account's
segment, else the line's default, else (no line in the contract in force) the catalog's. The order stores what
applied when it was received (``ServiceOrder.sla_value``/``sla_unit``/``sla_source``/``segment`` and the clock's
``target_seconds``), so a later contract version never rewrites an order's SLA, its report or its KPIs.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from isf.core.numbers import NumberParseError, format_number, to_decimal
from isf.core.params import shown
from isf.service.choices import SlaSource, TargetUnit, service_level_text
from isf.service.errors import ContractError

#: the largest service level a contract can hold (the database keeps 6 digits, 2 of them decimals)
MAX_TARGET = Decimal("9999")


@dataclass(frozen=True)
class AppliedLevel:
    """The service level an order gets: value and unit as agreed, and where it came from."""

    value: Decimal
    unit: str
    source: str  # SlaSource
    segment_id: int | None = None

    @property
    def label(self) -> str:
        return service_level_text(self.value, self.unit)


def service_level_for(*, contract, service, segment_id: int | None) -> AppliedLevel:
    """The service level of ``service`` for an account of segment ``segment_id`` under ``contract`` (or None)."""
    line = contract.lines.filter(service=service).first() if contract is not None else None
    if line is None:
        return AppliedLevel(Decimal(service.target_value), service.target_unit, SlaSource.CATALOG, segment_id)
    if segment_id:
        target = line.segment_targets.filter(segment_id=segment_id).first()
        if target is not None:
            return AppliedLevel(target.target_value, target.target_unit, SlaSource.SEGMENT, segment_id)
    return AppliedLevel(line.target_value, line.target_unit, SlaSource.CONTRACT, segment_id)


def service_levels_for(*, contract, segment_id: int | None) -> dict[int, AppliedLevel]:
    """:func:`service_level_for` of every service in ``contract`` at once (two queries), by service id; a service
    missing here has the catalog's level."""
    from isf.service.models import SegmentTarget

    if contract is None:
        return {}
    levels = {line.service_id: AppliedLevel(line.target_value, line.target_unit, SlaSource.CONTRACT, segment_id)
              for line in contract.lines.all()}
    if segment_id:
        for target in SegmentTarget.objects.filter(line__contract=contract, segment_id=segment_id).select_related(
                "line"):
            levels[target.line.service_id] = AppliedLevel(target.target_value, target.target_unit,
                                                          SlaSource.SEGMENT, segment_id)
    return levels


def label_services(services, *, contract, account) -> list:
    """The services with ``level_label``: the service level an order for ``account`` would get now (the
    contract's default without an account), so the order pages promise what the clock will measure."""
    from isf.service.models import SegmentTarget

    levels = service_levels_for(contract=contract, segment_id=account.segment_id if account else None)
    varying = set() if account is not None or contract is None else set(
        SegmentTarget.objects.filter(line__contract=contract).values_list("line__service_id", flat=True))
    services = list(services)
    for service in services:
        level = levels.get(service.pk)
        service.level_label = level.label if level else service.service_level_label
        service.level_varies = service.pk in varying  # no account chosen yet: the default, segments differ
    return services


def label_accounts(accounts, *, contract, service) -> list:
    """The accounts with ``level_label``: the service level an order of ``service`` would get for each (its
    segment's own target or the default), for the account choice of the order form."""
    accounts = list(accounts)
    by_segment = {}
    for account in accounts:
        if account.segment_id not in by_segment:
            by_segment[account.segment_id] = service_level_for(contract=contract, service=service,
                                                               segment_id=account.segment_id).label
        account.level_label = by_segment[account.segment_id]
    return accounts


def target_number(value, *, service, label: str) -> Decimal:
    """A service level as typed (German ``1,5``, English ``1.5``): above zero and at most :data:`MAX_TARGET`,
    else a ContractError that names the service and the field."""
    try:
        number = to_decimal(value)
    except NumberParseError:
        number = None
    if number is None:
        raise ContractError(_("“%(value)s” in “%(label)s” of %(service)s is not a valid number.")
                            % {"value": shown(str(value)), "label": label, "service": service.name},
                            field=f"lines.{service.code}")
    if number <= 0:
        raise ContractError(_("The service level “%(label)s” of %(service)s must be greater than zero "
                              "(“%(value)s”).")
                            % {"value": shown(str(value)), "label": label, "service": service.name},
                            field=f"lines.{service.code}")
    if number > MAX_TARGET:
        raise ContractError(_("The service level “%(label)s” of %(service)s can be at most %(max)s.")
                            % {"label": label, "service": service.name, "max": format_number(MAX_TARGET)},
                            field=f"lines.{service.code}")
    return number


def _segment(ref, segments: dict):
    """A segment given as a model instance, its id or its code."""
    if hasattr(ref, "pk"):
        return segments.get(ref.pk)
    text = str(ref).strip()
    return next((s for s in segments.values() if s.code == text), None) or (
        segments.get(int(text)) if text.isdigit() else None)


def segment_targets_clean(service, rows: list[dict]) -> list[tuple]:
    """``[(segment, value, unit)]`` from a line's ``segment_targets`` rows ``{"segment", "target_value",
    "target_unit"}``. A row without a value is no target (the segment falls back to the line's default). A segment
    that does not exist, one the service is not offered to, a segment named twice, a value that is no number or not
    above zero and a unit that does not exist are refused naming the service and the segment."""
    from isf.segmentation.models import Segment

    segments = {s.pk: s for s in Segment.objects.all()}
    offered = set(service.segments.values_list("pk", flat=True))
    cleaned, seen = [], set()
    for row in rows:
        value = row.get("target_value")
        if value is None or str(value).strip() == "":
            continue
        segment = _segment(row.get("segment"), segments)
        if segment is None:
            raise ContractError(_("There is no segment “%(segment)s”; service levels can be set for: %(known)s.")
                                % {"segment": shown(str(row.get("segment"))),
                                   "known": ", ".join(s.code for s in segments.values())},
                                field=f"lines.{service.code}.segments", rule="segment.unknown")
        if offered and segment.pk not in offered:
            raise ContractError(_("%(service)s is not offered to segment %(segment)s, so a service level for it "
                                  "would never apply.") % {"service": service.name, "segment": segment.name},
                                field=f"lines.{service.code}.segments", rule="catalog.segments")
        if segment.pk in seen:
            raise ContractError(_("The service level of %(service)s for segment %(segment)s is given twice.")
                                % {"service": service.name, "segment": segment.name},
                                field=f"lines.{service.code}.segments")
        seen.add(segment.pk)
        unit = row.get("target_unit") or TargetUnit.HOURS
        if unit not in TargetUnit.values:
            raise ContractError(_("“%(unit)s” is not a unit of a service level (business hours or business days).")
                                % {"unit": shown(str(unit))}, field=f"lines.{service.code}.segments")
        number = target_number(value, service=service, label=_("Service level for %(segment)s")
                               % {"segment": segment.name})
        cleaned.append((segment, number, unit))
    return cleaned


@dataclass(frozen=True)
class SegmentLevels:
    """One contract line as the contract's text shows it per segment: the segments with a target of their own, those
    that fall back to the line's default, and those the catalog does not offer the service to."""

    line: object
    own: list  # [(segment, SegmentTarget)]
    fallback: list  # [segment]
    not_offered: list  # [segment]


def segment_matrix(lines, segments) -> list[SegmentLevels]:
    """Per line of the contract page its :class:`SegmentLevels` (segments in their order of precedence)."""
    rows = []
    for line in lines:
        own = {t.segment_id: t for t in line.segment_targets.all()}
        offered = {s.pk for s in line.service.segments.all()}
        is_offered = [not offered or s.pk in offered for s in segments]
        rows.append(SegmentLevels(
            line=line, own=[(s, own[s.pk]) for s in segments if s.pk in own],
            fallback=[s for s, ok in zip(segments, is_offered, strict=True) if ok and s.pk not in own],
            not_offered=[s for s, ok in zip(segments, is_offered, strict=True) if not ok and s.pk not in own]))
    return rows


def contract_body_context(contract) -> dict:
    """What the contract's text shows (page, print and PDF alike): its lines and their service levels per segment."""
    from isf.segmentation.models import Segment

    lines = contract.lines.select_related("service").prefetch_related("segment_targets", "service__segments")
    segments = list(Segment.objects.all())
    return {"contract": contract, "lines": lines, "segments": segments,
            "segment_rows": segment_matrix(lines, segments)}
