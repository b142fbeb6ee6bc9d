"""Catalog and contract maintenance by the two leads (every change recorded by simple_history).

The contract is in force once the sales lead (VL) and the inside-sales lead (IDL) both accepted it. An
accepted contract is never edited: a change is a new version (a draft copy) that both accept again.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core.access import can
from isf.core.numbers import NumberParseError, to_decimal
from isf.core.params import shown
from isf.org.choices import Role
from isf.service.choices import TargetUnit
from isf.service.errors import ContractError
from isf.service.models import ContractLine, SegmentTarget, ServiceCatalogEntry, ServiceContract
from isf.service.service_levels import segment_targets_clean, target_number

CONTRACT_FIELDS = ("period", "valid_from", "valid_to", "max_discount_percent", "max_goodwill_eur",
                   "max_payment_term_days", "due_soon_fraction", "notes")
ENTRY_FIELDS = ("name_de", "name_en", "description_de", "description_en", "target_value", "target_unit",
                "effort_minutes", "default_team", "inputs", "process_steps", "active", "sort_order")


def _require_lead(user, action: str) -> None:
    """The access declaration decides (isf/service/access.py, the page that does ``action``), not a role list here."""
    if user is None or not can(user, f"service:{action}", "POST"):
        raise ContractError(_("only the sales lead and the inside-sales lead can change the catalog and the contract"),
                            rule="lead.only")


@transaction.atomic
def catalog_entry_save(*, user, entry: ServiceCatalogEntry | None = None, data: dict,
                       segments=None) -> ServiceCatalogEntry:
    """Create or change a catalog entry (IDL or VL); the change is recorded with its author."""
    _require_lead(user, "catalog-edit")
    entry = entry or ServiceCatalogEntry(code=data.get("code", ""))
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    if Decimal(entry.target_value or 0) <= 0:
        raise ContractError(_("The service level must be greater than zero."), field="target_value")
    entry._history_user = user
    entry.save()
    if segments is not None:
        entry.segments.set(segments)
    return entry


@transaction.atomic
def contract_save(*, user, contract: ServiceContract | None = None, data: dict,
                  lines: list[dict] | None = None) -> ServiceContract:
    """Create a draft or change a not yet fully accepted contract; resets a one-sided acceptance."""
    _require_lead(user, "contract-edit")
    if contract is not None:
        contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
        if contract.is_accepted:
            raise ContractError(_("Contract %(contract)s is accepted by both leads and cannot be changed; "
                                  "create a new version.") % {"contract": contract}, rule="contract.accepted")
    else:
        period = data.get("period") or str(data["valid_from"].year)
        latest = ServiceContract.objects.filter(period=period).aggregate(v=Max("version"))["v"] or 0
        contract = ServiceContract(period=period, version=latest + 1)
    for name in CONTRACT_FIELDS:
        if name in data and data[name] is not None:
            setattr(contract, name, data[name])
    if contract.valid_to < contract.valid_from:
        raise ContractError(_("“Valid to” must not be before “valid from”."), field="valid_to")
    contract.accepted_by_vl = contract.accepted_by_idl = None
    contract.accepted_by_vl_at = contract.accepted_by_idl_at = None
    contract._history_user = user
    contract.save()
    if lines is not None:
        _save_lines(contract, lines, user)
    return contract


def _typed_number(value, service, label: str, *, whole: bool) -> Decimal:
    """A contract line's number as typed on the page (German 1,5 / 1.000), or a ContractError naming the field."""
    try:
        number = to_decimal(value)
    except NumberParseError:
        number = None
    if number is None or number < 0 or number >= 10**9 or (whole and number != number.to_integral_value()):
        raise ContractError(_("“%(value)s” in “%(label)s” of %(service)s is not a valid number.")
                            % {"value": shown(str(value)), "label": label, "service": service.name},
                            field=f"lines.{service.code}")
    return number


def _save_lines(contract: ServiceContract, lines: list[dict], user) -> None:
    """Write the contract's lines; a row with ``segment_targets`` replaces the line's service levels per segment
    (a row without the key leaves them as they are). Everything is checked before the first write."""
    checked = []
    for row in lines:
        service = row["service"]
        value = row.get("target_value")
        target = target_number(service.target_value if value is None or str(value).strip() == "" else value,
                               service=service, label=_("Service level"))
        volume = int(_typed_number(row.get("expected_monthly_volume") or 0, service, _("Expected per month"),
                                   whole=True))
        per_segment = (segment_targets_clean(service, row["segment_targets"])
                       if row.get("segment_targets") is not None else None)
        unit = row.get("target_unit") or service.target_unit
        if unit not in TargetUnit.values:
            raise ContractError(_("“%(unit)s” is not a unit of a service level (business hours or business days).")
                                % {"unit": shown(str(unit))}, field=f"lines.{service.code}")
        checked.append((service, target, unit, volume, per_segment))
    keep = []
    for service, target, unit, volume, per_segment in checked:
        line = ContractLine.objects.filter(contract=contract, service=service).first() or ContractLine(
            contract=contract, service=service)
        line.target_value, line.target_unit, line.expected_monthly_volume = target, unit, volume
        line._history_user = user
        line.save()
        keep.append(line.pk)
        if per_segment is not None:
            _save_segment_targets(line, per_segment, user)
    ContractLine.objects.filter(contract=contract).exclude(pk__in=keep).delete()


def _save_segment_targets(line: ContractLine, targets: list[tuple], user) -> None:
    """Set the line's service levels per segment to ``targets`` (each change recorded with its author)."""
    current = {t.segment_id: t for t in line.segment_targets.all()}
    for segment, value, unit in targets:
        target = current.pop(segment.pk, None) or SegmentTarget(line=line, segment=segment)
        if target.pk and (target.target_value, target.target_unit) == (value, unit):
            continue
        target.target_value, target.target_unit = value, unit
        target._history_user = user
        target.save()
    for stale in current.values():
        stale._history_user = user
        stale.delete()


@transaction.atomic
def contract_new_version(*, user, contract: ServiceContract) -> ServiceContract:
    """Copy a contract into the next draft version of its period (lines included)."""
    _require_lead(user, "contract-new-version")
    latest = ServiceContract.objects.filter(period=contract.period).aggregate(v=Max("version"))["v"] or 0
    copy = ServiceContract(period=contract.period, version=latest + 1,
                           **{name: getattr(contract, name) for name in CONTRACT_FIELDS if name != "period"})
    copy._history_user = user
    copy.save()
    for line in contract.lines.prefetch_related("segment_targets"):
        new = ContractLine.objects.create(contract=copy, service=line.service, target_value=line.target_value,
                                          target_unit=line.target_unit,
                                          expected_monthly_volume=line.expected_monthly_volume)
        for target in line.segment_targets.all():
            SegmentTarget.objects.create(line=new, segment=target.segment, target_value=target.target_value,
                                         target_unit=target.target_unit)
    return copy


@transaction.atomic
def contract_accept(*, user, contract: ServiceContract, on: date | None = None) -> ServiceContract:
    """The VL or the IDL accepts the contract for their side."""
    contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    now = timezone.now()
    if user.role == Role.SALES_LEAD:
        if contract.accepted_by_vl_id:
            raise ContractError(_("The sales lead has already accepted this contract."), rule="contract.accept")
        contract.accepted_by_vl, contract.accepted_by_vl_at = user, now
    elif user.role == Role.INSIDE_LEAD:
        if contract.accepted_by_idl_id:
            raise ContractError(_("The inside-sales lead has already accepted this contract."), rule="contract.accept")
        contract.accepted_by_idl, contract.accepted_by_idl_at = user, now
    else:
        raise ContractError(_("Only the sales lead and the inside-sales lead accept the contract."),
                            rule="contract.accept")
    contract._history_user = user
    contract.save()
    return contract
