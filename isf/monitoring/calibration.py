"""The calibration in force: evaluated on the base's own orders, renewed every CALIBRATION_DAYS by the nightly run.

Until a first evaluation exists (a new installation, too little history) every flag kind is raised.
"""

from __future__ import annotations

from datetime import date, timedelta

from isf.monitoring.choices import FlagCode
from isf.monitoring.evaluation import evaluate
from isf.monitoring.models import FlagCalibration

CALIBRATION_DAYS = 28


def calibration_kinds() -> set[str]:
    """The flag kinds the nightly run raises (all of them until a calibration exists)."""
    latest = FlagCalibration.objects.first()
    if latest is None:
        return set(FlagCode.values)
    return {code for code in FlagCode.values if latest.raised.get(code, True)}


def calibration_save(*, result: dict, today: date) -> FlagCalibration:
    """Store an evaluation (``isf.monitoring.evaluation.evaluate``) as the calibration in force."""
    return FlagCalibration.objects.create(evaluated_on=today, cutoff=date.fromisoformat(result["cutoff"]),
                                          result=result, raised=result["raised"])


def calibration_renew(*, today: date, progress=lambda msg: None) -> FlagCalibration | None:
    """Evaluate and store when the calibration in force is older than CALIBRATION_DAYS (None: still fresh, or
    the history is too short to evaluate)."""
    latest = FlagCalibration.objects.first()
    if latest is not None and latest.evaluated_on > today - timedelta(days=CALIBRATION_DAYS):
        return None
    try:
        result = evaluate()
    except ValueError as exc:
        progress(f"flag calibration skipped: {exc}")
        return None
    raised = ", ".join(code for code, on in result["raised"].items() if on) or "none"
    progress(f"flag calibration at {result['cutoff']}: raised {raised}")
    return calibration_save(result=result, today=today)
