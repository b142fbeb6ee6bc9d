"""Placing the accounts an import created, at once and by the rules the rest of the base follows.

A new account gets its segment (and with it the inside team) from the segmentation rules the nightly run
applies (:func:`isf.segmentation.services.segments_assign_accounts`), and its field rep from its region, as a
converted lead does (:func:`isf.campaigns.services.leads.region_rep`).  Nothing here decides a placement
itself: the rules stay where they are.
"""

from collections import defaultdict

CHUNK = 5000


def accounts_place(*, account_ids: list[int]) -> dict:
    """Segment, team and owner for the given (new) accounts; returns what was placed where:
    {"accounts", "per_segment": {code: n}, "owners", "teams"}."""
    from isf.campaigns.services.leads import region_rep
    from isf.customers.models import Account
    from isf.org.models import Region
    from isf.segmentation.services import segments_assign_accounts

    ids = list(account_ids)
    if not ids:
        return {}
    segments = segments_assign_accounts(account_ids=ids)
    by_region: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        for pk, region in Account.objects.filter(pk__in=ids[start:start + CHUNK], owner__isnull=True,
                                                 region__isnull=False).values_list("pk", "region_id"):
            by_region[region].append(pk)
    for region in Region.objects.filter(pk__in=list(by_region)):
        rep = region_rep(region)
        if rep is not None:
            for start in range(0, len(by_region[region.pk]), CHUNK):
                Account.objects.filter(pk__in=by_region[region.pk][start:start + CHUNK]).update(owner=rep)
    owners = teams = 0
    for start in range(0, len(ids), CHUNK):
        chunk = Account.objects.filter(pk__in=ids[start:start + CHUNK])
        owners += chunk.filter(owner__isnull=False).count()
        teams += chunk.filter(team__isnull=False).count()
    return {"accounts": len(ids), "per_segment": segments["per_segment"], "owners": owners, "teams": teams}
