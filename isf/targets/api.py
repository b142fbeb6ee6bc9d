"""API: GET /api/v1/targets?period=2026-Q4 - targets against actual with a run-rate forecast.

The same figures as the targets page, the leads' overviews, the rep's home and the review pack
(:func:`isf.targets.selectors.target_progress`). Leads see every target; a field rep only his own (scope
``rep``, his own accounts' figures); an inside-sales agent his team's without margins; marketing sees no revenue
or margin targets.
"""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema

from isf.core.params import ParamError
from isf.targets.periods import PeriodError, parse_period
from isf.targets.selectors import target_progress

router = Router(tags=["targets"])

#: a year, quarter or month from 1900 to 2099 (2026, 2026-Q4, 2026-12), as parse_period reads it: the spec says what
#: is accepted, so a value schemathesis calls valid is one (it mines the code's regexes for its examples)
PeriodCode = Annotated[str, Field(max_length=7, pattern=r"^(19|20)[0-9]{2}(-[Qq][1-4]|-(0[1-9]|1[0-2]))?$")]


class TargetOut(Schema):
    scope: str
    code: str
    metric: str
    target: Decimal
    actual: Decimal
    attainment: float | None
    forecast: Decimal | None


class TargetsOut(Schema):
    period: str
    period_first: str
    period_last: str
    plan_version: int | None
    plan_status: str | None
    items: list[TargetOut]


@router.get("/targets", response=TargetsOut, summary="Targets against actual and run-rate forecast",
            description="`period`: 2026, 2026-Q4 or 2026-12. `attainment` = actual / target; `forecast` = the "
                        "actual at its daily rate so far, to the period's end (null before the period starts). "
                        "The agreed version counts, else the newest draft.")
def list_targets(request, period: PeriodCode):
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise ParamError("period", f"period: {exc}") from None
    plan, rows = target_progress(period=p, user=request.user)
    return {"period": p.code, "period_first": p.start.isoformat(), "period_last": p.end.isoformat(),
            "plan_version": plan.version if plan else None, "plan_status": plan.status if plan else None,
            "items": [r.as_api() for r in rows]}
