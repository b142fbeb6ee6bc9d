"""Nightly step: assign every account to its segment."""

from isf.segmentation.services import segments_assign_all


def run(*, today, progress) -> dict:
    return segments_assign_all(today=today, progress=progress)
