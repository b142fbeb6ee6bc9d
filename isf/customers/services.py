"""The one writer of accounts, contacts and phone numbers.

Every other app (imports, the API, lead conversion, visit reports, segmentation, inside-sales
capture, owner re-assignment) changes a customer's master data through the functions here, so the
history entry, the normalised phone numbers and the validation happen in one place.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from isf.customers.models import Account, Contact, PhoneNumber
from isf.customers.phones import phone_kind

#: Accounts per UPDATE in the bulk writes (SQLite's parameter limit leaves room for the other values).
CHUNK = 5000


class CustomerError(ValueError):
    """A change to an account or contact that its rules refuse; ``field`` names the input."""

    def __init__(self, message, field: str = ""):
        super().__init__(message)
        self.field = field


def _history_by(obj, actor) -> None:
    """The history row of the next save names ``actor`` (django-simple-history reads ``_history_user``)."""
    if actor is not None:
        obj._history_user = actor


# --------------------------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------------------------
def account_create(*, actor=None, **fields) -> Account:
    """A new account from its fields (lead conversion, the API); the history records its creation."""
    account = Account(**fields)
    _history_by(account, actor)
    account.save()
    return account


def account_change(*, account: Account, actor=None, **fields) -> Account:
    """Set ``fields`` on ``account`` and save exactly those (plus ``updated_at``); the history records who."""
    for name, value in fields.items():
        setattr(account, name, value)
    _history_by(account, actor)
    account.save(update_fields=[*fields, "updated_at"])
    return account


@transaction.atomic
def account_potential_set(*, account: Account, potential: Decimal, actor=None) -> Account:
    """Set the estimated annual potential (visit reports); the history records who changed it and when."""
    if potential < 0:
        raise CustomerError(_("The estimated potential cannot be negative."), "potential")
    account = Account.objects.select_for_update().get(pk=account.pk)
    return account_change(account=account, actor=actor, potential=potential)


def account_opt_out_set(*, account: Account, when: date, actor=None) -> bool:
    """Record the account's objection to advertising on ``when`` unless one is recorded; True when it was new."""
    account.refresh_from_db()
    if account.opt_out_date is not None:
        return False
    account_change(account=account, actor=actor, opt_out_date=when)
    return True


def account_phase_set(*, account: Account, phase: str) -> Account:
    """Store the lifecycle phase the lifecycle app decided (it records the PhaseChange beside it)."""
    return account_change(account=account, phase=phase)


def accounts_phase_set_bulk(*, pks: list[int], phase: str, at: datetime, only_from: tuple[str, ...] = ()) -> int:
    """Set the phase of many accounts (the nightly lifecycle run, monitoring's first run); with ``only_from`` only
    accounts now in one of those phases change. One UPDATE per chunk; returns how many rows changed."""
    changed = 0
    for start in range(0, len(pks), CHUNK):
        qs = Account.objects.filter(pk__in=pks[start:start + CHUNK])
        if only_from:
            qs = qs.filter(phase__in=only_from)
        changed += qs.update(phase=phase, updated_at=at)
    return changed


def accounts_segment_set_bulk(*, pks: list[int], segment_id: int | None, old_team_id: int | None,
                              new_team_id: int | None) -> int:
    """Move accounts into a segment; the team follows the segment unless someone gave the account another team
    (its team is empty or the old segment's). Returns how many accounts moved."""
    moved = 0
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start:start + CHUNK]
        moved += Account.objects.filter(pk__in=chunk).update(segment_id=segment_id)
        if new_team_id != old_team_id:
            follows = Account.objects.filter(pk__in=chunk, team__isnull=True)
            if old_team_id:
                follows = follows | Account.objects.filter(pk__in=chunk, team_id=old_team_id)
            follows.update(team_id=new_team_id)
    return moved


def accounts_team_follow_segment(*, segment_id: int, old_team_id: int, new_team_id: int | None) -> int:
    """A segment changed its team: its accounts whose team followed the segment follow it to the new team."""
    return Account.objects.filter(segment_id=segment_id, team_id=old_team_id).update(team_id=new_team_id)


def accounts_team_from_segment(*, segment_id: int, team_id: int) -> int:
    """Accounts of the segment without a team get the segment's team; returns how many."""
    return Account.objects.filter(segment_id=segment_id, team__isnull=True).update(team_id=team_id)


# --------------------------------------------------------------------------------------------------------------
# Contacts and phone numbers
# --------------------------------------------------------------------------------------------------------------
def contact_create(*, account: Account, actor=None, **fields) -> Contact:
    contact = Contact(account=account, **fields)
    _history_by(contact, actor)
    contact.save()
    return contact


def contact_change(*, contact: Contact, actor=None, **fields) -> Contact:
    """Set ``fields`` on ``contact`` and save exactly those (plus ``updated_at``)."""
    for name, value in fields.items():
        setattr(contact, name, value)
    _history_by(contact, actor)
    contact.save(update_fields=[*fields, "updated_at"])
    return contact


def phone_add(*, account: Account, e164: str, contact: Contact | None = None, kind: str | None = None) -> PhoneNumber:
    """Add a number already in E.164 (``isf.customers.phones.to_e164``); the kind (mobile or landline) is read
    from the number unless given."""
    return PhoneNumber.objects.create(account=account, contact=contact, e164=e164, kind=kind or phone_kind(e164))


# --------------------------------------------------------------------------------------------------------------
# Bulk writes of the file imports (isf/imports/masters.py validates, these write)
# --------------------------------------------------------------------------------------------------------------
def accounts_write_bulk(*, new: list[Account], changed: list[Account], fields: tuple[str, ...]) -> None:
    """Insert the new and update the ``fields`` of the changed accounts of one import (inside its transaction)."""
    Account.objects.bulk_create(new, batch_size=2000)
    if changed:
        Account.objects.bulk_update(changed, list(fields), batch_size=2000)


def contacts_write_bulk(*, new: list[Contact], changed: list[Contact], fields: tuple[str, ...]) -> None:
    Contact.objects.bulk_create(new, batch_size=2000)
    if changed:
        Contact.objects.bulk_update(changed, list(fields), batch_size=2000)


def phones_add_bulk(rows: list[tuple[int, int | None, str]], *, with_kind: bool = False) -> int:
    """Add phone numbers given as (account id, contact id or None, E.164); ``with_kind`` reads mobile/landline from
    each number (else the model's default). Returns how many were added."""
    PhoneNumber.objects.bulk_create(
        [PhoneNumber(account_id=a, contact_id=c, e164=e, **({"kind": phone_kind(e)} if with_kind else {}))
         for a, c, e in rows], batch_size=2000)
    return len(rows)


def _region_for(values: dict) -> tuple[bool, int | None]:
    """(whether to write the region, its id) from a region code or name, else from the postcode's prefix."""
    from isf.org.models import Region

    code = (values.get("region") or "").strip()
    postcode = (values.get("postcode") or "").strip()
    if not code and "postcode" not in values:
        return False, None
    by_code, prefixes = {}, []
    for r in Region.objects.all():
        by_code[r.code.casefold()] = r.id
        by_code.setdefault(r.name.casefold(), r.id)
        prefixes += [(p, r.id) for p in r.prefixes()]
    if code:
        if code.casefold() not in by_code:
            raise CustomerError("unknown region code", "region")
        return True, by_code[code.casefold()]
    prefixes.sort(key=lambda x: -len(x[0]))  # the longest prefix wins
    return True, next((rid for p, rid in prefixes if postcode.startswith(p)), None) if postcode else None


@transaction.atomic
def account_upsert(*, values: dict, actor=None) -> tuple[Account, bool]:
    """Create the account with ``values["erp_number"]`` or change the fields given (the API's POST and PATCH).

    ``values`` holds already typed fields (the API's schemas check types, lengths and choices); a key that is
    absent or None leaves the field as it is. The region comes from its code or name, else from the postcode,
    as in the file import; a phone number (any German notation) is added unless the account has it.
    Returns (account, created); raises CustomerError naming the field.
    """
    from isf.customers.phones import PhoneParseError, to_e164

    given = {k: v for k, v in values.items() if v is not None}
    erp = str(given.pop("erp_number", "")).strip()
    if not erp:
        raise CustomerError("erp_number is empty", "erp_number")
    phone = str(given.pop("phone", "") or "").strip()
    write_region, region_id = _region_for(given)
    given.pop("region", None)
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in given.items()}
    if write_region:
        fields["region_id"] = region_id
    if fields.get("potential") is not None and fields["potential"] < 0:
        raise CustomerError("potential must not be below 0", "potential")
    if "customer_type" in fields and not fields["customer_type"]:
        fields["customer_type"] = Account._meta.get_field("customer_type").default
    e164 = ""
    if phone:
        try:
            e164 = to_e164(phone)
        except PhoneParseError as exc:
            raise CustomerError(str(exc), "phone") from exc
    account = Account.objects.select_for_update().filter(erp_number=erp).first()
    created = account is None
    if created:
        account = account_create(actor=actor, erp_number=erp, **fields)
    else:
        changed = {k: v for k, v in fields.items() if getattr(account, k) != v}
        if changed:
            account_change(account=account, actor=actor, **changed)
    if e164 and not account.phones.filter(e164=e164).exists():
        phone_add(account=account, e164=e164, kind=PhoneNumber._meta.get_field("kind").default)
    return account, created

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

# Owners ------------------------------------------------------------------------------------------------------------
# Who owns an account (a field rep or an inside team): placed by the owner rules (isf.customers.owners) for new and
# re-segmented accounts, moved in bulk by the sales lead. Each change is an OwnerChange (the account's timeline).

from collections import defaultdict  # noqa: E402
from datetime import date, datetime, time, timedelta  # noqa: E402

from django.db import transaction  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.utils import timezone  # noqa: E402

OWNER_CHUNK = 2000


class OwnerError(Exception):
    """A refused owner write; ``field`` names the input at fault. Nothing was changed."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _owner_moment(today: date | None) -> datetime:
    if today is None or today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(2, 30)))


def _owner_moves_write(moves: list[tuple], *, source: str, reason: str = "", actor=None, at: datetime) -> int:
    """moves: (account id, old rep id, old team id, new rep id, new team id). The owning team also serves the account
    (``team``); an account leaving a team for a field rep goes back to its segment's team."""
    from isf.customers.models import Account, OwnerChange
    from isf.segmentation.models import Segment

    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, _old_rep, old_team, new_rep, new_team in moves:
        groups[(new_rep, new_team, old_team)].append(pk)
    segment_team = Subquery(Segment.objects.filter(pk=OuterRef("segment_id")).values("team_id")[:1])
    for (new_rep, new_team, old_team), pks in groups.items():
        for start in range(0, len(pks), OWNER_CHUNK):
            chunk = Account.objects.filter(pk__in=pks[start:start + OWNER_CHUNK])
            if new_team is not None:
                chunk.update(owner_id=None, owner_team_id=new_team, team_id=new_team)
            else:
                if old_team is not None:
                    chunk.filter(team_id=old_team).update(team_id=segment_team)
                chunk.update(owner_id=new_rep, owner_team_id=None)
    OwnerChange.objects.bulk_create(
        [OwnerChange(account_id=pk, from_owner_id=old_rep, from_team_id=old_team, to_owner_id=new_rep,
                     to_team_id=new_team, source=source, reason=reason[:300], changed_at=at, changed_by=actor)
         for pk, old_rep, old_team, new_rep, new_team in moves],
        batch_size=OWNER_CHUNK,
    )
    return len(moves)


@transaction.atomic
def accounts_place_owners(*, account_ids: list[int] | None = None, source: str, today: date | None = None,
                          actor=None, reason: str = "") -> dict:
    """Give the accounts (all when ``account_ids`` is None) the owner the owner rules name for their segment and
    region (isf.customers.owners.owner_by_rules). Returns {"changed", "to_reps", "to_teams"}."""
    from isf.customers.models import Account
    from isf.customers.owners import owner_by_rules, region_reps, rule_table

    table, reps, at = rule_table(), region_reps(), _owner_moment(today)
    rows = Account.objects.values_list("pk", "segment_id", "region_id", "owner_id", "owner_team_id")
    batches = ([rows] if account_ids is None else
               [rows.filter(pk__in=account_ids[i:i + OWNER_CHUNK]) for i in range(0, len(account_ids), OWNER_CHUNK)])
    moves = []
    for batch in batches:
        for pk, segment, region, rep, team in batch.order_by("pk").iterator(chunk_size=OWNER_CHUNK):
            new_rep, new_team = owner_by_rules(segment, region, table=table, reps=reps)
            if (new_rep, new_team) != (rep, team) and (new_rep or new_team):
                moves.append((pk, rep, team, new_rep, new_team))
    _owner_moves_write(moves, source=source, reason=reason, actor=actor, at=at)
    return {"changed": len(moves), "to_reps": sum(1 for m in moves if m[3]), "to_teams": sum(1 for m in moves if m[4])}


def owners_place_nightly(*, today: date | None = None, progress=None) -> dict:
    """The nightly run's owners: accounts without any owner, and accounts whose segment changed today, get the
    owner the rules name (an owner the sales lead chose stays until the account changes segment)."""
    from isf.customers.models import Account
    from isf.segmentation.models import SegmentChange

    day = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    ids = set(Account.objects.filter(owner__isnull=True, owner_team__isnull=True).values_list("pk", flat=True))
    ids |= set(SegmentChange.objects.filter(changed_at__gte=start, changed_at__lt=start + timedelta(days=1))
               .values_list("account_id", flat=True))
    result = accounts_place_owners(account_ids=sorted(ids), source="rule", today=today)
    if progress:
        progress(f"{result['changed']:,} accounts placed by the owner rules")
    return result


def _owner_target_check(*, to_owner, to_team) -> None:
    from isf.customers.owners import team_has_agents
    from isf.org.choices import Role

    if (to_owner is None) == (to_team is None):
        raise OwnerError(_("Choose the new owner: a field rep or an inside team."), "to")
    if to_owner is not None and (to_owner.role != Role.FIELD_REP or not to_owner.is_active):
        raise OwnerError(_("%(user)s is not an active field rep.") % {"user": to_owner}, "to")
    if to_team is not None and not team_has_agents(to_team):
        raise OwnerError(_("The inside team %(team)s has no agents: it cannot own accounts.") % {"team": to_team.name},
                         "to")


def owners_reassign_check(selection, *, to_owner=None, to_team=None) -> int:
    """Refuse a re-assignment that cannot be done (with a message naming why); returns how many accounts move."""
    from isf.customers.owners import owner_label, selected_accounts

    if selection.empty:
        raise OwnerError(_("Choose a segment, a region or a current owner."), "segment")
    _owner_target_check(to_owner=to_owner, to_team=to_team)
    if ((to_owner is not None and selection.from_owner == to_owner)
            or (to_team is not None and selection.from_team == to_team)):
        raise OwnerError(_("The current and the new owner are the same (%(owner)s).")
                         % {"owner": owner_label(to_owner, to_team)}, "to")
    count = selected_accounts(selection, to_owner=to_owner, to_team=to_team).count()
    if not count:
        if selected_accounts(selection).exists():
            raise OwnerError(_("Every selected account already belongs to %(owner)s.")
                             % {"owner": owner_label(to_owner, to_team)}, "to")
        raise OwnerError(_("No account matches this selection."), "segment")
    return count


@transaction.atomic
def owners_reassign(selection, *, to_owner=None, to_team=None, actor, expected: int | None = None, reason: str = "",
                    as_rule: bool = False, today: date | None = None) -> dict:
    """Move the selected accounts to the new owner (each with its OwnerChange on the timeline); ``expected`` is the
    count the preview showed (refused if the selection changed since). ``as_rule`` also makes it the segment's
    (and region's) owner rule for accounts placed later. Returns {"changed", "rule"}."""
    from isf.customers.owners import selected_accounts

    count = owners_reassign_check(selection, to_owner=to_owner, to_team=to_team)
    if expected is not None and expected != count:
        raise OwnerError(_("The selection has changed since the preview (now %(count)s accounts): check the preview "
                           "again.") % {"count": count}, "expected")
    if as_rule and (selection.segment is None or selection.from_owner is not None or selection.from_team is not None):
        raise OwnerError(_("Only a selection by segment (and region) can become an owner rule."), "as_rule")
    reason = (reason or "").strip()
    new_rep, new_team = (to_owner.pk if to_owner else None), (to_team.pk if to_team else None)
    moves = [(pk, rep, team, new_rep, new_team) for pk, rep, team in
             selected_accounts(selection, to_owner=to_owner, to_team=to_team).select_for_update()
             .values_list("pk", "owner_id", "owner_team_id").order_by("pk")]
    changed = _owner_moves_write(moves, source="reassign", reason=reason, actor=actor, at=_owner_moment(today))
    rule = owner_rule_save(segment=selection.segment, region=selection.region, owner=to_owner, team=to_team,
                           actor=actor) if as_rule else None
    return {"changed": changed, "rule": rule}


@transaction.atomic
def owner_rule_save(*, segment, region=None, owner=None, team=None, actor=None):
    """Set who owns the segment's accounts in ``region`` (None: every region without a rule of its own)."""
    from isf.customers.models import OwnerRule

    if segment is None:
        raise OwnerError(_("Choose a segment."), "segment")
    _owner_target_check(to_owner=owner, to_team=team)
    rule, _created = OwnerRule.objects.update_or_create(segment=segment, region=region,
                                                        defaults={"owner": owner, "team": team})
    return rule


#: the segments an inside team owns by default: the inside channel for C, D and private customers (Schuler/Haller)
DEFAULT_TEAM_OWNED = ("C", "D", "PRIV")


@transaction.atomic
def owner_rules_create_defaults() -> list:
    """Where missing, a rule for each of :data:`DEFAULT_TEAM_OWNED`: the segment's own inside team owns its accounts
    in every region (a segment without a team, or whose team has no agents, gets none). Returns the rules created."""
    from isf.customers.models import OwnerRule
    from isf.customers.owners import team_has_agents
    from isf.segmentation.models import Segment

    created = []
    for segment in Segment.objects.filter(code__in=DEFAULT_TEAM_OWNED, team__isnull=False).select_related("team"):
        if not OwnerRule.objects.filter(segment=segment, region__isnull=True).exists() and team_has_agents(
                segment.team):
            created.append(OwnerRule.objects.create(segment=segment, team=segment.team))
    return created


@transaction.atomic
def owner_rule_delete(*, rule, actor=None) -> None:
    """Remove a rule: the segment's accounts in its region go to the region's field rep when next placed."""
    rule.delete()
