"""Writes with business rules: segment definitions, assignment, overrides, the ABC helper."""

import time as _time
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.customers.models import Account
from isf.customers.selectors import twelve_months_ago
from isf.customers.services import accounts_segment_set_bulk, accounts_team_follow_segment, accounts_team_from_segment
from isf.org.choices import Role
from isf.org.models import Team
from isf.segmentation import engine
from isf.segmentation.choices import ChangeSource, RuleCustomerType
from isf.segmentation.defaults import DEFAULT_SEGMENTS, rule_dicts
from isf.segmentation.models import Segment, SegmentChange, SegmentOverride, SegmentRule
from isf.segmentation.rules import BEHAVIOUR_FIELDS, RuleSpec, find_conflicts, rule_errors, snapshot

CHUNK = 5000
SEGMENT_FIELDS = ("code", "name_de", "name_en", "criteria", "particularities", "precedence", "care_budget", "team")
RULE_FIELDS = ("revenue_min", "revenue_max", "potential_min", "potential_max", "customer_type", *BEHAVIOUR_FIELDS)


class SegmentError(Exception):
    """A refused segment write; `field` names the offending input when there is one."""

    def __init__(self, message: str, field: str | None = None, conflicts: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflicts = conflicts or [message]


def can_edit_segments(user) -> bool:
    return user.role == Role.SALES_LEAD


def _require_editor(actor) -> None:
    if actor is not None and not can_edit_segments(actor):
        raise SegmentError(_("Only the sales lead may change segments."))


def segments_check() -> None:
    """Raise SegmentError naming every conflict in the stored rule set."""
    specs = [RuleSpec.of(r) for r in engine.ordered_rules()]
    conflicts = find_conflicts(specs)
    if conflicts:
        raise SegmentError(" ".join(conflicts), conflicts=conflicts)


@transaction.atomic
def segment_save(*, segment: Segment | None, data: dict, rules: list[dict], actor=None) -> Segment:
    """Create or update a segment with its complete rule list; refused (nothing saved) on any conflict.

    `rules` replaces the segment's rules: each dict has the RULE_FIELDS (None = open bound).
    """
    _require_editor(actor)
    segment = segment or Segment()
    old_team_id = segment.team_id if segment.pk else None
    for field in SEGMENT_FIELDS:
        if field in data:
            setattr(segment, field, data[field])
    if not segment.code or not segment.name_de or not segment.name_en:
        raise SegmentError(_("Code and both names are required."), field="code")
    if segment.care_budget is None or Decimal(segment.care_budget) < 0:
        raise SegmentError(_("The care budget must not be negative."), field="care_budget")
    if Segment.objects.filter(code=segment.code).exclude(pk=segment.pk).exists():
        raise SegmentError(_("A segment with code %(code)s already exists.") % {"code": segment.code}, field="code")
    for i, rule in enumerate(rules, start=1):
        unknown = sorted(set(rule) - set(RULE_FIELDS) - {"DELETE"})
        if unknown:
            raise SegmentError(_("Rule %(pos)s: unknown criterion “%(name)s”. A rule can use: %(known)s.")
                               % {"pos": i, "name": unknown[0], "known": ", ".join(RULE_FIELDS)}, field=unknown[0])
        spec = RuleSpec(segment.code, segment.precedence, position=i,
                        **{f: rule.get(f) if rule.get(f) not in ("", None)  # a bound of 0 is a bound (trend)
                           else (RuleCustomerType.ANY if f == "customer_type" else None) for f in RULE_FIELDS})
        errors = rule_errors(spec)
        if errors:
            field, message = errors[0]
            raise SegmentError(_("Rule %(pos)s: %(message)s") % {"pos": i, "message": message}, field=field)
    segment.save()
    existing = list(segment.rules.order_by("position", "pk"))
    for i, values in enumerate(rules, start=1):
        rule = existing[i - 1] if i <= len(existing) else SegmentRule(segment=segment)
        rule.position = i
        for field in RULE_FIELDS:
            value = values.get(field)
            setattr(rule, field, value if value not in ("", None) else (RuleCustomerType.ANY if field == "customer_type"
                                                                         else None))
        rule.save()
    for stale in existing[len(rules):]:
        stale.delete()
    segments_check()
    if old_team_id != segment.team_id and old_team_id is not None:
        # accounts whose team followed the segment follow it to the new team
        accounts_team_follow_segment(segment_id=segment.pk, old_team_id=old_team_id, new_team_id=segment.team_id)
    return segment


@transaction.atomic
def segments_create_defaults(*, teams: dict[str, Team] | None = None) -> list[Segment]:
    """Create the default set KA, MP, SMB, C, D, PRIV where missing (existing codes are left alone)."""
    teams = teams if teams is not None else {t.code: t for t in Team.objects.all()}
    created = []
    for code, de, en, team, budget, precedence, criteria, particularities, rules in DEFAULT_SEGMENTS:
        if Segment.objects.filter(code=code).exists():
            continue
        segment = Segment.objects.create(
            code=code, name_de=de, name_en=en, team=teams.get(team), care_budget=Decimal(budget),
            precedence=precedence, criteria=criteria, particularities=particularities,
        )
        for i, values in enumerate(rule_dicts(rules), start=1):
            SegmentRule.objects.create(segment=segment, position=i, **values)
        created.append(segment)
    segments_check()
    return created


def _moment(today: date | None) -> tuple[date, datetime]:
    real = timezone.localdate()
    if today is None or today == real:
        return real, timezone.now()
    return today, timezone.make_aware(datetime.combine(today, time(2, 0)))


def _apply_moves(moves: list[dict], *, at: datetime, actor) -> int:
    """moves: dicts with account_id, old, new, source, rule, snapshot, revenue, potential, reason."""
    if not moves:
        return 0
    team_of = dict(Segment.objects.values_list("pk", "team_id"))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for m in moves:
        groups[(m["old"], m["new"])].append(m["account_id"])
    for (old, new), pks in groups.items():
        # the team follows the segment unless someone gave the account another team
        accounts_segment_set_bulk(pks=pks, segment_id=new, old_team_id=team_of.get(old), new_team_id=team_of.get(new))
    SegmentChange.objects.bulk_create(
        [SegmentChange(account_id=m["account_id"], from_segment_id=m["old"], to_segment_id=m["new"],
                       source=m["source"], rule_id=m.get("rule"), rule_snapshot=m.get("snapshot") or {},
                       revenue_12m=m.get("revenue"), potential=m.get("potential"), reason=m.get("reason", ""),
                       changed_at=at, changed_by=actor)
         for m in moves],
        batch_size=CHUNK,
    )
    return len(moves)


def _rule_moves(*, today: date, account_ids=None, source=ChangeSource.RULE, reason="") -> list[dict]:
    rules = {r.pk: r for r in engine.ordered_rules()}
    return [
        {"account_id": m.account_id, "old": m.old_segment_id, "new": m.new_segment_id, "source": source,
         "rule": m.rule_id, "snapshot": snapshot(rules[m.rule_id]) if m.rule_id in rules else {},
         "revenue": m.revenue_12m, "potential": m.potential, "reason": reason}
        for m in engine.pending_moves(since=twelve_months_ago(today), until=today, account_ids=account_ids)
    ]


def segments_assign_all(*, today: date | None = None, actor=None, progress=None) -> dict:
    """Assign every account to its segment (the nightly run).

    Ends overrides whose validity has passed (those accounts fall back to the rules), keeps
    accounts with an open override in the override's segment, evaluates the rules for all
    others in one query and writes the changes in bulk, each recorded as a SegmentChange.
    Returns {"accounts", "changed", "per_segment", "overrides_expired", "teams_set", "seconds"}.
    """
    started = _time.perf_counter()
    progress = progress or (lambda msg: None)
    today, at = _moment(today)
    with transaction.atomic():
        segments_check()
        expired = list(SegmentOverride.objects.filter(ended_at__isnull=True, valid_until__lt=today))
        for override in expired:
            override.ended_at = at
            override.save(update_fields=["ended_at"])
        expired_accounts = {o.account_id for o in expired}
        progress(f"{len(expired)} overrides expired")
        # accounts with an open override stay in (or go to) the override's segment
        override_moves = [
            {"account_id": o.account_id, "old": o.account.segment_id, "new": o.segment_id,
             "source": ChangeSource.OVERRIDE, "reason": o.reason}
            for o in SegmentOverride.objects.filter(ended_at__isnull=True).select_related("account")
            .filter(Q(account__segment__isnull=True) | ~Q(account__segment_id=F("segment_id")))
        ]
        progress("evaluating rules …")
        moves = _rule_moves(today=today)
        for m in moves:
            if m["account_id"] in expired_accounts:
                m["source"] = ChangeSource.OVERRIDE_EXPIRED
        changed = _apply_moves(override_moves + moves, at=at, actor=actor)
        progress(f"{changed} accounts changed segment")
        teams_set = 0
        for segment in Segment.objects.filter(team__isnull=False):
            teams_set += accounts_team_from_segment(segment_id=segment.pk, team_id=segment.team_id)
        per_segment = {code or "": n for code, n in
                       Account.objects.values_list("segment__code").annotate(n=Count("pk")).values_list(
                           "segment__code", "n")}
    per_segment = {code: per_segment.get(code, 0) for code in Segment.objects.values_list("code", flat=True)} | (
        {"": per_segment[""]} if per_segment.get("") else {})
    return {
        "accounts": sum(per_segment.values()),
        "changed": changed,
        "per_segment": per_segment,
        "overrides_expired": len(expired),
        "teams_set": teams_set,
        "date": today.isoformat(),
        "seconds": round(_time.perf_counter() - started, 2),
    }


@transaction.atomic
def segments_assign_accounts(*, account_ids: list[int], today: date | None = None, actor=None) -> dict:
    """Assign the given accounts (e.g. just imported) to their segments at once, by the nightly run's rules.

    The same evaluation and moves as :func:`segments_assign_all`, limited to these accounts: the team follows
    the segment unless the account has another. Returns {"changed", "per_segment"} (segment code -> accounts
    among the given ones, "" for none).
    """
    today, at = _moment(today)
    ids = list(account_ids)
    changed = 0
    for start in range(0, len(ids), CHUNK):
        moves = _rule_moves(today=today, account_ids=ids[start:start + CHUNK])
        changed += _apply_moves(moves, at=at, actor=actor)
    per_segment: dict[str, int] = defaultdict(int)
    for start in range(0, len(ids), CHUNK):
        for code, n in (Account.objects.filter(pk__in=ids[start:start + CHUNK]).values_list("segment__code")
                        .annotate(n=Count("pk")).values_list("segment__code", "n")):
            per_segment[code or ""] += n
    return {"changed": changed, "per_segment": dict(per_segment)}


@transaction.atomic
def segment_override_set(*, account: Account, segment: Segment, reason: str, valid_until: date | None = None,
                         actor=None, today: date | None = None) -> SegmentOverride:
    """Put an account into a segment by hand (with reason, optionally until a date)."""
    _require_editor(actor)
    today, at = _moment(today)
    reason = (reason or "").strip()
    if not reason:
        raise SegmentError(_("Please give a reason for the override."), field="reason")
    if valid_until is not None and valid_until <= today:
        raise SegmentError(_("“Valid until” must be in the future."), field="valid_until")
    account = Account.objects.select_for_update().get(pk=account.pk)
    for previous in SegmentOverride.objects.filter(account=account, ended_at__isnull=True):
        previous.ended_at = at
        previous.save(update_fields=["ended_at"])
    override = SegmentOverride.objects.create(account=account, segment=segment, reason=reason[:300],
                                              valid_until=valid_until, created_by=actor)
    if account.segment_id != segment.pk:
        _apply_moves([{"account_id": account.pk, "old": account.segment_id, "new": segment.pk,
                       "source": ChangeSource.OVERRIDE, "reason": reason[:300]}], at=at, actor=actor)
    return override


@transaction.atomic
def segment_override_end(*, account: Account, actor=None, today: date | None = None) -> int:
    """End the account's open override; the rules decide its segment again at once. Returns changes made."""
    _require_editor(actor)
    today, at = _moment(today)
    open_overrides = list(SegmentOverride.objects.filter(account=account, ended_at__isnull=True))
    if not open_overrides:
        raise SegmentError(_("This account has no open override."), field="override")
    for override in open_overrides:
        override.ended_at = at
        override.save(update_fields=["ended_at"])
    moves = _rule_moves(today=today, account_ids=[account.pk],
                        source=ChangeSource.OVERRIDE_ENDED)
    return _apply_moves(moves, at=at, actor=actor)


@transaction.atomic
def abc_apply(*, threshold_a: Decimal, threshold_b: Decimal, segment_a: Segment | None, segment_b: Segment | None,
              segment_c: Segment | None = None, actor=None) -> list[Segment]:
    """Write ABC revenue thresholds into the chosen segments' revenue rules (A from tA, B from tB below tA,
    C below tB); refused with the conflict named if the resulting rule set is contradictory."""
    _require_editor(actor)
    if threshold_a is None or threshold_b is None or threshold_b <= 0 or threshold_a <= threshold_b:
        raise SegmentError(_("The A threshold must be above the B threshold, and both above 0."), field="threshold_a")
    chosen = [s for s in (segment_a, segment_b, segment_c) if s is not None]
    if len({s.pk for s in chosen}) != len(chosen):
        raise SegmentError(_("Choose a different segment for each class."), field="segment_a")
    changed = []
    for segment, low, high in ((segment_a, threshold_a, None), (segment_b, threshold_b, threshold_a),
                               (segment_c, None, threshold_b)):
        if segment is None:
            continue
        rule = (segment.rules.filter(potential_min__isnull=True, potential_max__isnull=True,
                                     **{f"{f}__isnull": True for f in BEHAVIOUR_FIELDS})
                .order_by("position").first())
        if rule is None:
            rule = SegmentRule(segment=segment, position=segment.rules.count() + 1,
                               customer_type=RuleCustomerType.B2B)
        rule.revenue_min, rule.revenue_max = low, high
        rule.save()
        changed.append(segment)
    segments_check()
    return changed
