"""The sales lead's owner page: the owner rules (segment × region → field rep or inside team) and the bulk
re-assignment with its preview. Thin: isf.customers.owners reads, isf.customers.services writes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isf.core.access import can
from isf.core.numbers import format_number
from isf.core.params import ParamError, QueryParams, parse_id
from isf.customers import owners, services
from isf.customers.models import OwnerRule
from isf.org.choices import Role
from isf.org.models import Region, Team, User
from isf.segmentation.models import Segment

SELECTION_KEYS = ("segment", "region", "from", "to")


def _owner_choices() -> list[tuple[str, str]]:
    """The owners to choose from: active field reps ("rep-<id>") and inside teams ("team-<id>")."""
    reps = [(f"rep-{u.pk}", str(u)) for u in
            User.objects.filter(role=Role.FIELD_REP, is_active=True).order_by("last_name", "first_name")]
    teams = [(f"team-{t.pk}", owners.owner_label(None, t)) for t in Team.objects.order_by("name")]
    return reps + teams


def _find_owner(raw: str):
    """'rep-12' or 'team-3' -> (field rep, None) or (None, team); None when it names no such owner."""
    kind, _sep, number = raw.partition("-")
    pk = parse_id(number)
    if pk is None:
        return None
    if kind == "rep":
        user = User.objects.filter(pk=pk, role=Role.FIELD_REP).first()
        return (user, None) if user else None
    if kind == "team":
        team = Team.objects.filter(pk=pk).first()
        return (None, team) if team else None
    return None


def _read(query: QueryParams) -> dict:
    """The selection and the new owner from the query (or the confirmed form): one typed read of each key."""
    segment = query.lookup("segment", lambda v: Segment.objects.filter(pk=parse_id(v)).first() if parse_id(v) else None,
                           label=_("Segment"))
    region = query.lookup("region", lambda v: Region.objects.filter(pk=parse_id(v)).first() if parse_id(v) else None,
                          label=_("Region"))
    from_owner, from_team = query.lookup("from", _find_owner, label=_("Current owner")) or (None, None)
    to_owner, to_team = query.lookup("to", _find_owner, label=_("New owner")) or (None, None)
    return {"selection": owners.Selection(segment=segment, region=region, from_owner=from_owner, from_team=from_team),
            "to_owner": to_owner, "to_team": to_team}


def owners_page(request):
    """GET: the rules and the re-assignment form; with a selection and a new owner, the preview of what moves."""
    query = QueryParams(request.GET)
    read = _read(query)
    refused = bool(query.problems)  # an unknown value is named above the page and nothing is previewed
    query.warn(request)
    preview, error = None, None
    asked = any(query.raw(k) for k in SELECTION_KEYS)
    if asked and not refused:
        try:
            services.owners_reassign_check(read["selection"], to_owner=read["to_owner"], to_team=read["to_team"])
        except services.OwnerError as exc:
            error = exc.message
        else:
            preview = owners.reassignment_preview(read["selection"], to_owner=read["to_owner"],
                                                  to_team=read["to_team"], today=timezone.localdate())
    selection = read["selection"]
    return render(request, "customers/owners.html", {
        "rules": OwnerRule.objects.select_related("segment", "region", "owner", "team"),
        "segments": Segment.objects.all(),
        "regions": Region.objects.all(),
        "owner_choices": _owner_choices(),
        "chosen": {k: query.raw(k) for k in SELECTION_KEYS},
        "preview": preview,
        "error": error,
        "new_owner": owners.owner_label(read["to_owner"], read["to_team"]),
        "rule_possible": selection.segment is not None and selection.from_owner is None and selection.from_team is None,
        "can_change": can(request.user, "customers:owner-reassign", "POST"),
    })


@require_POST
def owner_reassign(request):
    """Confirm the previewed re-assignment (the count shown must still hold)."""
    query = QueryParams(request.POST, strict=True)
    back = reverse("customers:owners")
    try:
        read = _read(query)
        expected = query.integer("expected", 0)
    except ParamError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    chosen = {k: query.raw(k) for k in SELECTION_KEYS if query.raw(k)}
    try:
        result = services.owners_reassign(read["selection"], to_owner=read["to_owner"], to_team=read["to_team"],
                                          actor=request.user, expected=expected,
                                          reason=query.text("reason", max_length=300), as_rule=query.flag("as_rule"))
    except services.OwnerError as exc:
        messages.error(request, exc.message)
        return redirect(f"{back}?{urlencode(chosen)}")
    text = _("%(count)s accounts moved to %(owner)s.") % {
        "count": format_number(result["changed"]), "owner": owners.owner_label(read["to_owner"], read["to_team"])}
    if result["rule"] is not None:
        text += " " + _("New accounts of this segment follow the same rule.")
    messages.success(request, text)
    return redirect(back)


@require_POST
def owner_rule_save(request):
    query = QueryParams(request.POST, strict=True)
    try:
        read = _read(query)
        services.owner_rule_save(segment=read["selection"].segment, region=read["selection"].region,
                                 owner=read["to_owner"], team=read["to_team"], actor=request.user)
    except (ParamError, services.OwnerError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Owner rule saved. It places new accounts and accounts that change segment; "
                                    "move the existing ones below."))
    return redirect("customers:owners")


@require_POST
def owner_rule_delete(request, pk: int):
    rule = get_object_or_404(OwnerRule, pk=pk)
    services.owner_rule_delete(rule=rule, actor=request.user)
    messages.success(request, _("Owner rule removed: these accounts go to the region's field rep when next placed."))
    return redirect("customers:owners")
