"""The one writer of accounts, contacts and phone numbers.

Every other app (imports, the API, lead conversion, visit reports, segmentation, inside-sales
capture, owner re-assignment) changes a customer's master data through the functions here, so the
history entry, the normalised phone numbers and the validation happen in one place.
"""


# Owners ------------------------------------------------------------------------------------------------------------
# Who owns an account (a field rep or an inside team): placed by the owner rules (isf.customers.owners) for new and
# re-segmented accounts, moved in bulk by the sales lead. Each change is an OwnerChange (the account's timeline).

from collections import defaultdict  # noqa: E402
from datetime import date, datetime, time, timedelta  # noqa: E402

from django.db import transaction  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

OWNER_CHUNK = 2000


class OwnerError(Exception):
    """A refused owner write; ``field`` names the input at fault. Nothing was changed."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _owner_moment(today: date | None) -> datetime:
    if today is None or today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(2, 30)))


def _owner_moves_write(moves: list[tuple], *, source: str, reason: str = "", actor=None, at: datetime) -> int:
    """moves: (account id, old rep id, old team id, new rep id, new team id). The owning team also serves the account
    (``team``); an account leaving a team for a field rep goes back to its segment's team."""
    from isf.customers.models import Account, OwnerChange
    from isf.segmentation.models import Segment

    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, _old_rep, old_team, new_rep, new_team in moves:
        groups[(new_rep, new_team, old_team)].append(pk)
    segment_team = Subquery(Segment.objects.filter(pk=OuterRef("segment_id")).values("team_id")[:1])
    for (new_rep, new_team, old_team), pks in groups.items():
        for start in range(0, len(pks), OWNER_CHUNK):
            chunk = Account.objects.filter(pk__in=pks[start:start + OWNER_CHUNK])
            if new_team is not None:
                chunk.update(owner_id=None, owner_team_id=new_team, team_id=new_team)
            else:
                if old_team is not None:
                    chunk.filter(team_id=old_team).update(team_id=segment_team)
                chunk.update(owner_id=new_rep, owner_team_id=None)
    OwnerChange.objects.bulk_create(
        [OwnerChange(account_id=pk, from_owner_id=old_rep, from_team_id=old_team, to_owner_id=new_rep,
                     to_team_id=new_team, source=source, reason=reason[:300], changed_at=at, changed_by=actor)
         for pk, old_rep, old_team, new_rep, new_team in moves],
        batch_size=OWNER_CHUNK,
    )
    return len(moves)


@transaction.atomic
def accounts_place_owners(*, account_ids: list[int] | None = None, source: str, today: date | None = None,
                          actor=None, reason: str = "") -> dict:
    """Give the accounts (all when ``account_ids`` is None) the owner the owner rules name for their segment and
    region (isf.customers.owners.owner_by_rules). Returns {"changed", "to_reps", "to_teams"}."""
    from isf.customers.models import Account
    from isf.customers.owners import owner_by_rules, region_reps, rule_table

    table, reps, at = rule_table(), region_reps(), _owner_moment(today)
    rows = Account.objects.values_list("pk", "segment_id", "region_id", "owner_id", "owner_team_id")
    batches = ([rows] if account_ids is None else
               [rows.filter(pk__in=account_ids[i:i + OWNER_CHUNK]) for i in range(0, len(account_ids), OWNER_CHUNK)])
    moves = []
    for batch in batches:
        for pk, segment, region, rep, team in batch.order_by("pk").iterator(chunk_size=OWNER_CHUNK):
            new_rep, new_team = owner_by_rules(segment, region, table=table, reps=reps)
            if (new_rep, new_team) != (rep, team) and (new_rep or new_team):
                moves.append((pk, rep, team, new_rep, new_team))
    _owner_moves_write(moves, source=source, reason=reason, actor=actor, at=at)
    return {"changed": len(moves), "to_reps": sum(1 for m in moves if m[3]), "to_teams": sum(1 for m in moves if m[4])}


def owners_place_nightly(*, today: date | None = None, progress=None) -> dict:
    """The nightly run's owners: accounts without any owner, and accounts whose segment changed today, get the
    owner the rules name (an owner the sales lead chose stays until the account changes segment)."""
    from isf.customers.models import Account
    from isf.segmentation.models import SegmentChange

    day = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    ids = set(Account.objects.filter(owner__isnull=True, owner_team__isnull=True).values_list("pk", flat=True))
    ids |= set(SegmentChange.objects.filter(changed_at__gte=start, changed_at__lt=start + timedelta(days=1))
               .values_list("account_id", flat=True))
    result = accounts_place_owners(account_ids=sorted(ids), source="rule", today=today)
    if progress:
        progress(f"{result['changed']:,} accounts placed by the owner rules")
    return result


def _owner_target_check(*, to_owner, to_team) -> None:
    from isf.customers.owners import team_has_agents
    from isf.org.choices import Role

    if (to_owner is None) == (to_team is None):
        raise OwnerError(_("Choose the new owner: a field rep or an inside team."), "to")
    if to_owner is not None and (to_owner.role != Role.FIELD_REP or not to_owner.is_active):
        raise OwnerError(_("%(user)s is not an active field rep.") % {"user": to_owner}, "to")
    if to_team is not None and not team_has_agents(to_team):
        raise OwnerError(_("The inside team %(team)s has no agents: it cannot own accounts.") % {"team": to_team.name},
                         "to")


def owners_reassign_check(selection, *, to_owner=None, to_team=None) -> int:
    """Refuse a re-assignment that cannot be done (with a message naming why); returns how many accounts move."""
    from isf.customers.owners import owner_label, selected_accounts

    if selection.empty:
        raise OwnerError(_("Choose a segment, a region or a current owner."), "segment")
    _owner_target_check(to_owner=to_owner, to_team=to_team)
    if ((to_owner is not None and selection.from_owner == to_owner)
            or (to_team is not None and selection.from_team == to_team)):
        raise OwnerError(_("The current and the new owner are the same (%(owner)s).")
                         % {"owner": owner_label(to_owner, to_team)}, "to")
    count = selected_accounts(selection, to_owner=to_owner, to_team=to_team).count()
    if not count:
        if selected_accounts(selection).exists():
            raise OwnerError(_("Every selected account already belongs to %(owner)s.")
                             % {"owner": owner_label(to_owner, to_team)}, "to")
        raise OwnerError(_("No account matches this selection."), "segment")
    return count


@transaction.atomic
def owners_reassign(selection, *, to_owner=None, to_team=None, actor, expected: int | None = None, reason: str = "",
                    as_rule: bool = False, today: date | None = None) -> dict:
    """Move the selected accounts to the new owner (each with its OwnerChange on the timeline); ``expected`` is the
    count the preview showed (refused if the selection changed since). ``as_rule`` also makes it the segment's
    (and region's) owner rule for accounts placed later. Returns {"changed", "rule"}."""
    from isf.customers.owners import selected_accounts

    count = owners_reassign_check(selection, to_owner=to_owner, to_team=to_team)
    if expected is not None and expected != count:
        raise OwnerError(_("The selection has changed since the preview (now %(count)s accounts): check the preview "
                           "again.") % {"count": count}, "expected")
    if as_rule and (selection.segment is None or selection.from_owner is not None or selection.from_team is not None):
        raise OwnerError(_("Only a selection by segment (and region) can become an owner rule."), "as_rule")
    reason = (reason or "").strip()
    new_rep, new_team = (to_owner.pk if to_owner else None), (to_team.pk if to_team else None)
    moves = [(pk, rep, team, new_rep, new_team) for pk, rep, team in
             selected_accounts(selection, to_owner=to_owner, to_team=to_team).select_for_update()
             .values_list("pk", "owner_id", "owner_team_id").order_by("pk")]
    changed = _owner_moves_write(moves, source="reassign", reason=reason, actor=actor, at=_owner_moment(today))
    rule = owner_rule_save(segment=selection.segment, region=selection.region, owner=to_owner, team=to_team,
                           actor=actor) if as_rule else None
    return {"changed": changed, "rule": rule}


@transaction.atomic
def owner_rule_save(*, segment, region=None, owner=None, team=None, actor=None):
    """Set who owns the segment's accounts in ``region`` (None: every region without a rule of its own)."""
    from isf.customers.models import OwnerRule

    if segment is None:
        raise OwnerError(_("Choose a segment."), "segment")
    _owner_target_check(to_owner=owner, to_team=team)
    rule, _created = OwnerRule.objects.update_or_create(segment=segment, region=region,
                                                        defaults={"owner": owner, "team": team})
    return rule


#: the segments an inside team owns by default: the inside channel for C, D and private customers (Schuler/Haller)
DEFAULT_TEAM_OWNED = ("C", "D", "PRIV")


@transaction.atomic
def owner_rules_create_defaults() -> list:
    """Where missing, a rule for each of :data:`DEFAULT_TEAM_OWNED`: the segment's own inside team owns its accounts
    in every region (a segment without a team, or whose team has no agents, gets none). Returns the rules created."""
    from isf.customers.models import OwnerRule
    from isf.customers.owners import team_has_agents
    from isf.segmentation.models import Segment

    created = []
    for segment in Segment.objects.filter(code__in=DEFAULT_TEAM_OWNED, team__isnull=False).select_related("team"):
        if not OwnerRule.objects.filter(segment=segment, region__isnull=True).exists() and team_has_agents(
                segment.team):
            created.append(OwnerRule.objects.create(segment=segment, team=segment.team))
    return created


@transaction.atomic
def owner_rule_delete(*, rule, actor=None) -> None:
    """Remove a rule: the segment's accounts in its region go to the region's field rep when next placed."""
    rule.delete()
