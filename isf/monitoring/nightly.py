"""Nightly step: order-behaviour monitoring over the whole base (after segmentation and lifecycle).

The flag calibration is renewed first when it is due (every four weeks), so the run raises the kinds that
earned it on the latest evaluation.
"""

from isf.monitoring.calibration import calibration_renew
from isf.monitoring.services import monitor_run


def run(*, today, progress) -> dict:
    calibration_renew(today=today, progress=progress)
    return monitor_run(today=today, progress=progress)
