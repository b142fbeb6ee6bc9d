"""Care-cost pages: per segment budget against cost, the two lists and their one-step actions; the VL's rates."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from isf.campaigns.choices import CampaignKind
from isf.campaigns.errors import CampaignsError
from isf.campaigns.services.campaigns import campaign_create
from isf.core.access import can
from isf.core.params import QueryParams
from isf.org.choices import Role
from isf.org.models import Region
from isf.planning.matrix_services import MatrixError, care_matrix_save
from isf.segmentation.models import Segment
from isf.targets import services
from isf.targets.carecost import care_costs, cost_rates, costlier_than_worth, segment_costs, travel_minutes, under_cared
from isf.targets.models import COSTED_ROLES, DEFAULT_TRAVEL_MINUTES, VISIT_MINUTES, CostRate
from isf.targets.services import TargetError

LEADS = (Role.SALES_LEAD, Role.INSIDE_LEAD)
LISTS = {"costly": gettext_lazy("Call instead of visit"), "below": gettext_lazy("Care below plan")}


def care_cost(request):
    today = timezone.localdate()
    segment = QueryParams(request.GET).lookup("segment", lambda code: Segment.objects.filter(code=code).first())
    costs = care_costs(today=today)
    per_segment = [s for s in segment_costs(today=today, costs=costs).values() if s.segment is not None]
    per_segment.sort(key=lambda s: (s.segment.precedence, s.segment.code))
    top = max([max(s.cost_per_account, s.budget_per_account) for s in per_segment] or [0]) or 1
    for s in per_segment:
        s.bar_cost = round(float(s.cost_per_account / top) * 100, 1)
        s.bar_budget = round(float(s.budget_per_account / top) * 100, 1)
    costly = costlier_than_worth(today=today, costs=costs, segment=segment)
    below = under_cared(today=today, costs=costs, segment=segment)

    def segments_of(cases):
        return sorted({c.account.segment for c in cases if c.account.segment_id}, key=lambda s: (s.precedence, s.code))

    return render(request, "targets/care_cost.html", {
        "segments": per_segment, "segment": segment, "today": today, "costly": costly, "below": below,
        "costly_segments": segments_of(costly), "below_segments": segments_of(below),
        "can_act": can(request.user, "targets:care-call-list", "POST"),
        "all_segments": Segment.objects.order_by("precedence", "code"),
    })


@require_POST
def care_call_list(request):
    """Turn the ticked accounts of one list into a campaign call list (the campaigns app's, with its consent rules)."""
    which = request.POST.get("list", "")
    ids = QueryParams(request.POST).ids("account")
    if which not in LISTS or not ids:
        messages.error(request, _("account: tick at least one account"))
        return redirect("targets:care-cost")
    kind = CampaignKind.OTHER
    name = f"{LISTS[which]} {timezone.localdate():%d.%m.%Y}"
    try:
        campaign = campaign_create(name=name, kind=kind, filters={"account": ids}, user=request.user,
                                   description=_("From the care-cost page: %(list)s") % {"list": LISTS[which]})
    except CampaignsError as exc:
        messages.error(request, str(exc))
        return redirect("targets:care-cost")
    messages.success(request, _("Call list with %(n)s accounts created; assign agents to start it.")
                     % {"n": campaign.entries.count()})
    return redirect("campaigns:campaign-detail", campaign.pk)


@require_POST
def care_call_instead_of_visit(request, code: str):
    """The matrix change in one step: in this segment a documented call counts as a due field visit."""
    segment = get_object_or_404(Segment, code=code)
    try:
        care_matrix_save(segment=segment, call_counts_as_visit=True, actor=request.user)
    except MatrixError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Care matrix %(segment)s: a documented call now counts as a due visit.")
                         % {"segment": segment.code})
    return redirect(f"{reverse('targets:care-cost')}?segment={segment.code}")


def rates(request):
    regions = list(Region.objects.order_by("code"))
    error = None
    if request.method == "POST":
        p = request.POST
        try:
            services.cost_rates_set(
                rates={role: p.get(f"rate_{role}", "") for role, _label in COSTED_ROLES if f"rate_{role}" in p},
                travel={str(r.pk): p.get(f"travel_{r.pk}", "") for r in regions if f"travel_{r.pk}" in p},
                actor=request.user)
        except TargetError as exc:
            error = exc
        else:
            messages.success(request, _("Cost rates saved."))
            return redirect("targets:rates")
    current, travel = cost_rates(), travel_minutes()
    stored = set(CostRate.objects.values_list("role", flat=True))
    posted = request.POST if error else {}
    rows = [{"role": role, "label": label, "default": role not in stored,
             "value": posted.get(f"rate_{role}", current[role])} for role, label in COSTED_ROLES]
    for r in regions:
        r.minutes = posted.get(f"travel_{r.pk}", travel.get(r.pk, DEFAULT_TRAVEL_MINUTES))
    return render(request, "targets/rates.html", {
        "rows": rows, "regions": regions, "error": error,
        "visit_minutes": VISIT_MINUTES, "default_travel": DEFAULT_TRAVEL_MINUTES,
    }, status=400 if error else 200)
