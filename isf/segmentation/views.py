"""Segment pages: KPIs, rules (edit by the sales lead), ABC helper, portfolio, account history. Thin."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from isf.core.access import can
from isf.core.audit import history_for
from isf.core.numbers import format_number
from isf.core.params import QueryParams
from isf.customers.selectors import accounts_visible_to
from isf.segmentation import selectors, services
from isf.segmentation.forms import (
    AbcApplyForm,
    AbcParamsForm,
    OverrideForm,
    PortfolioForm,
    RuleFormSet,
    SegmentForm,
)
from isf.segmentation.models import Segment
from isf.segmentation.preview import rule_change_preview
from isf.segmentation.rules import RuleSpec, find_conflicts
from isf.segmentation.services import SegmentError

PAGE_SIZE = 25


def kpis(request):
    data = selectors.segment_kpis()
    chart = {
        "labels": [r.code or "–" for r in data.rows],
        "series": [
            {"label": _("Accounts"), "data": [float(r.shown["account_share"]) for r in data.rows]},
            {"label": _("Revenue"), "data": [float(r.shown["revenue_share"]) for r in data.rows]},
            {"label": _("Contribution margin"), "data": [float(r.shown["margin_share"]) for r in data.rows]},
            {"label": _("Potential"), "data": [float(r.shown["potential_share"]) for r in data.rows]},
        ],
    }
    return render(request, "segmentation/kpis.html",
                  {"kpis": data, "chart": chart, "can_edit": can(request.user, "segmentation:segment-edit")})


def rules(request):
    segments = selectors.segments_with_rules()
    conflicts = find_conflicts([RuleSpec.of(r) for s in segments for r in s.rules.all()])
    return render(request, "segmentation/rules.html",
                  {"segments": segments, "conflicts": conflicts, "can_edit": can(request.user, "segmentation:segment-edit")})


def _rule_initial(segment: Segment | None) -> list[dict]:
    if segment is None:
        return []
    return [{f: getattr(r, f) for f in services.RULE_FIELDS} for r in segment.rules.order_by("position", "pk")]


def _digest(post) -> str:
    """A fingerprint of the posted segment and rules: "save" saves only what was previewed."""
    items = sorted((k, v) for k in post if k not in ("csrfmiddlewaretoken", "action", "previewed")
                   for v in post.getlist(k))
    return hashlib.sha256(repr(items).encode()).hexdigest()


@login_required
def segment_edit(request, code: str | None = None):
    """Edit a segment and its rules. A change is previewed first (who moves where, with revenue, potential and
    care workload); "save" then saves and applies exactly what was previewed."""
    if not can(request.user, "segmentation:segment-edit"):
        raise PermissionDenied
    segment = get_object_or_404(Segment, code=code) if code else None
    form = SegmentForm(request.POST or None, instance=segment, prefix="seg")
    # Bound without `initial`: every row with a value entered is a rule; a row cleared completely is dropped.
    if request.method == "POST":
        formset = RuleFormSet(request.POST, prefix="rules")
    else:
        formset = RuleFormSet(initial=_rule_initial(segment), prefix="rules")
    preview, digest = None, ""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rule_rows = [f.cleaned_data for f in formset.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]
        data = {k: form.cleaned_data[k] for k in services.SEGMENT_FIELDS}
        digest = _digest(request.POST)
        try:
            if request.POST.get("action") == "save" and request.POST.get("previewed") == digest:
                with transaction.atomic():
                    saved = services.segment_save(segment=Segment.objects.get(pk=segment.pk) if segment else None,
                                                  data=data, rules=rule_rows, actor=request.user)
                    result = services.segments_assign_all(actor=request.user)
                messages.success(request, ngettext(
                    "Segment %(code)s saved and applied: %(changed)s account changed segment.",
                    "Segment %(code)s saved and applied: %(changed)s accounts changed segment.", result["changed"],
                ) % {"code": saved.code, "changed": format_number(result["changed"])})
                return redirect("segmentation:rules")
            if request.POST.get("action") == "save":
                messages.warning(request, _("Please check what the change does, then save."))
            preview = rule_change_preview(segment=Segment.objects.get(pk=segment.pk) if segment else None,
                                          data=data, rules=rule_rows, actor=request.user)
        except SegmentError as exc:
            field = exc.field if exc.field in form.fields else None
            for message in exc.conflicts:
                form.add_error(field, message)
    context = {"form": form, "formset": formset, "segment": segment, "preview": preview, "digest": digest,
               "history": history_for(segment, limit=30) if segment else []}
    return render(request, "segmentation/segment_form.html", context)


@require_POST
@login_required
def reassign(request):
    if not can(request.user, "segmentation:segment-edit"):
        raise PermissionDenied
    try:
        result = services.segments_assign_all(actor=request.user)
    except SegmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(accounts)s accounts assigned, %(changed)s changed segment.")
                         % {"accounts": format_number(result["accounts"]), "changed": format_number(result["changed"])})
    return redirect("segmentation:rules")


def abc(request):
    params = AbcParamsForm(request.GET or None)
    a_share, b_share = 80, 15
    if params.is_bound and params.is_valid():
        a_share, b_share = params.cleaned_data["a_share"], params.cleaned_data["b_share"]
    proposal = selectors.abc_proposal(a_share=a_share / 100, b_share=b_share / 100)
    segments = {s.code: s for s in Segment.objects.all()}
    initial = {"threshold_a": proposal.threshold_a, "threshold_b": proposal.threshold_b,
               "segment_a": segments.get("KA"), "segment_b": segments.get("MP"), "segment_c": None}
    apply_form = AbcApplyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can(request.user, "segmentation:segment-edit"):
            raise PermissionDenied
        if apply_form.is_valid():
            d = apply_form.cleaned_data
            try:
                changed = services.abc_apply(threshold_a=d["threshold_a"], threshold_b=d["threshold_b"],
                                             segment_a=d["segment_a"], segment_b=d["segment_b"],
                                             segment_c=d["segment_c"], actor=request.user)
            except SegmentError as exc:
                for message in exc.conflicts:
                    apply_form.add_error(exc.field if exc.field in apply_form.fields and len(exc.conflicts) == 1
                                         else None, message)
            else:
                messages.success(request, _("Thresholds applied to %(codes)s.")
                                 % {"codes": ", ".join(s.code for s in changed)})
                return redirect("segmentation:rules")
    return render(request, "segmentation/abc.html", {
        "params": params if params.is_bound else AbcParamsForm(initial={"a_share": a_share, "b_share": b_share}),
        "proposal": proposal, "apply_form": apply_form, "can_edit": can(request.user, "segmentation:segment-edit"),
        "a_share": a_share, "b_share": b_share,
    })


def portfolio(request):
    accounts = accounts_visible_to(request.user)
    form = PortfolioForm(request.GET or None)
    params = form.params() if form.is_bound else PortfolioForm().params()
    points = selectors.portfolio_points(accounts=accounts)
    qs, medians = selectors.opportunities(accounts=accounts, **params)
    query = QueryParams(request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(query.page())
    query.warn(request)
    page.object_list = selectors.opportunity_accounts(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "segmentation/portfolio.html", {
        "form": form if form.is_bound else PortfolioForm(), "points": points, "page": page,
        "querystring": query.urlencode(), "params": params,
        "max_sow_pct": round(params["max_share_of_wallet"] * 100), "factor": params["potential_factor"],
        "medians": [(s, medians.get(s.pk)) for s in Segment.objects.order_by("precedence", "code")
                    if s.pk in medians],
    })


@login_required
def account_history(request, pk: int):
    account = get_object_or_404(accounts_visible_to(request.user).select_related("segment", "team"), pk=pk)
    override = selectors.open_override_for(account)
    can_edit = can(request.user, "segmentation:segment-edit")
    form = OverrideForm(request.POST or None, initial={"segment": account.segment_id})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "end":
            try:
                services.segment_override_end(account=account, actor=request.user)
            except SegmentError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Override ended; the segment rules apply again."))
            return redirect("segmentation:account-history", pk=account.pk)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.segment_override_set(account=account, actor=request.user, **form.cleaned_data)
            except SegmentError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Segment set by hand."))
                return redirect("segmentation:account-history", pk=account.pk)
    return render(request, "segmentation/account_history.html", {
        "account": account, "changes": selectors.segment_changes_for(account)[:200], "override": override,
        "form": form, "can_edit": can_edit,
    })


@login_required
def account_find(request):
    """Jump to an account's segment history by customer number (from the rules page)."""
    number = QueryParams(request.GET).text("number")
    account = accounts_visible_to(request.user).filter(erp_number=number).first() if number else None
    if account is None:
        messages.error(request, _("No account with customer number “%(number)s”.") % {"number": number})
        return redirect("segmentation:rules")
    return redirect("segmentation:account-history", pk=account.pk)
