"""The one writer of accounts, contacts and phone numbers.

Every other app (imports, the API, lead conversion, visit reports, segmentation, inside-sales
capture, owner re-assignment) changes a customer's master data through the functions here, so the
history entry, the normalised phone numbers and the validation happen in one place.
"""


# Capture ------------------------------------------------------------------------------------------------------------
# What every contact learns (issue 20): a need, a new potential estimate, a new or changed contact with its
# buying-center role, recorded from a call or the customer screen. Each write lands on the account timeline (the
# rows themselves are its entries, isf.calls.timeline) and tells the field rep who owns the account.

from datetime import date as _date  # noqa: E402
from datetime import datetime as _datetime  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402
from decimal import InvalidOperation as _InvalidOperation  # noqa: E402

from django.db import transaction as _transaction  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext as _t  # noqa: E402

AMOUNT_MAX = _Decimal("1000000000000")  # 1 trillion EUR: above this a potential or volume was mistyped


class CaptureError(Exception):
    """What was captured cannot be recorded; ``field`` names the form field. Nothing was written."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def _amount(value, field: str, label: str, *, required: bool) -> _Decimal | None:
    """A typed or given amount in EUR, checked: a number from 0 below 1 trillion, to the cent."""
    if value is None or value == "":
        if required:
            raise CaptureError(_t("%(label)s: give an amount in euros.") % {"label": label}, field)
        return None
    if isinstance(value, str):
        from isf.core.numbers import NumberParseError, parse_number

        try:
            value = parse_number(value)
        except NumberParseError:
            raise CaptureError(_t("%(label)s: “%(value)s” is not an amount in euros.")
                               % {"label": label, "value": value[:40]}, field) from None
    try:
        value = _Decimal(str(value))
    except (_InvalidOperation, ValueError):
        raise CaptureError(_t("%(label)s: “%(value)s” is not an amount in euros.")
                           % {"label": label, "value": str(value)[:40]}, field) from None
    if not value.is_finite():
        raise CaptureError(_t("%(label)s: “%(value)s” is not an amount in euros.")
                           % {"label": label, "value": str(value)[:40]}, field)
    if value < 0:
        raise CaptureError(_t("%(label)s cannot be below zero.") % {"label": label}, field)
    if value >= AMOUNT_MAX:
        raise CaptureError(_t("%(label)s: give an amount below 1 trillion euros.") % {"label": label}, field)
    return value.quantize(_Decimal("0.01"))


def _owner_notify(account, user, kind: str, message: str, now) -> None:
    """The field rep who owns the account learns of it (not when he recorded it himself)."""
    from isf.service.services import notification_send

    if account.owner_id and account.owner_id != getattr(user, "pk", None):
        notification_send(recipient=account.owner, kind=kind, message=f"{account.name}: {message}", now=now)


def potential_latest(account):
    """The account's latest potential estimate (by its date, then the later entry); None without one."""
    from isf.customers.models import PotentialEstimate

    return PotentialEstimate.objects.filter(account=account).order_by("-estimated_on", "-pk").first()


@_transaction.atomic
def need_record(*, account, product_group, user, expected_volume=None, timing: str = "", note: str = "",
                source: str = "call", now: _datetime | None = None):
    """Record a need of the customer (product group, expected volume a year, timing); the owner is notified."""
    from isf.core.numbers import format_eur
    from isf.customers.choices import NeedTiming, PotentialSource
    from isf.customers.models import CustomerNeed, ProductGroup
    from isf.service.choices import NotificationKind

    now = now or _timezone.now()
    if not isinstance(product_group, ProductGroup):
        raise CaptureError(_t("Choose the product group the customer needs."), "need_group")
    volume = _amount(expected_volume, "need_volume", _t("Expected volume"), required=False)
    timing = timing or NeedTiming.YEAR
    if timing not in NeedTiming.values:
        raise CaptureError(_t("Choose when the customer will buy."), "need_timing")
    if source not in PotentialSource.values:
        raise CaptureError(_t("Choose where the information comes from."), "source")
    need = CustomerNeed.objects.create(account=account, product_group=product_group, expected_volume=volume,
                                       timing=timing, note=(note or "").strip()[:300], source=source,
                                       recorded_by=user, recorded_at=now)
    parts = [product_group.name, format_eur(volume) if volume is not None else ""]
    _owner_notify(account, user, NotificationKind.CUSTOMER_NEED, " · ".join(p for p in parts if p), now)
    return need


@_transaction.atomic
def potential_record(*, account, value, user, source: str = "call", estimated_on: _date | None = None,
                     note: str = "", now: _datetime | None = None):
    """Record a new estimate of the account's annual potential, kept as history; the latest estimate becomes the
    account's potential (what the segmentation reads). The owner is notified."""
    from isf.core.numbers import format_eur
    from isf.customers.choices import PotentialSource
    from isf.customers.models import Account, PotentialEstimate
    from isf.service.choices import NotificationKind

    now = now or _timezone.now()
    amount = _amount(value, "potential", _t("Potential"), required=True)
    if source not in PotentialSource.values:
        raise CaptureError(_t("Choose where the estimate comes from."), "potential_source")
    estimated_on = estimated_on or _timezone.localdate(now)
    if estimated_on > _timezone.localdate(now):
        raise CaptureError(_t("An estimate cannot be dated in the future."), "potential_date")
    account = Account.objects.select_for_update().get(pk=account.pk)
    estimate = PotentialEstimate.objects.create(account=account, value=amount, source=source,
                                                estimated_on=estimated_on, note=(note or "").strip()[:300],
                                                recorded_by=user, recorded_at=now)
    latest = potential_latest(account)
    if account.potential != latest.value:
        account.potential = latest.value
        account.save(update_fields=["potential", "updated_at"])
    _owner_notify(account, user, NotificationKind.POTENTIAL, format_eur(amount), now)
    return estimate


@_transaction.atomic
def contact_capture(*, account, user, contact=None, first_name: str = "", last_name: str = "", function: str = "",
                    buying_role: str = "", email: str = "", now: _datetime | None = None):
    """A new contact of the account, or a change of one (function, buying-center role, e-mail); returns
    (contact, created). Only what was given changes; the owner is notified."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from isf.customers.choices import BuyingRole
    from isf.customers.models import Contact
    from isf.service.choices import NotificationKind

    now = now or _timezone.now()
    if buying_role and buying_role not in BuyingRole.values:
        raise CaptureError(_t("Choose a buying-center role."), "contact_role")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CaptureError(_t("“%(value)s” is not an e-mail address.") % {"value": email[:60]},
                               "contact_email") from None
    created = contact is None
    if created:
        if not (last_name or "").strip():
            raise CaptureError(_t("Give the new contact's last name."), "contact_last_name")
        contact = Contact(account=account)
    elif contact.account_id != account.pk:
        raise CaptureError(_t("%(contact)s is not a contact of this account.") % {"contact": contact}, "contact")
    changes = {"first_name": (first_name or "").strip()[:100], "last_name": (last_name or "").strip()[:100],
               "function": (function or "").strip()[:100], "buying_role": buying_role, "email": email}
    changed = [f for f, v in changes.items() if v and getattr(contact, f) != v]
    if not created and not changed:
        raise CaptureError(_t("Nothing of the contact changed."), "contact")
    for f in changed:
        setattr(contact, f, changes[f])
    contact._history_user = user  # the timeline names who recorded it
    contact.save()
    role = BuyingRole(contact.buying_role).label if contact.buying_role else ""
    _owner_notify(account, user, NotificationKind.CUSTOMER_CONTACT,
                  " · ".join(p for p in (str(contact), contact.function, str(role)) if p), now)
    return contact, created
