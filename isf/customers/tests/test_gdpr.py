import json

import pytest
from django.core.management import call_command

from isf.customers import gdpr
from isf.customers.models import Contact, Order, PrivacyEvent
from isf.customers.tests.factories import AccountFactory, ContactFactory, OrderFactory, PhoneFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_export_holds_the_persons_data_and_history(capsys):
    contact = ContactFactory(first_name="Jörg", last_name="Österreicher", email="joerg@firma.de")
    PhoneFactory(account=contact.account, contact=contact, e164="+491701234567")
    contact.function = "Einkaufsleiter"
    contact.save()
    call_command("gdpr", "export", "contact", str(contact.pk))
    data = json.loads(capsys.readouterr().out)
    assert data["last_name"] == "Österreicher" and data["phones"] == ["+491701234567"]
    assert len(data["history"]) == 2 and data["history"][0]["type"] == "+"
    assert PrivacyEvent.objects.filter(action="export", subject_id=contact.pk).count() == 1


def test_erase_anonymises_the_person_but_keeps_business_records():
    account = AccountFactory()
    contact = ContactFactory(account=account, first_name="Jörg", last_name="Österreicher", email="joerg@firma.de")
    PhoneFactory(account=account, contact=contact, e164="+491701234567")
    quote = QuoteFactory(account=account, contact=contact)
    OrderFactory(account=account)
    gdpr.contact_erase(contact=contact, reason="Auskunftsersuchen 2026-11")
    contact.refresh_from_db()
    quote.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.email) == ("", "[gelöscht]", "")
    assert not contact.phones.exists()
    assert quote.contact_id == contact.pk and Order.objects.filter(account=account).count() == 1
    assert not contact.history.filter(last_name="Österreicher").exists()
    assert "Österreicher" not in json.dumps(gdpr.contact_export(contact=contact), ensure_ascii=False)
    assert Contact.objects.count() == 1


def test_business_accounts_are_not_persons():
    with pytest.raises(gdpr.GdprError):
        gdpr.private_account_erase(account=AccountFactory(customer_type="b2b"))
