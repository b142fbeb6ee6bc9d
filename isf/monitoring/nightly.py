"""Nightly step: order-behaviour monitoring over the whole base (after segmentation and lifecycle)."""

from isf.monitoring.services import monitor_run


def run(*, today, progress) -> dict:
    return monitor_run(today=today, progress=progress)
