"""Telemarketing aimed at potential: the opportunity list (isf.segmentation.selectors.opportunities) becomes a call
list in one step, under the consent rules of every call list, with a control group held out of it.

The control group is a deterministic random share of the eligible accounts (the accounts ordered by a hash of the
list's id and the account's id, the first ``floor(n × share / 100)`` held out): the same list always holds out the
same accounts, and the split does not depend on anything the accounts are measured by.
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.campaigns.choices import CampaignKind
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import CallListEntry, Campaign, ControlAccount
from isf.campaigns.services.campaigns import (
    MAX_PICKED_ACCOUNTS,
    _agent_task,
    callable_condition,
    consent_basis_of,
    consent_counts,
)
from isf.customers.models import Account, OrderLine, ProductGroup
from isf.org.choices import Role
from isf.org.models import Region
from isf.segmentation.models import Segment

DEFAULT_CONTROL_SHARE = 10
MAX_CONTROL_SHARE = 50
DEFAULT_MAX_SHARE_OF_WALLET = 20  # percent, as on the portfolio page
POTENTIAL_MAX = Decimal("1e12")
FILTER_KEYS = ("segment", "region", "min_potential", "max_share_of_wallet", "missing_group")


def clean_opportunity_filters(filters: dict) -> dict:
    """The list's filters checked: unknown segments, regions and product groups and numbers out of range are
    refused naming the field."""
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise CampaignsError(_("Unknown filter %(join)s.") % {"join": ", ".join(sorted(unknown))}, sorted(unknown)[0])
    clean: dict = {}
    segments = [str(s) for s in filters.get("segment") or [] if str(s).strip()]
    if segments:
        known = set(Segment.objects.filter(code__in=segments).values_list("code", flat=True))
        if set(segments) - known:
            raise CampaignsError(
                _("Unknown segment %(join)s.") % {"join": ", ".join(sorted(set(segments) - known))}, "segment")
        clean["segment"] = sorted(set(segments))
    regions = [str(r) for r in filters.get("region") or [] if str(r).strip()]
    if regions:
        if not all(r.isdigit() and len(r) < 19 for r in regions) or (
                Region.objects.filter(pk__in=regions).count() != len(set(regions))):
            raise CampaignsError(_("Unknown region %(join)s.") % {"join": ", ".join(regions)}, "region")
        clean["region"] = sorted({int(r) for r in regions})
    minimum = filters.get("min_potential")
    if minimum not in (None, ""):
        minimum = Decimal(str(minimum))
        if not minimum.is_finite() or minimum < 0 or minimum >= POTENTIAL_MAX:
            raise CampaignsError(_("The minimum potential must lie between 0 and 999.999.999.999 €."),
                                 "min_potential")
        clean["min_potential"] = str(minimum)
    share = filters.get("max_share_of_wallet")
    share = DEFAULT_MAX_SHARE_OF_WALLET if share in (None, "") else share
    try:
        share = int(share)
    except (TypeError, ValueError):
        raise CampaignsError(_("The share of wallet must be a whole percentage."), "max_share_of_wallet") from None
    if not 1 <= share <= 100:
        raise CampaignsError(_("The share of wallet must lie between 1 and 100 %."), "max_share_of_wallet")
    clean["max_share_of_wallet"] = share
    group = str(filters.get("missing_group") or "").strip()
    if group:
        if not ProductGroup.objects.filter(code=group).exists():
            raise CampaignsError(_("Unknown product group '%(code)s'.") % {"code": group}, "missing_group")
        clean["missing_group"] = group
    return clean


def opportunity_rows(clean: dict, *, today: date | None = None) -> list[dict]:
    """The opportunity list under the filters, largest untapped potential first (at most MAX_PICKED_ACCOUNTS):
    rows {"pk", "potential", "revenue_12m", "untapped", "median"}."""
    from django.db.models import Exists, OuterRef

    from isf.segmentation.selectors import opportunities

    accounts = Account.objects.all()
    if clean.get("segment"):
        accounts = accounts.filter(segment__code__in=clean["segment"])
    if clean.get("region"):
        accounts = accounts.filter(region_id__in=clean["region"])
    if clean.get("min_potential"):
        accounts = accounts.filter(potential__gte=Decimal(clean["min_potential"]))
    if clean.get("missing_group"):
        accounts = accounts.filter(~Exists(OrderLine.objects.filter(
            account=OuterRef("pk"), product__group__code=clean["missing_group"])))
    rows, medians = opportunities(accounts=accounts, max_share_of_wallet=clean["max_share_of_wallet"] / 100,
                                  today=today)
    rows = list(rows[:MAX_PICKED_ACCOUNTS])
    segment_of = dict(Account.objects.filter(pk__in=[r["pk"] for r in rows]).values_list("pk", "segment_id"))
    for row in rows:
        row["segment_id"] = segment_of[row["pk"]]
        row["median"] = medians.get(row["segment_id"])
    return rows


def telemarketing_preview(*, filters: dict, today: date | None = None) -> dict:
    """What the list would hold: matched opportunities, excluded per consent rule, eligible, called and held out."""
    clean = clean_opportunity_filters(filters)
    rows = opportunity_rows(clean, today=today)
    counts = consent_counts(Account.objects.filter(pk__in=[r["pk"] for r in rows]))
    return {"filters": clean, "rows": rows, **counts}


def control_size(eligible: int, share: int) -> int:
    """How many of ``eligible`` accounts a share of ``share`` % holds out (rounded down: at least half are called)."""
    return eligible * share // 100


def control_split(campaign_id: int, account_ids, share: int) -> tuple[list[int], list[int]]:
    """(called, held out): the accounts ordered by a hash of list and account, the first share held out."""
    def draw(pk: int) -> str:
        return hashlib.sha256(f"isf-control:{campaign_id}:{pk}".encode()).hexdigest()

    ordered = sorted(account_ids, key=draw)
    n = control_size(len(ordered), share)
    held = set(ordered[:n])
    return [pk for pk in account_ids if pk not in held], [pk for pk in account_ids if pk in held]


def check_control_share(share) -> int:
    try:
        share = int(share)
    except (TypeError, ValueError):
        raise CampaignsError(_("The control group must be a whole percentage from 0 to 50 %."),
                             "control_share") from None
    if not 0 <= share <= MAX_CONTROL_SHARE:
        raise CampaignsError(_("The control group must lie between 0 and 50 % of the list, so most are called."),
                             "control_share")
    return share


def entry_reasons(rows: list[dict], clean: dict, *, today: date) -> dict[int, list[dict]]:
    """Why each account is on the list, as codes with their figures (rendered by telemarketing_reasons): big
    potential against its segment, low share of wallet, and the product group customers like it buy that it lacks."""
    from datetime import timedelta

    from isf.calls import crosssell

    segments = dict(Segment.objects.values_list("pk", "code"))
    limit = clean["max_share_of_wallet"]
    reasons: dict[int, list[dict]] = {}
    for row in rows:
        potential, revenue = row["potential"], row["revenue_12m"] or Decimal(0)
        out = [{"code": "potential", "potential": str(potential), "median": str(row["median"] or 0),
                "segment": segments.get(row["segment_id"], "")},
               {"code": "share_of_wallet", "pct": round(float(revenue) / float(potential) * 100) if potential else 0,
                "limit": limit, "revenue": str(revenue)}]
        reasons[row["pk"]] = out
    loaded = crosssell.current_model()
    products: dict[int, set[int]] = {}
    if loaded is not None:
        since = today - timedelta(days=crosssell.LOOKBACK_DAYS)
        for account_id, product_id in (OrderLine.objects.filter(account_id__in=list(reasons), order_date__gte=since)
                                       .order_by().values_list("account_id", "product_id").distinct()):
            products.setdefault(account_id, set()).add(product_id)
    wanted = clean.get("missing_group")
    for pk, out in reasons.items():
        suggestions = crosssell.suggest(loaded, crosssell.groups_of(products.get(pk, set())), k=10) if loaded else []
        pick = next((s for s in suggestions if s.code == wanted), None) if wanted else (suggestions or [None])[0]
        if pick is not None:
            out.append({"code": "missing_group", "group": pick.code, "pct": round(pick.share * 100)})
        elif wanted:
            out.append({"code": "missing_group", "group": wanted, "pct": None})
    return reasons


@transaction.atomic
def telemarketing_list_create(*, name: str, filters: dict, user, control_share=DEFAULT_CONTROL_SHARE, agents=(),
                              description: str = "", max_attempts: int = 3, now: datetime | None = None) -> Campaign:
    """Build the call list from the opportunity list in one step: consent rules applied, each entry with its reasons
    and consent basis, the control group held out. An empty filter result or an all-excluded one is refused."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not name.strip():
        raise CampaignsError(_("A campaign needs a name."), "name")
    share = check_control_share(control_share)
    if not 1 <= int(max_attempts) <= 20:
        raise CampaignsError(_("The maximum number of attempts per entry must be between 1 and 20."), "max_attempts")
    agents = list(agents)
    bad = [a for a in agents if a.role not in (Role.INSIDE_AGENT, Role.INSIDE_LEAD)]
    if bad:
        raise CampaignsError(_("%(bad)s is not an inside-sales agent.") % {"bad": bad[0]}, "agents")
    preview = telemarketing_preview(filters=filters, today=today)
    if preview["total"] == 0:
        raise CampaignsError(_("No account on the opportunity list matches these filters; widen them."), "filters")
    if preview["eligible"] == 0:
        raise CampaignsError(
            _("All %(n)s matched accounts are excluded by the consent rules.") % {"n": preview["total"]}, "filters")
    campaign = Campaign.objects.create(
        name=name.strip(), kind=CampaignKind.TELEMARKETING, filters=preview["filters"], excluded=preview["excluded"],
        max_attempts=max_attempts, created_by=user, description=description, control_share=share)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=now)  # the list's day starts its result window
    campaign.created_at = now
    order = [r["pk"] for r in preview["rows"]]
    eligible = Account.objects.filter(pk__in=order).filter(callable_condition())
    accounts = {a.pk: a for a in eligible.only("pk", "phone_consent")}
    ids = [pk for pk in order if pk in accounts]
    reasons = entry_reasons([r for r in preview["rows"] if r["pk"] in accounts], preview["filters"], today=today)
    called, held = control_split(campaign.pk, ids, share)
    CallListEntry.objects.bulk_create([
        CallListEntry(campaign=campaign, account_id=pk, agent=agents[i % len(agents)] if agents else None,
                      reasons=reasons[pk], consent_basis=consent_basis_of(accounts[pk]))
        for i, pk in enumerate(called)], batch_size=2000)
    ControlAccount.objects.bulk_create([
        ControlAccount(campaign=campaign, account_id=pk, reasons=reasons[pk], consent_basis=consent_basis_of(accounts[pk]))
        for pk in held], batch_size=2000)
    for agent in agents:
        _agent_task(campaign, agent, now)
    return campaign
