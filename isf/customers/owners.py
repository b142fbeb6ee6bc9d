"""Who owns an account: the owner rules (segment × region → field rep or inside team), read in one place by the
nightly run, imports and the re-assignment page, and the person "the owner" means for approvals, notifications
and rights (the field rep, or the lead of the inside team that owns the account).

Writes are in :mod:`isf.customers.services` (block "Owners").
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from isf.customers.models import Account, OrderLine, OwnerRule
from isf.org.choices import Role

#: rule table: (segment id, region id or None for every region) -> (field rep id, inside team id)
RuleTable = dict[tuple[int, int | None], tuple[int | None, int | None]]
PREVIEW_ROWS = 50  # accounts the re-assignment preview lists by name (the totals count all)


def rule_table() -> RuleTable:
    return {(segment, region): (owner, team)
            for segment, region, owner, team in OwnerRule.objects.values_list("segment_id", "region_id", "owner_id",
                                                                               "team_id")}


def region_reps() -> dict[int, int]:
    """region id -> its field rep (the first active one), the owner where no rule says otherwise."""
    from isf.org.models import User

    reps: dict[int, int] = {}
    for region, pk in (User.objects.filter(role=Role.FIELD_REP, is_active=True, region__isnull=False)
                       .order_by("pk").values_list("region_id", "pk")):
        reps.setdefault(region, pk)
    return reps


def owner_by_rules(segment_id: int | None, region_id: int | None, *, table: RuleTable,
                   reps: dict[int, int]) -> tuple[int | None, int | None]:
    """(field rep id, inside team id) the rules give an account of this segment and region: the rule of the segment
    and region, else the segment's rule for every region, else the region's field rep."""
    if segment_id is not None:
        found = table.get((segment_id, region_id)) or table.get((segment_id, None))
        if found:
            return found
    return (reps.get(region_id) if region_id is not None else None), None


def team_lead(team):
    """The inside-sales lead of ``team``: an active IDL of that team, else the first active IDL (one IDL leads
    every team in a small company)."""
    from isf.org.models import User

    leads = User.objects.filter(role=Role.INSIDE_LEAD, is_active=True)
    if team is not None:
        own = leads.filter(team=team).order_by("pk").first()
        if own is not None:
            return own
    return leads.order_by("pk").first()


def responsible_for(account):
    """The person "the owner" means: the field rep who owns the account, or the lead of the owning inside team;
    None when the account has neither (the caller decides the fallback, e.g. the sales lead)."""
    if account.owner_id and account.owner.is_active:
        return account.owner
    if account.owner_team_id:
        return team_lead(account.owner_team)
    return None


def is_owner(user, account) -> bool:
    """Whether ``user`` holds the owner's rights on ``account`` (field rep as owner, or lead of the owning team)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if account.owner_id:
        return account.owner_id == user.pk
    if account.owner_team_id and user.role == Role.INSIDE_LEAD:
        lead = responsible_for(account)
        return lead is not None and lead.pk == user.pk
    return False


def owner_label(owner, team) -> str:
    """'Anna Huber' or 'Team C/D/Privat (inside team)' in the active language; '–' for none."""
    if owner is not None:
        return str(owner)
    if team is not None:
        return _("%(team)s (inside team)") % {"team": team.name}
    return "–"


def team_has_agents(team) -> bool:
    return team.members.filter(role=Role.INSIDE_AGENT, is_active=True).exists()


@dataclass(frozen=True)
class Selection:
    """What a re-assignment selects: segment, region and current owner (each optional, at least one given)."""

    segment: object = None
    region: object = None
    from_owner: object = None  # a field rep
    from_team: object = None  # an inside team as owner

    @property
    def empty(self) -> bool:
        return all(x is None for x in (self.segment, self.region, self.from_owner, self.from_team))


def selected_accounts(selection: Selection, *, to_owner=None, to_team=None) -> QuerySet[Account]:
    """The accounts the selection names that do not have the new owner yet."""
    qs = Account.objects.all()
    if selection.segment is not None:
        qs = qs.filter(segment=selection.segment)
    if selection.region is not None:
        qs = qs.filter(region=selection.region)
    if selection.from_owner is not None:
        qs = qs.filter(owner=selection.from_owner)
    if selection.from_team is not None:
        qs = qs.filter(owner_team=selection.from_team)
    if to_owner is not None:
        qs = qs.exclude(owner=to_owner)
    if to_team is not None:
        qs = qs.exclude(Q(owner_team=to_team) & Q(owner__isnull=True))
    return qs


def reassignment_preview(selection: Selection, *, to_owner=None, to_team=None, today) -> dict:
    """What would move: the number of accounts, their revenue of the last 12 months and potential, per current
    owner, and the first :data:`PREVIEW_ROWS` accounts by potential."""
    from isf.customers.selectors import twelve_months_ago

    qs = selected_accounts(selection, to_owner=to_owner, to_team=to_team)
    since = twelve_months_ago(today)
    count = qs.count()
    potential = qs.aggregate(total=Sum("potential"))["total"] or Decimal(0)
    lines = OrderLine.objects.filter(account__in=qs.values("pk"), order_date__gt=since, order_date__lte=today)
    revenue = lines.aggregate(total=Sum("net_revenue"))["total"] or Decimal(0)
    rows = list(qs.select_related("segment", "region", "owner", "owner_team").order_by("-potential", "pk")
                [:PREVIEW_ROWS])
    per_account = dict(lines.filter(account__in=[a.pk for a in rows]).values_list("account_id")
                       .annotate(total=Sum("net_revenue")).values_list("account_id", "total"))
    for account in rows:
        account.revenue_12m = per_account.get(account.pk, Decimal(0))
        account.owner_text = owner_label(account.owner, account.owner_team)
    by_owner = {(owner, team): n for owner, team, n in
                qs.order_by().values_list("owner", "owner_team").annotate(n=Count("pk")).values_list(
                    "owner", "owner_team", "n")}
    return {"count": count, "potential": potential, "revenue": revenue, "rows": rows, "more": max(count - len(rows), 0),
            "from_owners": _owner_counts(by_owner)}


def _owner_counts(by_owner: dict) -> list[tuple[str, int]]:
    from isf.org.models import Team, User

    users = User.objects.in_bulk([o for o, _t in by_owner if o])
    teams = Team.objects.in_bulk([t for _o, t in by_owner if t])
    out = [(owner_label(users.get(o), teams.get(t)), n) for (o, t), n in by_owner.items()]
    return sorted(out, key=lambda pair: (-pair[1], pair[0]))


def owner_side(person) -> str:
    """The work-queue side of a task for the owner: the field's for a field rep, inside sales' for a team lead."""
    from isf.planning.choices import Side

    return Side.FIELD if person is not None and person.role == Role.FIELD_REP else Side.INSIDE


def owner_changes_for(account, limit: int = 30) -> list[dict]:
    """The account's owner changes for the timeline, newest first: '<old> → <new>', why and who."""
    from isf.customers.models import OwnerChange

    rows = (OwnerChange.objects.filter(account=account)
            .select_related("from_owner", "from_team", "to_owner", "to_team", "changed_by")[:limit])
    return [{"at": c.changed_at, "kind": "owner",
             "title": _("Owner: %(old)s → %(new)s") % {"old": owner_label(c.from_owner, c.from_team),
                                                      "new": owner_label(c.to_owner, c.to_team)},
             "detail": " · ".join(part for part in (str(c.get_source_display()), c.reason, str(c.changed_by or ""))
                                  if part)[:300],
             "status": "", "url": None} for c in rows]
