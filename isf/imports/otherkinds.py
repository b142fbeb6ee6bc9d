"""The two import kinds that other apps own: leads (campaigns) and call volumes (capacity).

``isf import leads|call-volumes`` and the upload page both run them through these functions, so the command
line and the UI accept and refuse exactly the same files.  Both services are all or nothing.
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from isf.campaigns.errors import CampaignsError
from isf.campaigns.services.lead_import import lead_import_csv

#: kinds of the upload page that are not table kinds of :func:`isf.imports.kinds.run_import`
OTHER_KINDS = ("leads", "call-volumes")


class OtherKindError(Exception):
    """The file was refused; ``errors`` lists every reason (one per bad row where the service says so)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:20]))
        self.errors = errors


def import_leads(path: str | Path, *, dry_run: bool = False, user=None) -> dict:
    """Leads from a CSV through the campaigns app's import: ``{"created": n, "dry_run": bool}``."""
    raw = Path(path).read_bytes()
    try:
        with transaction.atomic():
            created = len(lead_import_csv(raw=raw, user=user))
            if dry_run:
                transaction.set_rollback(True)
    except CampaignsError as exc:
        raise OtherKindError(list(getattr(exc, "errors", None) or [str(exc)])) from None
    return {"created": created, "dry_run": dry_run}


def import_call_volumes(path: str | Path, *, team=None, dry_run: bool = False, timezone: str | None = None) -> dict:
    """Interval call volumes through the capacity app's import (the result dict of ``call_volumes_import``)."""
    from isf.capacity.services import CapacityError, call_volumes_import

    try:
        return call_volumes_import(path=path, team=team, dry_run=dry_run, timezone=timezone)
    except CapacityError as exc:
        raise OtherKindError([str(exc)]) from None


def call_volumes_summary(result: dict) -> str:
    """What a call-volume import did (or would do), in the active language."""
    values = {**result, "team": result["team"] or _("the whole line")}
    text = (_("would import %(rows)s intervals of %(resolution_minutes)s minutes") if result["dry_run"]
            else _("imported %(rows)s intervals of %(resolution_minutes)s minutes")) % values
    text += " " + _("(%(first_interval)s – %(last_interval)s, %(calls)s calls) for %(team)s; "
                    "replaced %(replaced)s stored intervals") % values
    if result.get("closed_intervals"):
        text += "; " + _("%(closed_intervals)s intervals closed (outside the opening hours)") % values
    for warning in result.get("warnings") or ():
        text += "; " + _("warning: %(warning)s") % {"warning": warning}
    return text
