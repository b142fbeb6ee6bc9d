"""Writes of targets and care-cost settings: keyword-only, atomic, a domain error naming the field or row.

Nothing changes when a rule is broken: every check runs before the first write, inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core.access import can
from isf.core.numbers import NumberParseError, to_decimal
from isf.core.text import control_character_message
from isf.org.choices import Role
from isf.org.models import Region, Team, User
from isf.segmentation.models import Segment
from isf.targets.choices import Metric, PlanAction, PlanStatus, Scope
from isf.targets.models import COSTED_ROLES, CostRate, RegionTravel, Target, TargetPlan, TargetPlanEvent
from isf.targets.periods import Period, PeriodError, parse_period

MAX_TARGET = Decimal("999999999999.99")


class TargetError(Exception):
    """A target or cost write the rules do not allow; ``field`` names the input, ``row`` the import row."""

    def __init__(self, message: str, field: str = "", row: int | None = None):
        super().__init__(message)
        self.field = field
        self.row = row


def _require(actor, action: str, what: str) -> None:
    """The access declaration decides (isf/targets/access.py, the page that does ``action``), not a role list here."""
    if actor is None or not can(actor, f"targets:{action}", "POST"):
        raise TargetError(_("%(what)s: your role may not do this") % {"what": what}, what)


def period_of(text, field: str = "period") -> Period:
    try:
        return parse_period(text)
    except PeriodError:
        raise TargetError(
            _("%(field)s: '%(value)s' is not a period (2026, 2026-Q4 or 2026-12)")
            % {"field": field, "value": str(text)[:20]}, field) from None


def _event(plan, action, actor, *, from_status="", to_status="", note=""):
    TargetPlanEvent.objects.create(plan=plan, action=action, actor=actor, from_status=from_status,
                                   to_status=to_status, note=note[:300])


def _overlapping_agreed(period: Period):
    """The agreed plan of another period whose range overlaps ``period`` (one such conflict is enough)."""
    return (TargetPlan.objects.filter(status=PlanStatus.AGREED, period_start__lte=period.end,
                                      period_end__gte=period.start)
            .exclude(period=period.code).order_by("period_start").first())


def _refuse_overlap(period: Period) -> None:
    other = _overlapping_agreed(period)
    if other is not None:
        raise TargetError(
            _("period: %(period)s overlaps the agreed targets for %(other)s (version %(version)s); "
              "revise that version instead") % {"period": period.code, "other": other.period, "version": other.version},
            "period")


@transaction.atomic
def target_plan_create(*, period: str, actor, note: str = "") -> TargetPlan:
    """A new draft version for the period, starting from the newest version's targets (if any)."""
    _require(actor, "plan-new", "period")
    _no_control(period, "period")
    _no_control(note, "note")
    p = period_of(period)
    _refuse_overlap(p)
    if TargetPlan.objects.filter(period=p.code, status=PlanStatus.DRAFT).exists():
        raise TargetError(_("period: there is already a draft for %(period)s; edit that one") % {"period": p.code},
                          "period")
    if len(note) > 300:
        raise TargetError(_("note: at most 300 characters"), "note")
    latest = TargetPlan.objects.filter(period=p.code).order_by("-version").first()
    version = (TargetPlan.objects.filter(period=p.code).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = TargetPlan.objects.create(period=p.code, period_start=p.start, period_end=p.end, version=version,
                                     note=note.strip(), created_by=actor)
    if latest is not None:
        Target.objects.bulk_create([
            Target(plan=plan, period=t.period, period_start=t.period_start, period_end=t.period_end, scope=t.scope,
                   code=t.code, segment_id=t.segment_id, team_id=t.team_id, rep_id=t.rep_id, metric=t.metric,
                   value=t.value)
            for t in latest.targets.all()
        ])
    _event(plan, PlanAction.CREATED, actor, to_status=PlanStatus.DRAFT,
           note=f"from version {latest.version}" if latest else "")
    return plan


def _require_draft(plan: TargetPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise TargetError(
            _("plan: version %(version)s of %(period)s is %(status)s; start a new version to change targets")
            % {"version": plan.version, "period": plan.period, "status": plan.get_status_display()}, "plan")


@dataclass(frozen=True)
class CleanTarget:
    period: Period
    scope: str
    code: str
    owner: object  # the Segment, Team or User
    metric: str
    value: Decimal


def _owner(scope: str, code: str):
    if scope == Scope.SEGMENT:
        return Segment.objects.filter(code=code).first()
    if scope == Scope.TEAM:
        return Team.objects.filter(code=code).first()
    return User.objects.filter(username=code, role=Role.FIELD_REP).first()


def _no_control(value, field: str) -> None:
    """A control character (NUL cannot even be stored on PostgreSQL) is refused, naming the field."""
    if isinstance(value, str) and (problem := control_character_message(value, multiline=False)):
        raise TargetError(f"{field}: {problem}", field)  # noqa: INT001 - the problem text is English


def clean_target(plan: TargetPlan, *, period, scope, code, metric, value) -> CleanTarget:
    """Check one target's values against the plan; raises TargetError naming the field."""
    for field, text in (("period", period), ("scope", scope), ("code", code), ("metric", metric),
                        ("target", value)):
        _no_control(text, field)
    p = period_of(period or plan.period)
    plan_period = parse_period(plan.period)
    if not plan_period.contains(p):
        raise TargetError(_("period: %(period)s lies outside the plan's period %(plan)s")
                          % {"period": p.code, "plan": plan.period}, "period")
    scope = str(scope or "").strip().lower()
    if scope not in Scope.values:
        raise TargetError(_("scope: '%(value)s' is not segment, team or rep") % {"value": scope[:20]}, "scope")
    code = str(code or "").strip()
    owner = _owner(scope, code) if code else None
    if owner is None:
        message = {
            Scope.SEGMENT: _("code: unknown segment '%(code)s'"),
            Scope.TEAM: _("code: unknown inside team '%(code)s'"),
            Scope.REP: _("code: '%(code)s' is no field rep's user name"),
        }[scope]
        raise TargetError(message % {"code": code[:40]}, "code")
    metric = str(metric or "").strip().lower()
    if metric not in Metric.values:
        raise TargetError(_("metric: '%(value)s' is not one of %(known)s")
                          % {"value": metric[:30], "known": ", ".join(Metric.values)}, "metric")
    try:  # as typed on the page (German 1.234,50, English 1,234.50) or a number from a file or the API
        number = to_decimal(value.strip() if isinstance(value, str) else value)
    except (NumberParseError, InvalidOperation, ValueError):
        raise TargetError(_("target: '%(value)s' is not a number") % {"value": str(value)[:30]}, "target") from None
    if not number.is_finite():
        raise TargetError(_("target: '%(value)s' is not a number") % {"value": str(value)[:30]}, "target")
    if number < 0:
        raise TargetError(_("target: a target must not be negative"), "target")
    if number > MAX_TARGET:
        raise TargetError(_("target: too large"), "target")
    return CleanTarget(p, scope, code, owner, metric, number.quantize(Decimal("0.01")))


def _write(plan: TargetPlan, t: CleanTarget) -> None:
    owner = {"segment": None, "team": None, "rep": None}
    owner[t.scope] = t.owner  # the scope names its owner field
    Target.objects.update_or_create(
        plan=plan, period=t.period.code, scope=t.scope, code=t.code, metric=t.metric,
        defaults={"period_start": t.period.start, "period_end": t.period.end, "value": t.value, **owner},
    )


@transaction.atomic
def target_set(*, plan: TargetPlan, period: str, scope: str, code: str, metric: str, value, actor) -> None:
    """Set (or change) one target of a draft."""
    _require(actor, "target-set", "target")
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    clean = clean_target(plan, period=period, scope=scope, code=code, metric=metric, value=value)
    _write(plan, clean)
    _event(plan, PlanAction.CHANGED, actor,
           note=f"{clean.period.code} {clean.scope} {clean.code} {clean.metric} = {clean.value}")


@transaction.atomic
def target_delete(*, plan: TargetPlan, target_id: int, actor) -> None:
    _require(actor, "target-delete", "target")
    _require_draft(plan)
    deleted, _n = Target.objects.filter(plan=plan, pk=target_id).delete()
    if not deleted:
        raise TargetError(_("target: no such target in this plan"), "target")
    _event(plan, PlanAction.CHANGED, actor, note=f"target {target_id} removed")


IMPORT_COLUMNS = ("period", "scope", "code", "metric", "target")


@transaction.atomic
def targets_import(*, plan: TargetPlan, rows, actor) -> int:
    """Write ``rows`` ((row number, {column: text}) pairs) into a draft: all rows or, on any error, none.

    The first bad row raises TargetError with its number; a target twice in the file is an error too.
    """
    _require(actor, "plan-import", "file")
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    cleaned, seen = [], {}
    for number, row in rows:
        try:
            t = clean_target(plan, period=row.get("period"), scope=row.get("scope"), code=row.get("code"),
                             metric=row.get("metric"), value=row.get("target", ""))
        except TargetError as exc:
            raise TargetError(_("row %(row)s: %(message)s") % {"row": number, "message": exc}, exc.field,
                              row=number) from None
        key = (t.period.code, t.scope, t.code, t.metric)
        if key in seen:
            raise TargetError(_("row %(row)s: the same target as row %(first)s") % {"row": number, "first": seen[key]},
                              "file", row=number)
        seen[key] = number
        cleaned.append(t)
    if not cleaned:
        raise TargetError(_("file: the file holds no targets"), "file")
    for t in cleaned:
        _write(plan, t)
    _event(plan, PlanAction.IMPORTED, actor, note=f"{len(cleaned)} targets")
    return len(cleaned)


@transaction.atomic
def target_plan_agree(*, plan: TargetPlan, actor, meeting=None) -> TargetPlan:
    """Record the actor's agreement (VL or IDL); with both, the plan is agreed and supersedes the period's last.

    In a review meeting (``meeting``) both leads of the meeting agree at once.
    """
    _require(actor, "plan-agree", "plan")
    plan = TargetPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if not plan.targets.exists():
        raise TargetError(_("plan: a plan without targets cannot be agreed"), "plan")
    _refuse_overlap(parse_period(plan.period))
    now = timezone.now()
    if meeting is not None:
        if actor.pk not in (meeting.sales_lead_id, meeting.inside_lead_id):
            raise TargetError(_("meeting: only the meeting's sales lead or inside-sales lead may agree in it"),
                              "meeting")
        plan.sales_lead_id, plan.inside_lead_id = meeting.sales_lead_id, meeting.inside_lead_id
        plan.sales_lead_at = plan.inside_lead_at = now
        plan.meeting = meeting
    elif actor.role == Role.INSIDE_LEAD:
        plan.inside_lead, plan.inside_lead_at = actor, now
    else:
        plan.sales_lead, plan.sales_lead_at = actor, now
    if not (plan.sales_lead_id and plan.inside_lead_id):
        plan.save()
        _event(plan, PlanAction.APPROVED, actor, note=str(actor))
        return plan
    previous = TargetPlan.objects.select_for_update().filter(period=plan.period, status=PlanStatus.AGREED).first()
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        _event(previous, PlanAction.SUPERSEDED, actor, from_status=PlanStatus.AGREED, to_status=PlanStatus.SUPERSEDED,
               note=f"version {plan.version}")
    plan.status, plan.agreed_at = PlanStatus.AGREED, now
    plan.save()
    _event(plan, PlanAction.AGREED, actor, from_status=PlanStatus.DRAFT, to_status=PlanStatus.AGREED,
           note=f"meeting {meeting.pk}" if meeting is not None else "")
    if meeting is not None:
        from isf.reviews.models import AgendaItem

        position = (meeting.agenda.aggregate(p=Max("position"))["p"] or 0) + 1
        AgendaItem.objects.create(meeting=meeting, position=position,
                                  title=_("Targets %(period)s agreed (version %(version)s)")
                                  % {"period": plan.period, "version": plan.version})
    return plan


# ----------------------------------------------------------------------------------------------- care cost


def _rate(value, field: str) -> Decimal:
    text = str(value).strip()
    _no_control(text, field)
    try:  # as typed on the page: 1.234,50 (German) or 1,234.50 (English)
        number = to_decimal(value if isinstance(value, Decimal | int) else text)
    except (NumberParseError, InvalidOperation, ValueError):
        raise TargetError(_("%(field)s: '%(value)s' is not a number") % {"field": field, "value": str(value)[:20]},
                          field) from None
    if not number.is_finite():
        raise TargetError(_("%(field)s: '%(value)s' is not a number") % {"field": field, "value": str(value)[:20]},
                          field)
    return number


@transaction.atomic
def cost_rates_set(*, rates: dict, travel: dict | None = None, actor) -> None:
    """Set the hourly cost rate per role ({role: value}) and the travel minutes per region ({region id: value}).

    A rate must be above zero (a contact never costs nothing), a travel time 0..600 minutes; nothing is saved
    when one value is wrong.
    """
    _require(actor, "rates", "rate")
    clean_rates = {}
    for role, value in rates.items():
        field = f"rate_{role}"
        if role not in dict(COSTED_ROLES):  # the phone system's integration user has no cost rate
            raise TargetError(_("%(field)s: unknown role") % {"field": field}, field)
        number = _rate(value, field)
        if number <= 0:
            raise TargetError(_("%(field)s: the cost rate must be above zero") % {"field": field}, field)
        if number >= Decimal("1000000"):
            raise TargetError(_("%(field)s: too large") % {"field": field}, field)
        clean_rates[role] = number.quantize(Decimal("0.01"))
    clean_travel = {}
    regions = {str(r.pk): r for r in Region.objects.all()}
    for key, value in (travel or {}).items():
        field = f"travel_{key}"
        if str(key) not in regions:
            raise TargetError(_("%(field)s: unknown region") % {"field": field}, field)
        number = _rate(value, field)
        if number != number.to_integral_value() or not 0 <= number <= 600:
            raise TargetError(_("%(field)s: whole minutes from 0 to 600") % {"field": field}, field)
        clean_travel[regions[str(key)]] = int(number)
    for role, number in clean_rates.items():
        CostRate.objects.update_or_create(role=role, defaults={"hourly_rate": number})
    for region, minutes in clean_travel.items():
        RegionTravel.objects.update_or_create(region=region, defaults={"travel_minutes": minutes})
