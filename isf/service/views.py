"""Service-order pages: phone order form, order list, order page with workflow, checklist, decisions, rating."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.core.audit import history_for
from isf.core.params import QueryParams, next_url
from isf.customers.selectors import account_search, accounts_visible_to
from isf.org.choices import Role
from isf.org.models import Team
from isf.planning.priority import priorities_refresh_stale, reason_texts
from isf.service import clock, selectors, services
from isf.service.choices import FINAL_STATUSES, TRANSITIONS, DecisionStatus, OrderStatus, SlaState
from isf.service.decisions import active_contract
from isf.service.errors import ServiceOrderError
from isf.service.forms import ApprovalForm, DecisionForm, NoteForm, RatingForm, RejectForm, inputs_form_class
from isf.service.models import Decision, Notification, ServiceCatalogEntry, ServiceOrder
from isf.service.service_levels import label_accounts, label_services


def _error(request, exc: ServiceOrderError) -> None:
    messages.error(request, exc.message)


@login_required
def order_new(request):
    """Phone-first: tap a service, tap an account (recent first), fill the inputs, send."""
    # the service and account come with the link (GET) and the form (POST); an invalid account id is a 400
    query = QueryParams(request.POST if request.method == "POST" else request.GET, strict=True)
    code = query.text("service")
    service = ServiceCatalogEntry.objects.filter(code=code, active=True).first() if code else None
    account_id = query.id("account")
    visible = accounts_visible_to(request.user)
    account = visible.filter(pk=account_id).select_related("segment__team").first() if account_id else None
    if service is None:
        services_qs = selectors.catalog_for_account(account) if account else ServiceCatalogEntry.objects.filter(
            active=True)
        services_qs = label_services(services_qs, contract=active_contract(), account=account)
        return render(request, "service/order_pick_service.html", {"services": services_qs, "account": account})
    form_class = inputs_form_class(service)
    error_field = ""
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()
        account_q = query.text("account_q")
        if account is None and account_q:
            matches = list(account_search(visible, account_q)[:2])
            if len(matches) == 1:
                account = matches[0]
        if account is None:
            messages.error(request, _("Choose the account the service is for."))
            error_field = "account"
        else:
            inputs = {name[3:]: value for name, value in form.cleaned_data.items() if name.startswith("in_")}
            contact_id = query.id("contact")  # not one of the account's contacts: none
            contact = account.contacts.filter(pk=contact_id).first() if contact_id else None
            try:
                order = services.service_order_create(service=service, account=account, requester=request.user,
                                                      inputs=inputs, contact=contact,
                                                      note=form.cleaned_data.get("note", ""))
            except ServiceOrderError as exc:
                _error(request, exc)
                error_field = exc.field.removeprefix("inputs.")
            else:
                messages.success(request, _("Service order %(number)s sent to %(team)s, due %(due)s.") % {
                    "number": order.number, "team": order.team or "–",
                    "due": timezone.localtime(order.due_at).strftime("%d.%m.%Y %H:%M")})
                return redirect("service:order-detail", pk=order.pk)
    else:
        form = form_class()
    contract = active_contract()
    label_services([service], contract=contract, account=account)
    context = {
        "service": service, "form": form, "account": account, "error_field": error_field,
        "recent": label_accounts(selectors.recent_accounts_for(request.user), contract=contract, service=service),
        "contacts": account.contacts.all()[:30] if account else [],
    }
    return render(request, "service/order_new.html", context)


@login_required
def account_picker(request):
    """htmx fragment: accounts matching the search, as radio buttons for the order form."""
    q = QueryParams(request.GET).text("account_q")
    accounts = list(account_search(accounts_visible_to(request.user), q)[:8]) if len(q) >= 2 else []
    return render(request, "service/_account_choices.html", {"accounts": accounts, "q": q})


@login_required
def order_list(request):
    user = request.user
    query = QueryParams(request.GET)
    filters = selectors.order_list_filters(query, user)
    page_number = query.page()
    query.warn(request)
    priorities_refresh_stale()
    qs = selectors.order_list(user=user, filters=filters)
    page = Paginator(qs, 30).get_page(page_number)
    now = timezone.now()
    for order in page.object_list:
        order.sla_now = clock.state_by_due_times(order, now)
        order.rank_texts = reason_texts(order.rank_reasons or "")
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "service/order_list.html", {
        "page": page, "orders": page.object_list, "filters": filters, "querystring": params.urlencode(),
        "statuses": [("open", _("Open"))] + list(OrderStatus.choices), "sla_states": SlaState.choices,
        "teams": Team.objects.all(), "services": ServiceCatalogEntry.objects.all(),
        "notifications": selectors.notifications_for(user), "approvals": selectors.pending_approvals_for(user)[:20],
        "can_claim": user.role in {Role.INSIDE_AGENT, Role.INSIDE_LEAD}, "mine": query.flag("mine"),
    })


def _visible_order(user, pk: int) -> ServiceOrder:
    qs = selectors.orders_visible_to(user).select_related(*selectors.ORDER_RELATED, "contact", "contract")
    return get_object_or_404(qs, pk=pk)


def _actions(order: ServiceOrder, user, pending=()) -> list[tuple[str, str]]:
    """The transitions this user may try from the current state (buttons on the order page); no "Complete" while
    an approval is ``pending``."""
    inside = user.role in {Role.INSIDE_AGENT, Role.INSIDE_LEAD}
    works = inside and (order.assignee_id == user.pk or user.role == Role.INSIDE_LEAD)
    result = []
    for target, sources in TRANSITIONS.items():
        if order.status not in sources:
            continue
        if target == OrderStatus.ACCEPTED and inside:
            result.append((target, _("Claim")))
        elif target == OrderStatus.IN_PROGRESS and works:
            result.append((target, _("Resume") if order.status == OrderStatus.WAITING else _("Start")))
        elif target == OrderStatus.DONE and works and not pending:
            result.append((target, _("Complete")))
    return result


@login_required
def order_detail(request, pk: int):
    order = _visible_order(request.user, pk)
    now = timezone.now()
    reading = clock.read_clock(order, now)
    user = request.user
    Notification.objects.filter(recipient=user, order=order, read_at__isnull=True).update(read_at=now)
    inside = user.role in {Role.INSIDE_AGENT, Role.INSIDE_LEAD}
    checklist = [{"index": i, "label": (s.get("en") if request.LANGUAGE_CODE == "en" else s.get("de")) or s.get("de"),
                  "done": bool(s.get("done_at")), "by": s.get("done_by"), "at": s.get("done_at")}
                 for i, s in enumerate(order.checklist)]
    pending = services.pending_approvals_of(order) if order.status not in FINAL_STATUSES else []
    context = {
        "order": order, "reading": reading, "elapsed_hours": reading.elapsed / 3600,
        "target_hours": order.target_seconds / 3600, "events": order.events.select_related("actor"),
        "inputs": order.service.inputs_shown(order.inputs),
        "checklist": checklist, "actions": _actions(order, user, pending),
        "pending_approvals": [{"decision": d, "text": services.pending_approval_text(d)} for d in pending],
        "can_tick": inside and order.status in (OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.WAITING)
        and (order.assignee_id == user.pk or user.role == Role.INSIDE_LEAD),
        "can_wait": order.status == OrderStatus.IN_PROGRESS and inside,
        "can_reject": inside and order.status in TRANSITIONS[OrderStatus.REJECTED],
        "can_cancel": user.pk == order.requester_id and order.status in TRANSITIONS[OrderStatus.CANCELLED],
        "can_decide": inside and order.status in (OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.WAITING),
        "can_rate": user.pk == order.requester_id and order.status == OrderStatus.DONE
        and not hasattr(order, "rating"),
        "rating": getattr(order, "rating", None),
        "decisions": order.decisions.select_related("approver", "requested_by"),
        "reject_form": RejectForm(), "note_form": NoteForm(), "decision_form": DecisionForm(),
        "rating_form": RatingForm(), "history": history_for(order, limit=30),
    }
    return render(request, "service/order_detail.html", context)


@login_required
@require_POST
def order_claim(request, pk: int):
    order = _visible_order(request.user, pk)
    try:
        services.service_order_claim(order_id=order.pk, user=request.user)
        messages.success(request, _("Order claimed: it is yours now."))
    except ServiceOrderError as exc:
        _error(request, exc)
    return redirect("service:order-detail", pk=pk)


@login_required
@require_POST
def order_claim_next(request):
    try:
        order = services.service_order_claim_next(user=request.user)
    except ServiceOrderError as exc:
        _error(request, exc)
        return redirect("service:order-list")
    if order is None:
        messages.info(request, _("No unclaimed orders in your team."))
        return redirect("service:order-list")
    messages.success(request, _("Order claimed: it is yours now."))
    return redirect("service:order-detail", pk=order.pk)


@login_required
@require_POST
def order_transition(request, pk: int):
    order = _visible_order(request.user, pk)
    target = request.POST.get("to", "")
    try:
        services.service_order_transition(order=order, user=request.user, to=target,
                                          note=request.POST.get("note", ""), reason=request.POST.get("reason", ""))
        messages.success(request, _("Status: %(status)s") % {"status": OrderStatus(target).label})
    except ServiceOrderError as exc:
        _error(request, exc)
    return redirect("service:order-detail", pk=pk)


@login_required
@require_POST
def order_step(request, pk: int, index: int):
    order = _visible_order(request.user, pk)
    try:
        services.service_order_step_set(order=order, user=request.user, index=index,
                                        done=request.POST.get("done") == "1")
    except ServiceOrderError as exc:
        _error(request, exc)
    if request.htmx:
        return order_detail(request, pk)
    return redirect("service:order-detail", pk=pk)


@login_required
@require_POST
def order_decision(request, pk: int):
    order = _visible_order(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect("service:order-detail", pk=pk)
    try:
        decision = services.decision_record(order=order, user=request.user, **form.cleaned_data)
    except ServiceOrderError as exc:
        _error(request, exc)
    else:
        if decision.status == DecisionStatus.PENDING:
            messages.success(request, _("Approval requested from %(user)s.") % {"user": decision.approver})
        else:
            messages.success(request, _("Decision recorded (within your decision rights)."))
    return redirect("service:order-detail", pk=pk)


@login_required
@require_POST
def order_rate(request, pk: int):
    order = _visible_order(request.user, pk)
    form = RatingForm(request.POST)
    score = form.cleaned_data["score"] if form.is_valid() else request.POST.get("score")
    try:
        services.service_order_rate(order=order, user=request.user, score=score,
                                    comment=request.POST.get("comment", ""))
        messages.success(request, _("Thank you for your rating."))
    except ServiceOrderError as exc:
        _error(request, exc)
    return redirect("service:order-detail", pk=pk)


@login_required
def approval_detail(request, pk: int):
    qs = Decision.objects.select_related("account", "order", "requested_by", "approver", "contract")
    decision = get_object_or_404(qs, pk=pk)
    user = request.user
    if user.pk not in (decision.approver_id, decision.requested_by_id) and not user.is_lead:
        raise PermissionDenied
    if request.method == "POST":
        form = ApprovalForm(request.POST)
        form.is_valid()
        try:
            services.approval_decide(decision=decision, user=user, approve=request.POST.get("approve") == "1",
                                     note=form.cleaned_data.get("note", ""))
            messages.success(request, _("Your answer has been recorded."))
        except ServiceOrderError as exc:
            _error(request, exc)
        return redirect("service:approval-detail", pk=pk)
    can_decide = decision.status == DecisionStatus.PENDING and (
        user.pk == decision.approver_id or user.role == Role.SALES_LEAD)
    return render(request, "service/approval_detail.html",
                  {"decision": decision, "form": ApprovalForm(), "can_decide": can_decide})


@login_required
def notification_list(request):
    """The user's in-app notifications (his orders done or waiting for him, approvals, SLA notices)."""
    return render(request, "service/notification_list.html",
                  {"notifications": selectors.notification_list(request.user)})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(next_url(request, "service:order-list"))


def account_orders_fragment(request, account_id: int) -> HttpResponse:
    """Small list of an account's service orders (for other pages that want to include it)."""
    account = get_object_or_404(accounts_visible_to(request.user), pk=account_id)
    return render(request, "service/_account_orders.html",
                  {"account": account, "orders": selectors.service_orders_for(account)[:10]})

