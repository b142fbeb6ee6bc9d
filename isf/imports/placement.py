"""Placing the accounts an import created, at once and by the rules the rest of the base follows.

A new account gets its segment (and with it the inside team) from the segmentation rules the nightly run
applies (:func:`isf.segmentation.services.segments_assign_accounts`), and its owner - a field rep or an inside
team - from the owner rules the nightly run applies (:func:`isf.customers.services.accounts_place_owners`:
segment × region, else the region's field rep). Nothing here decides a placement itself: the rules stay where
they are.
"""

CHUNK = 5000


def accounts_place(*, account_ids: list[int]) -> dict:
    """Segment, team and owner for the given (new) accounts; returns what was placed where:
    {"accounts", "per_segment": {code: n}, "owners", "teams"} (+ "owner_teams" when an inside team owns some)."""
    from isf.customers.choices import OwnerSource
    from isf.customers.models import Account
    from isf.customers.services import accounts_place_owners
    from isf.segmentation.services import segments_assign_accounts

    ids = list(account_ids)
    if not ids:
        return {}
    segments = segments_assign_accounts(account_ids=ids)
    accounts_place_owners(account_ids=ids, source=OwnerSource.IMPORT)
    owners = teams = owner_teams = 0
    for start in range(0, len(ids), CHUNK):
        chunk = Account.objects.filter(pk__in=ids[start:start + CHUNK])
        owners += chunk.filter(owner__isnull=False).count()
        owner_teams += chunk.filter(owner_team__isnull=False).count()
        teams += chunk.filter(team__isnull=False).count()
    placed = {"accounts": len(ids), "per_segment": segments["per_segment"], "owners": owners, "teams": teams}
    return placed | ({"owner_teams": owner_teams} if owner_teams else {})
