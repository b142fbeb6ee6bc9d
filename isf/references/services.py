"""Writes of the reference library: reference cases and press findings (the one writer of both)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.customers.choices import Industry
from isf.references.models import PressFinding, ReferenceCase


class ReferenceError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def _text(value, field: str, label: str, max_length: int, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ReferenceError(_("Give the %(label)s.") % {"label": label}, field)
    if len(text) > max_length:
        raise ReferenceError(_("%(label)s: at most %(n)s characters.") % {"label": label, "n": max_length}, field)
    return text


@transaction.atomic
def reference_case_create(*, account, title: str, product_groups, result: str, user, challenge: str = "",
                          industry: str = "", approved_on: date | None = None, approved_by: str = "",
                          now=None) -> ReferenceCase:
    """A customer's story for the library; the industry is the account's unless given. An approval names who at
    the customer approved it and when (not in the future)."""
    now = now or timezone.now()
    groups = list(product_groups)
    if not groups:
        raise ReferenceError(_("Choose at least one product group."), "product_groups")
    industry = industry or account.industry
    if industry and industry not in Industry.values:
        raise ReferenceError(_("Choose an industry of the list."), "industry")
    approved_by = _text(approved_by, "approved_by", _("name of the approver"), 200, required=approved_on is not None)
    if approved_by and approved_on is None:
        raise ReferenceError(_("Give the date of the customer's approval."), "approved_on")
    if approved_on is not None and approved_on > max(timezone.localdate(now), timezone.localdate()):
        raise ReferenceError(_("The approval cannot lie in the future."), "approved_on")
    case = ReferenceCase.objects.create(
        account=account, title=_text(title, "title", _("title"), 200, required=True),
        result=_text(result, "result", _("result"), 4000, required=True),
        challenge=_text(challenge, "challenge", _("starting point"), 4000, required=False), industry=industry,
        approved_on=approved_on, approved_by=approved_by, created_by=user, created_at=now)
    case.product_groups.set(groups)
    return case


@transaction.atomic
def press_finding_record(*, account, published_on: date, publication: str, headline: str, user, url: str = "",
                         note: str = "", now=None) -> PressFinding:
    """An article about the customer, filed on the account's timeline."""
    now = now or timezone.now()
    if published_on is None or published_on > timezone.localdate(now):
        raise ReferenceError(_("Give the day it was published (not in the future)."), "published_on")
    url = (url or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise ReferenceError(_("Give the link as a web address (https://…)."), "url")
    return PressFinding.objects.create(
        account=account, published_on=published_on,
        publication=_text(publication, "publication", _("publication"), 200, required=True),
        headline=_text(headline, "headline", _("headline"), 300, required=True), url=url[:500],
        note=_text(note, "note", _("note"), 500, required=False), recorded_by=user, recorded_at=now)
