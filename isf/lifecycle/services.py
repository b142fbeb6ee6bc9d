"""Writes on the lifecycle: the bulk rule run, manual overrides, and the rules themselves.

`lifecycle_update_all` derives every account's phase from one aggregate over the orders (first,
last and count of orders, plus the first order inside the won-back window and the last before it)
and writes only the accounts whose phase changes, each with a PhaseChange row. A phase set by a
person or by monitoring (source manual/monitoring) holds until the account orders again.
"""

import time
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core.rows import insert_dicts
from isf.customers.models import Account, Order
from isf.customers.services import account_phase_set, accounts_phase_set_bulk
from isf.lifecycle.choices import Phase, PhaseSource
from isf.lifecycle.models import LifecycleRules, PhaseChange
from isf.lifecycle.rules import OrderFacts, RuleParams, derive_phase

CHUNK = 5000


class LifecycleError(Exception):
    """Refused lifecycle change; `field` names the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def rule_params(rules: LifecycleRules | None = None) -> RuleParams:
    rules = rules or LifecycleRules.current()
    return RuleParams(
        new_days=rules.new_days,
        lost_days=rules.lost_days,
        won_back_days=rules.won_back_days,
        at_risk_factor=float(rules.at_risk_factor),
        at_risk_min_orders=rules.at_risk_min_orders,
    )


def _to_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _holds() -> dict[int, date]:
    """Accounts whose latest phase change was made by a person or by monitoring: the date it was set."""
    manual = dict(
        PhaseChange.objects.filter(source__in=[PhaseSource.MANUAL, PhaseSource.MONITORING])
        .values("account_id")
        .annotate(at=Max("at"))
        .order_by()
        .values_list("account_id", "at")
    )
    ids = list(manual)
    rule_latest: dict[int, datetime] = {}
    for start in range(0, len(ids), CHUNK):
        rule_latest.update(
            PhaseChange.objects.filter(source=PhaseSource.RULE, account_id__in=ids[start : start + CHUNK])
            .values("account_id")
            .annotate(at=Max("at"))
            .order_by()
            .values_list("account_id", "at")
        )
    return {
        acc: timezone.localtime(at).date()
        for acc, at in manual.items()
        if acc not in rule_latest or at >= rule_latest[acc]
    }


@transaction.atomic
def lifecycle_update_all(*, today: date | None = None, progress=lambda msg: None) -> dict:
    """Derive every account's phase from its orders; record and apply the changes. Returns counts."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    params = rule_params()
    cutoff = today - timedelta(days=params.won_back_days)
    now = timezone.now()
    facts: dict[int, OrderFacts] = {}
    rows = (
        Order.objects.filter(date__lte=today)
        .values("account_id")
        .annotate(
            first=Min("date"),
            last=Max("date"),
            n=Count("pk"),
            first_recent=Min("date", filter=Q(date__gte=cutoff)),
            last_before=Max("date", filter=Q(date__lt=cutoff)),
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=CHUNK):
        facts[row["account_id"]] = OrderFacts(
            _to_date(row["first"]), _to_date(row["last"]), row["n"],
            _to_date(row["first_recent"]), _to_date(row["last_before"]),
        )
    progress(f"order facts of {len(facts):,} accounts")
    holds = _holds()
    empty = OrderFacts(None, None, 0)
    changes: list[dict] = []
    by_phase: dict[str, list[int]] = {}
    held = 0
    accounts = Account.objects.values_list("pk", "phase").order_by()
    for pk, current in accounts.iterator(chunk_size=CHUNK):
        f = facts.get(pk, empty)
        hold = holds.get(pk)
        if hold is not None and (f.last is None or f.last <= hold):
            held += 1
            continue
        derived = derive_phase(f, today=today, params=params, current=current)
        if derived.phase == current:
            continue
        changes.append({
            "account_id": pk, "from_phase": current, "to_phase": derived.phase, "reason": derived.reason[:300],
            "reason_en": derived.reason_en[:300], "at": now, "source": PhaseSource.RULE,
            "effective": derived.effective or today,
        })
        by_phase.setdefault(derived.phase, []).append(pk)
    for phase, pks in by_phase.items():
        accounts_phase_set_bulk(pks=pks, phase=phase, at=now)
    insert_dicts(PhaseChange, changes)
    counts = dict(Account.objects.values_list("phase").annotate(n=Count("pk")).order_by())
    result = {
        "date": today.isoformat(),
        "accounts": sum(counts.values()),
        "changed": len(changes),
        "held": held,
        "transitions": {phase: len(pks) for phase, pks in sorted(by_phase.items())},
        "phases": {phase: counts.get(phase, 0) for phase in Phase.values},
        "seconds": round(time.perf_counter() - started, 2),
    }
    progress(f"{len(changes):,} phase changes")
    return result


@transaction.atomic
def lifecycle_set_phase(
    *, account, phase: str, reason: str, actor=None, source: str = PhaseSource.RULE, reason_en: str = ""
) -> PhaseChange | None:
    """Set an account's phase with a reason; returns the recorded change (None if the phase is unchanged).

    A person (actor given) always counts as a manual override; monitoring passes source="monitoring".
    Manual and monitoring phases hold until the account orders again.
    """
    if phase not in Phase.values:
        raise LifecycleError(f"unknown phase {phase!r}", field="phase")
    if source not in PhaseSource.values:
        raise LifecycleError(f"unknown source {source!r}", field="source")
    if actor is not None and source == PhaseSource.RULE:
        source = PhaseSource.MANUAL
    if not (reason or "").strip():
        raise LifecycleError(_("Give a reason for the phase change."), field="reason")
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.phase == phase:
        return None
    change = PhaseChange.objects.create(
        account=account, from_phase=account.phase, to_phase=phase, reason=reason.strip()[:300],
        reason_en=(reason_en or reason).strip()[:300], at=timezone.now(), source=source, actor=actor,
        effective=timezone.localdate(),
    )
    account_phase_set(account=account, phase=phase)
    return change


def lifecycle_set_phase_bulk(
    *, reasons: dict[int, tuple[str, str]], phase: str, source: str, only_from: tuple[str, ...], today: date
) -> int:
    """Set the phase of many accounts at once (e.g. monitoring's first run over a large base); returns how many changed.

    ``reasons`` maps account pk to (German, English) reason. Only accounts currently in one of ``only_from``
    change; each change gets its PhaseChange row, as `lifecycle_set_phase` writes it, and the same hold
    rules apply afterwards. No per-account row lock: the caller runs inside its own transaction.
    """
    if phase not in Phase.values:
        raise LifecycleError(f"unknown phase {phase!r}", field="phase")
    if source not in PhaseSource.values or source == PhaseSource.MANUAL:
        raise LifecycleError(f"unknown source {source!r}", field="source")
    now = timezone.now()
    pks = sorted(reasons)
    changed = 0
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        current = dict(Account.objects.filter(pk__in=chunk, phase__in=only_from).values_list("pk", "phase").order_by())
        if not current:
            continue
        changed += accounts_phase_set_bulk(pks=list(current), phase=phase, at=now, only_from=only_from)
        insert_dicts(PhaseChange, [
            {"account_id": pk, "from_phase": old, "to_phase": phase, "reason": reasons[pk][0].strip()[:300],
             "reason_en": (reasons[pk][1] or reasons[pk][0]).strip()[:300], "at": now, "effective": today,
             "source": source}
            for pk, old in current.items()
        ])
    return changed


RULE_FIELDS = {
    "new_days": (1, 730),
    "lost_days": (30, 1825),
    "won_back_days": (1, 730),
    "at_risk_factor": (1, 20),
    "at_risk_min_orders": (2, 100),
}


def _label(field: str) -> str:
    """How messages name a rule: its label in the page language."""
    return str(LifecycleRules._meta.get_field(field).verbose_name)


@transaction.atomic
def lifecycle_rules_update(*, data: dict, actor=None) -> LifecycleRules:
    """Change the phase rules; every value checked first, nothing saved on an error."""
    rules = LifecycleRules.current()
    values = {}
    for field, (low, high) in RULE_FIELDS.items():
        if field not in data:
            continue
        value = data[field]
        if value is None or not (low <= value <= high):  # Decimal or int: compared exactly, never overflows
            raise LifecycleError(_("“%(label)s” must be between %(low)s and %(high)s.")
                                 % {"label": _label(field), "low": low, "high": high}, field=field)
        values[field] = value
    lost = values.get("lost_days", rules.lost_days)
    won_back = values.get("won_back_days", rules.won_back_days)
    if won_back >= lost:
        raise LifecycleError(_("“%(won_back)s” must be shorter than “%(lost)s”.")
                             % {"won_back": _label("won_back_days"), "lost": _label("lost_days")}, field="won_back_days")
    for field, value in values.items():
        setattr(rules, field, value)
    rules.save()
    return rules
