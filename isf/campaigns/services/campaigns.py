"""Campaign target lists under UWG §7 consent rules, call lists, attempts and outcomes."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import (
    FINAL_OUTCOMES,
    CallOutcome,
    CampaignKind,
    ConsentBasis,
    EntryStatus,
    ExclusionReason,
)
from isf.campaigns.clock import add_business_days
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import CallAttempt, CallListEntry, Campaign
from isf.customers.choices import CustomerType, Industry
from isf.customers.models import Account, Order, OrderLine, PhoneNumber, ProductGroup
from isf.customers.services import account_opt_out_set
from isf.lifecycle.choices import Phase
from isf.org.choices import Role
from isf.org.models import Region, User
from isf.planning.choices import TaskKind
from isf.planning.services import task_create, tasks_close_by_key
from isf.segmentation.models import Segment

FILTER_KEYS = (
    "segment",
    "phase",
    "region",
    "industry",
    "customer_type",
    "bought_group",
    "not_bought_group",
    "last_order_from",
    "last_order_to",
    "lost_within_months",
    "account",  # picked accounts (ids), e.g. from the care-cost lists (isf.targets)
)
MAX_PICKED_ACCOUNTS = 5000
#: Without a later attempt time, a "not reached" is retried this many business days later.
RETRY_BUSINESS_DAYS = 0.5
#: An account counts as lost after this many days without an order (as in the lifecycle demo).
LOST_AFTER_DAYS = 365


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _as_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CampaignsError(
            _("'%(value)s' is not a date (YYYY-MM-DD).") % {"field": field, "value": value}, field
        ) from None


def clean_filters(filters: dict) -> dict:
    """Validate the filter values; unknown codes are refused with the field named."""
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise CampaignsError(
            _("Unknown filter %(join)s.") % {"join": ", ".join(sorted(unknown))}, sorted(unknown)[0]
        )
    clean: dict = {}
    segs = _as_list(filters.get("segment"))
    if segs:
        known = set(Segment.objects.filter(code__in=segs).values_list("code", flat=True))
        if set(segs) - known:
            raise CampaignsError(
                _("Unknown segment %(join)s.") % {"join": ", ".join(sorted(set(segs) - known))}, "segment"
            )
        clean["segment"] = segs
    phases = _as_list(filters.get("phase"))
    if set(phases) - set(Phase.values):
        raise CampaignsError(
            _("Unknown phase %(join)s.") % {"join": ", ".join(sorted(set(phases) - set(Phase.values)))}, "phase"
        )
    if phases:
        clean["phase"] = phases
    regions = _as_list(filters.get("region"))
    if regions:
        if not all(r.isdigit() for r in regions) or Region.objects.filter(pk__in=regions).count() != len(set(regions)):
            raise CampaignsError(_("Unknown region %(join)s.") % {"join": ", ".join(regions)}, "region")
        clean["region"] = [int(r) for r in regions]
    industries = _as_list(filters.get("industry"))
    if set(industries) - set(Industry.values):
        raise CampaignsError(_("Unknown WZ section %(join)s.") % {"join": ", ".join(industries)}, "industry")
    if industries:
        clean["industry"] = industries
    ctype = str(filters.get("customer_type") or "")
    if ctype and ctype not in CustomerType.values:
        raise CampaignsError(_("'%(ctype)s' is not b2b or b2c.") % {"ctype": ctype}, "customer_type")
    if ctype:
        clean["customer_type"] = ctype
    for key in ("bought_group", "not_bought_group"):
        code = str(filters.get(key) or "").strip()
        if code:
            if not ProductGroup.objects.filter(code=code).exists():
                raise CampaignsError(_("Unknown product group '%(code)s'.") % {"key": key, "code": code}, key)
            clean[key] = code
    for key in ("last_order_from", "last_order_to"):
        value = _as_date(filters.get(key), key)
        if value:
            clean[key] = value.isoformat()
    if (
        clean.get("last_order_from")
        and clean.get("last_order_to")
        and clean["last_order_from"] > clean["last_order_to"]
    ):
        raise CampaignsError(_("The end of the last-order period lies before its start."), "last_order_to")
    lost = filters.get("lost_within_months")
    if lost not in (None, ""):
        try:
            months = int(lost)
        except (TypeError, ValueError):
            raise CampaignsError(
                _("'%(lost)s' is not a whole number.") % {"lost": lost}, "lost_within_months"
            ) from None
        if not 1 <= months <= 120:
            raise CampaignsError(_("The months since the loss must be between 1 and 120."), "lost_within_months")
        clean["lost_within_months"] = months
    picked = _as_list(filters.get("account"))
    if picked:
        if len(picked) > MAX_PICKED_ACCOUNTS or not all(str(p).isdigit() and len(str(p)) < 19 for p in picked):
            raise CampaignsError(_("account: a list of up to %(n)s account ids") % {"n": MAX_PICKED_ACCOUNTS},
                                 "account")
        ids = sorted({int(p) for p in picked})
        if Account.objects.filter(pk__in=ids).count() != len(ids):
            raise CampaignsError(_("account: unknown account id"), "account")
        clean["account"] = ids
    return clean


def target_queryset(filters: dict, *, today: date | None = None) -> QuerySet[Account]:
    """Accounts matching the (cleaned) filters, before the consent rules."""
    today = today or timezone.localdate()
    qs = Account.objects.all()
    if filters.get("account"):
        qs = qs.filter(pk__in=filters["account"])
    if filters.get("segment"):
        qs = qs.filter(segment__code__in=filters["segment"])
    if filters.get("phase"):
        qs = qs.filter(phase__in=filters["phase"])
    if filters.get("region"):
        qs = qs.filter(region_id__in=filters["region"])
    if filters.get("industry"):
        qs = qs.filter(industry__in=filters["industry"])
    if filters.get("customer_type"):
        qs = qs.filter(customer_type=filters["customer_type"])
    if filters.get("bought_group"):
        qs = qs.filter(
            Exists(OrderLine.objects.filter(account=OuterRef("pk"), product__group__code=filters["bought_group"]))
        )
    if filters.get("not_bought_group"):
        qs = qs.filter(
            ~Exists(OrderLine.objects.filter(account=OuterRef("pk"), product__group__code=filters["not_bought_group"]))
        )
    if filters.get("last_order_from") or filters.get("last_order_to") or filters.get("lost_within_months"):
        last = Order.objects.values("account_id").annotate(last=Max("date"))
        if filters.get("last_order_from"):
            last = last.filter(last__gte=filters["last_order_from"])
        if filters.get("last_order_to"):
            last = last.filter(last__lte=filters["last_order_to"])
        if filters.get("lost_within_months"):
            # lost within N months: the last order lies between LOST_AFTER_DAYS + N months and LOST_AFTER_DAYS ago
            newest = today - timedelta(days=LOST_AFTER_DAYS)
            oldest = newest - timedelta(days=round(30.44 * filters["lost_within_months"]))
            last = last.filter(last__gt=oldest, last__lte=newest)
            qs = qs.filter(phase=Phase.LOST)
        qs = qs.filter(pk__in=last.values("account_id"))
    return qs


def consent_conditions() -> dict[str, Q]:
    """Why an account may not be called (UWG §7), checked in this order."""
    has_phone = Exists(PhoneNumber.objects.filter(account=OuterRef("pk")))
    return {
        ExclusionReason.OPT_OUT: Q(opt_out_date__isnull=False),
        ExclusionReason.B2C_NO_CONSENT: Q(customer_type=CustomerType.B2C, phone_consent=False),
        ExclusionReason.B2B_NO_PRESUMED: Q(customer_type=CustomerType.B2B, presumed_consent=False, phone_consent=False),
        ExclusionReason.NO_PHONE: Q(~has_phone),
    }


def callable_condition() -> Q:
    cond = Q()
    for q in consent_conditions().values():
        cond &= ~q
    return cond


def consent_violation(account: Account) -> str | None:
    """The first consent rule that forbids calling this account now, or None."""
    for reason, q in consent_conditions().items():
        if Account.objects.filter(q, pk=account.pk).exists():
            return reason
    return None


def consent_basis_of(account: Account) -> str:
    """The lawful basis on which a callable account may be called: explicit consent, else a business customer's
    presumed consent (the rules above refuse every other account)."""
    return ConsentBasis.EXPLICIT if account.phone_consent else ConsentBasis.PRESUMED


def campaign_preview(*, filters: dict, today: date | None = None) -> dict:
    """Counts for the preview: matched, callable and excluded per reason (each account counted once)."""
    clean = clean_filters(filters)
    return {"filters": clean, **consent_counts(target_queryset(clean, today=today))}


def consent_counts(qs: QuerySet[Account]) -> dict:
    """Of the accounts ``qs``: total, excluded per consent rule (the first that applies) and eligible."""
    conds = consent_conditions()
    excluded_so_far: Q | None = None
    aggregates = {"total": Count("pk", distinct=True)}
    for reason, q in conds.items():
        cond = q if excluded_so_far is None else q & ~excluded_so_far
        aggregates[str(reason)] = Count("pk", filter=cond, distinct=True)
        excluded_so_far = q if excluded_so_far is None else excluded_so_far | q
    counts = qs.aggregate(**aggregates)
    excluded = {str(reason): counts[str(reason)] for reason in conds}
    return {
        "total": counts["total"],
        "excluded": excluded,
        "eligible": counts["total"] - sum(excluded.values()),
    }


@transaction.atomic
def campaign_create(
    *,
    name: str,
    kind: str,
    filters: dict,
    user,
    max_attempts: int = 3,
    agents=(),
    description: str = "",
    ends_on: date | None = None,
    now: datetime | None = None,
) -> Campaign:
    """Build the call list from the filters; refuse an empty list. All or nothing."""
    now = now or timezone.now()
    if not name.strip():
        raise CampaignsError(_("A campaign needs a name."), "name")
    if kind not in CampaignKind.values:
        raise CampaignsError(_("Unknown campaign type %(kind)s.") % {"kind": repr(kind)}, "kind")
    if not 1 <= int(max_attempts) <= 20:
        raise CampaignsError(_("The maximum number of attempts per entry must be between 1 and 20."), "max_attempts")
    agents = list(agents)
    bad = [a for a in agents if a.role not in (Role.INSIDE_AGENT, Role.INSIDE_LEAD)]
    if bad:
        raise CampaignsError(_("%(bad)s is not an inside-sales agent.") % {"bad": bad[0]}, "agents")
    preview = campaign_preview(filters=filters, today=timezone.localdate(now))
    if preview["total"] == 0:
        raise CampaignsError(_("The filters match no account; widen them."), "filters")
    if preview["eligible"] == 0:
        raise CampaignsError(
            _("All %(n)s matched accounts are excluded by the consent rules.") % {"n": preview["total"]},
            "filters",
        )
    campaign = Campaign.objects.create(
        name=name.strip(),
        kind=kind,
        filters=preview["filters"],
        excluded=preview["excluded"],
        max_attempts=max_attempts,
        created_by=user,
        description=description,
        ends_on=ends_on,
    )
    ids = list(
        target_queryset(preview["filters"], today=timezone.localdate(now))
        .filter(callable_condition())
        .order_by("-potential", "pk")
        .values_list("pk", flat=True)
    )
    entries = [
        CallListEntry(campaign=campaign, account_id=pk, agent=agents[i % len(agents)] if agents else None)
        for i, pk in enumerate(ids)
    ]
    CallListEntry.objects.bulk_create(entries, batch_size=2000)
    for agent in agents:
        _agent_task(campaign, agent, now)
    return campaign


def _agent_task(campaign: Campaign, agent: User, now: datetime) -> None:
    n = campaign.entries.filter(agent=agent, status=EntryStatus.OPEN).count()
    if not n:
        return
    from django.urls import reverse

    task_create(
        kind=TaskKind.CAMPAIGN_CALL,
        title=f"Anrufliste: {campaign.name}",
        title_en=f"Call list: {campaign.name}",
        due_at=now,
        assignee=agent,
        reason=f"{n} offene Einträge in der Anrufliste",
        reason_en=f"{n} open entries on the call list",
        source="campaigns",
        source_id=str(campaign.pk),
        dedupe_key=f"campaign:{campaign.pk}:agent:{agent.pk}",
        url=reverse("campaigns:call-list", args=[campaign.pk]),
    )


@transaction.atomic
def campaign_assign(*, campaign: Campaign, agents, user, now: datetime | None = None) -> int:
    """Spread the unassigned open entries over the agents; returns how many were assigned."""
    now = now or timezone.now()
    agents = list(agents)
    if not agents:
        raise CampaignsError(_("Choose at least one agent."), "agents")
    bad = [a for a in agents if a.role not in (Role.INSIDE_AGENT, Role.INSIDE_LEAD)]
    if bad:
        raise CampaignsError(_("%(bad)s is not an inside-sales agent.") % {"bad": bad[0]}, "agents")
    from isf.planning import routing

    open_entries = campaign.entries.filter(status=EntryStatus.OPEN, agent__isnull=True)
    # key accounts only to the agents approved for them (isf.planning.routing); with none chosen they stay open
    approved = [a for a in agents if not routing.not_for(a)]
    key_ids = list(open_entries.filter(routing.key_account_q()).values_list("pk", flat=True)) if approved else []
    ids = list(open_entries.exclude(routing.key_account_q()).values_list("pk", flat=True))
    for group, to in ((ids, agents), (key_ids, approved)):
        for i, agent in enumerate(to):
            CallListEntry.objects.filter(pk__in=group[i :: len(to)]).update(agent=agent)
    for agent in agents:
        _agent_task(campaign, agent, now)
    return len(ids) + len(key_ids)


def next_entry(*, campaign: Campaign, agent, now: datetime | None = None) -> CallListEntry | None:
    """The agent's next due entry (own or unassigned); objected accounts are never offered, unassigned key accounts
    only to agents approved for them."""
    from isf.planning import routing

    now = now or timezone.now()
    barred = routing.not_for(agent)  # an unassigned key account only to an agent approved for key accounts
    return (
        campaign.entries.filter(status=EntryStatus.OPEN, account__opt_out_date__isnull=True)
        .filter(Q(agent=agent) | (Q(agent__isnull=True) & ~barred if barred else Q(agent__isnull=True)))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("account", "account__segment")
        .order_by(F("next_attempt_at").asc(nulls_first=True), "pk")
        .first()
    )


@transaction.atomic
def call_record(
    *,
    entry: CallListEntry,
    agent,
    outcome: str,
    note: str = "",
    callback_at: datetime | None = None,
    contact=None,
    order_value=None,
    now: datetime | None = None,
) -> CallListEntry:
    """Record one call on an entry: checks consent and the attempt limit, sets the next attempt.

    An order taken (``CallOutcome.SALE``) is also logged as an outbound call with the outcome "order taken" and its
    value (``order_value``, EUR) through ``isf.calls.services.call_log_create``, so the ERP order is matched to it
    (isf.calls.attribution) and the customer's history shows it once."""
    now = now or timezone.now()
    entry = CallListEntry.objects.select_for_update(of=("self",)).select_related("campaign", "account").get(pk=entry.pk)
    if outcome not in CallOutcome.values:
        raise CampaignsError(_("Unknown outcome %(outcome)s.") % {"outcome": repr(outcome)}, "outcome")
    if entry.status != EntryStatus.OPEN:
        raise CampaignsError(
            _("This entry is already %(entry_get_status_display)s.")
            % {"entry_get_status_display": entry.get_status_display()},
            "status",
        )
    if entry.agent_id and entry.agent_id != agent.pk and not agent.is_lead:
        raise CampaignsError(_("This entry belongs to %(agent)s.") % {"agent": entry.agent}, "agent")
    account = entry.account
    if account.opt_out_date:
        raise CampaignsError(
            _("%(name)s objected to phone advertising on %(date)s; never call.")
            % {"name": account.name, "date": f"{account.opt_out_date:%d.%m.%Y}"},
            "consent",
        )
    violation = consent_violation(account)
    if violation and violation != ExclusionReason.NO_PHONE:
        raise CampaignsError(
            _("%(ExclusionReason)s.") % {"ExclusionReason": ExclusionReason(violation).label}, "consent"
        )
    if entry.attempts >= entry.campaign.max_attempts:
        raise CampaignsError(
            _("The maximum of %(max_attempts)s attempts is reached.")
            % {"max_attempts": entry.campaign.max_attempts},
            "attempts",
        )
    if outcome == CallOutcome.CALL_BACK:
        if callback_at is None:
            raise CampaignsError(_("Say when to call back."), "callback_at")
        if callback_at <= now:
            raise CampaignsError(_("The call-back time must lie in the future."), "callback_at")
    if order_value not in (None, "") and outcome != CallOutcome.SALE:
        raise CampaignsError(_("order value: only a call with the outcome \"order taken\" has an order value"),
                             "order_value")
    entry.attempts += 1
    entry.last_attempt_at = now
    entry.outcome = outcome
    if entry.agent_id is None:
        entry.agent = agent
    if outcome in FINAL_OUTCOMES:
        entry.status = EntryStatus.DONE
        entry.next_attempt_at = None
    elif entry.attempts >= entry.campaign.max_attempts:
        entry.status = EntryStatus.EXHAUSTED
        entry.next_attempt_at = None
    elif outcome == CallOutcome.CALL_BACK:
        entry.next_attempt_at = callback_at
    else:
        entry.next_attempt_at = add_business_days(now, RETRY_BUSINESS_DAYS, team=getattr(agent, "team", None))
    entry.save()
    if outcome == CallOutcome.SALE:
        order_value = _log_order_taken(entry, agent=agent, contact=contact, note=note, order_value=order_value, now=now)
    else:
        order_value = None
    CallAttempt.objects.create(entry=entry, agent=agent, contact=contact, at=now, outcome=outcome, note=note[:500],
                               order_value=order_value)
    if outcome == CallOutcome.DO_NOT_CALL:
        account_opt_out(account=account, when=timezone.localdate(now))
    elif outcome == CallOutcome.QUOTE_REQUESTED:
        task_create(
            kind=TaskKind.QUOTE_FOLLOWUP,
            title=f"Angebot erstellen: {account.name}",
            title_en=f"Prepare a quote: {account.name}",
            due_at=add_business_days(now, 1, team=account.team),
            team=account.team,
            assignee=None if account.team_id else agent,
            reason=f"Angebot angefragt in Kampagne „{entry.campaign.name}“",
            reason_en=f"Quote requested in campaign '{entry.campaign.name}'",
            account=account,
            source="campaigns",
            source_id=str(entry.pk),
            dedupe_key=f"entry:{entry.pk}:quote",
        )
    if not entry.campaign.entries.filter(agent=agent, status=EntryStatus.OPEN).exists():
        tasks_close_by_key(dedupe_key=f"campaign:{entry.campaign_id}:agent:{agent.pk}", outcome="list done")
    return entry


def _log_order_taken(entry: CallListEntry, *, agent, contact, note: str, order_value, now: datetime):
    """The order taken on a call-list call, logged by the calls app (its value checked there); the value stored."""
    from isf.calls.choices import CallOutcome as LoggedOutcome
    from isf.calls.choices import Direction
    from isf.calls.services import CallLogError, call_log_create

    text = note or _("Order taken in campaign “%(name)s”") % {"name": entry.campaign.name}
    try:
        call = call_log_create(agent=agent, direction=Direction.OUTBOUND, outcome=LoggedOutcome.ORDER,
                               account=entry.account, contact=contact, note=text[:500],
                               started_at=min(now, timezone.now()), ended_at=min(now, timezone.now()),
                               order_value=order_value)
    except CallLogError as exc:
        raise CampaignsError(exc.message, "order_value") from exc
    return call.order_value


def account_opt_out(*, account: Account, when: date) -> None:
    """Record an objection at once: the account leaves every open call list."""
    account_opt_out_set(account=account, when=when)
    CallListEntry.objects.filter(account=account, status=EntryStatus.OPEN).update(
        status=EntryStatus.DONE, outcome=CallOutcome.DO_NOT_CALL, next_attempt_at=None
    )
