"""GDPR for people in the customer base: export everything held about a contact (or a private
customer), and erase by anonymising while orders and service records stay intact.

Erasure also removes the person's audit-history rows, since they hold the old personal values;
a PrivacyEvent records that (and who) erased, without the personal data itself.
"""

from django.db import transaction
from django.utils import timezone

from isf.customers.choices import ContactStatus, CustomerType
from isf.customers.models import Account, Contact, PrivacyEvent
from isf.planning.services import tasks_notes_erase

ERASED = "[gelöscht]"


class GdprError(Exception):
    pass


def history_rows(obj) -> list[dict]:
    """The object's audit-history rows (who, when, all values) for an export."""
    return [
        {"at": h.history_date.isoformat(), "type": h.history_type, "by": str(h.history_user or "ISF"),
         "values": {f.attname: str(getattr(h, f.attname)) for f in h._meta.concrete_fields
                    if not f.attname.startswith("history_")}}
        for h in obj.history.order_by("history_date")
    ]


_history = history_rows


def contact_export(*, contact: Contact, actor=None) -> dict:
    data = {
        "kind": "contact",
        "id": contact.pk,
        "account": {"erp_number": contact.account.erp_number, "name": contact.account.name},
        "salutation": contact.salutation,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "function": contact.function,
        "buying_role": contact.buying_role,
        "email": contact.email,
        "status": contact.status,
        "status_date": contact.status_date.isoformat() if contact.status_date else None,
        "phones": [p.e164 for p in contact.phones.all()],
        "tasks": [{"title": t.title, "due_at": t.due_at.isoformat(), "status": t.status, "note": t.note}
                  for t in contact.tasks.all()],
        "history": _history(contact),
        "privacy_events": [{"at": e.at.isoformat(), "action": e.action, "note": e.note}
                           for e in PrivacyEvent.objects.filter(subject_type="contact", subject_id=contact.pk)],
        "exported_at": timezone.now().isoformat(),
    }
    PrivacyEvent.objects.create(actor=actor, action=PrivacyEvent.Action.EXPORT, subject_type="contact",
                                subject_id=contact.pk)
    return data


def private_account_export(*, account: Account, actor=None) -> dict:
    if account.customer_type != CustomerType.B2C:
        raise GdprError("only private (B2C) customers are persons; export their contacts for businesses")
    data = {
        "kind": "private_customer",
        "erp_number": account.erp_number,
        "name": account.name,
        "address": {"street": account.street, "postcode": account.postcode, "city": account.city},
        "phones": [p.e164 for p in account.phones.all()],
        "consent": {
            "phone_consent": account.phone_consent,
            "phone_consent_date": account.phone_consent_date.isoformat() if account.phone_consent_date else None,
            "email_opt_in": account.email_opt_in,
            "opt_out_date": account.opt_out_date.isoformat() if account.opt_out_date else None,
        },
        "orders": [{"number": o.number, "date": o.date.isoformat()} for o in account.orders.all()],
        "history": _history(account),
        "exported_at": timezone.now().isoformat(),
    }
    PrivacyEvent.objects.create(actor=actor, action=PrivacyEvent.Action.EXPORT, subject_type="account",
                                subject_id=account.pk)
    return data


@transaction.atomic
def contact_erase(*, contact: Contact, actor=None, reason: str = "") -> Contact:
    """Anonymise the person; the contact row stays (orders, quotes, service orders keep their link)."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.first_name = ""
    contact.last_name = ERASED
    contact.salutation = ""
    contact.function = ""
    contact.email = ""
    contact.status = ContactStatus.LEFT
    contact.status_date = contact.status_date or timezone.localdate()
    contact.save()
    contact.phones.all().delete()
    tasks_notes_erase(contact_id=contact.pk)
    contact.history.all().delete()
    PrivacyEvent.objects.create(actor=actor, action=PrivacyEvent.Action.ERASE, subject_type="contact",
                                subject_id=contact.pk, note=reason[:300])
    return contact


@transaction.atomic
def private_account_erase(*, account: Account, actor=None, reason: str = "") -> Account:
    if account.customer_type != CustomerType.B2C:
        raise GdprError("only private (B2C) customers can be erased as persons")
    account = Account.objects.select_for_update().get(pk=account.pk)
    account.name = ERASED
    account.street = ""
    account.phone_consent = False
    account.phone_consent_date = None
    account.email_opt_in = False
    account.opt_out_date = account.opt_out_date or timezone.localdate()  # never contact again
    account.save()
    account.phones.all().delete()
    account.history.all().delete()
    PrivacyEvent.objects.create(actor=actor, action=PrivacyEvent.Action.ERASE, subject_type="account",
                                subject_id=account.pk, note=reason[:300])
    return account
