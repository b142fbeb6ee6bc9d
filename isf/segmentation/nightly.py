"""Nightly step: assign every account to its segment, then give the accounts without an owner and those whose
segment changed the owner the owner rules name (isf.customers.services.owners_place_nightly)."""

from isf.customers.services import owners_place_nightly
from isf.segmentation.services import segments_assign_all


def run(*, today, progress) -> dict:
    result = segments_assign_all(today=today, progress=progress)
    owners = owners_place_nightly(today=today, progress=progress)
    return result | {"owners_placed": owners["changed"]}
