"""Nightly step: contact plans from the care matrices (after segments and lifecycle phases)."""

from isf.planning.plan import plan_run


def run(*, today, progress) -> dict:
    return plan_run(today=today, progress=progress)
