"""Nightly step: derive every account's lifecycle phase."""

from isf.lifecycle.services import lifecycle_update_all


def run(*, today, progress) -> dict:
    return lifecycle_update_all(today=today, progress=progress)
