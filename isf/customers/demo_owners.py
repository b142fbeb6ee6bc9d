"""Demo content for account owners (issue 20): the C/D/private channel owns its segments, placed by the owner rules
as real use places them; a pilot region where the SMB team owns the SMB customers (the VL's bulk re-assignment,
made the rule for new accounts); approval requests of accounts the C/D/private channel owns, at the IDL.

Runs right after the segmentation step, so every later step (service orders, visits, campaigns) sees the owners.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from isf.customers.choices import OwnerSource
from isf.customers.models import Account
from isf.customers.owners import Selection
from isf.customers.services import accounts_place_owners, owner_rules_create_defaults, owners_reassign
from isf.org.choices import Role
from isf.org.models import Region
from isf.segmentation.models import Segment

CHANNEL_START_DAYS = 120  # the channel took over its customers four months ago
PILOT = ("SMB", "FRA", "SMB", 40,
         "Pilot Rhein-Main: SMB-Kunden betreut das SMB-Team telefonisch, der Außendienst besucht nach Bedarf")
APPROVALS = [
    # kind, value, reason, days ago, answered by the IDL (None: still waiting)
    ("discount", Decimal("8"), "Sammelbestellung Werkstattbedarf, Wettbewerbsangebot liegt vor", 9, True),
    ("goodwill", Decimal("250"), "Lieferverzug beim Kompressor, Kunde verärgert", 2, None),
    ("discount", Decimal("10"), "Jahresabnahme Befestigungstechnik zugesagt, bittet um Staffelrabatt", 1, None),
]


def load(ctx) -> None:
    if ctx.teams.get("CDP") is None:
        return
    owner_rules_create_defaults()  # C, D and private customers: owned by the team serving them (C/D/private channel)
    placed = accounts_place_owners(source=OwnerSource.RULE, today=ctx.today - timedelta(days=CHANNEL_START_DAYS),
                                   reason="Einführung des Innendienst-Kanals C/D/Privatkunden")
    ctx.progress(f"owners: {placed['to_teams']:,} accounts to the C/D/private channel")
    _pilot(ctx)
    _approvals(ctx)


def _pilot(ctx) -> None:
    code, region_code, team_code, days, reason = PILOT
    segment, region = Segment.objects.filter(code=code).first(), Region.objects.filter(code=region_code).first()
    team = ctx.teams.get(team_code)
    if segment is None or region is None or team is None:
        return
    selection = Selection(segment=segment, region=region)
    if not Account.objects.filter(segment=segment, region=region).exclude(owner_team=team).exists():
        return
    owners_reassign(selection, to_team=team, actor=ctx.users.get("vl"), reason=reason, as_rule=True,
                    today=ctx.today - timedelta(days=days))


def _approvals(ctx) -> None:
    from isf.service.decisions import approval_decide, approval_request_create
    from isf.service.errors import ServiceOrderError

    agents = [u for u in ctx.users.values() if u.team_id == ctx.teams["CDP"].pk and u.role == Role.INSIDE_AGENT]
    accounts = list(Account.objects.filter(owner_team=ctx.teams["CDP"], customer_type="b2b")
                    .order_by("-potential", "pk")[:len(APPROVALS)])
    if not agents:
        return
    for i, (account, (kind, value, reason, days, answered)) in enumerate(zip(accounts, APPROVALS, strict=False)):
        at = timezone.make_aware(datetime.combine(ctx.today - timedelta(days=days), time(10, 15)))
        try:
            decision = approval_request_create(account=account, requested_by=agents[i % len(agents)], kind=kind,
                                               value=value, reason=reason, now=at)
        except ServiceOrderError:
            continue
        if answered is not None:
            approval_decide(decision=decision, user=decision.approver, approve=answered,
                            note="Einverstanden, Kunde ist strategisch wichtig für den Kanal.",
                            now=at + timedelta(hours=4))

