import pytest

from isf.calls import lookup
from isf.calls.tests.helpers import world
from isf.customers.models import Account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["+49 89 1234567", "089 1234567", "0049-89-1234567", "(089) 123 45 67", "+49891234567"])
def test_every_usual_notation_finds_the_same_account(raw):
    w = world()
    found = lookup.by_phone(Account.objects.all(), raw)
    assert found.e164 == "+49891234567"
    assert [a.pk for a in found.accounts] == [w["account"].pk]
    assert found.contact is None


@pytest.mark.parametrize("raw", ["0170 1234567", "+49 170 1234567", "0049 (170) 123-45-67"])
def test_a_contacts_mobile_finds_the_contact_and_its_account(raw):
    w = world()
    found = lookup.by_phone(Account.objects.all(), raw)
    assert found.account == w["account"]
    assert found.contact == w["contact"]


def test_unparseable_phone_is_an_error_not_a_crash():
    world()
    found = lookup.by_phone(Account.objects.all(), "abc")
    assert found.error == "phone" and found.accounts == []


@pytest.mark.parametrize("raw", ["abc123", "123", "+49 123", "089 12", "tel 089 1234567"])
def test_junk_and_impossible_numbers_are_an_error_not_a_lead(raw):
    world()
    found = lookup.by_phone(Account.objects.all(), raw)
    assert (found.error, found.accounts) == ("phone", [])


def test_a_stored_number_is_found_even_when_the_numbering_plan_does_not_know_it():
    w = world()
    from isf.customers.tests.factories import PhoneFactory

    PhoneFactory(account=w["other"], e164="+4912345")
    found = lookup.by_phone(Account.objects.all(), "012345")
    assert (found.error, found.accounts) == ("", [w["other"]])


def test_telephony_tel_prefix_is_read():
    w = world()
    assert lookup.by_phone(Account.objects.all(), "tel:+49891234567").accounts == [w["account"]]


def test_a_short_digit_string_in_the_search_box_falls_through_to_the_name():
    w = world()
    w["account"].name = "Metallbau 12345 GmbH"
    w["account"].save()
    found = lookup.search(Account.objects.all(), "12345")
    assert (found.kind, found.accounts) == ("name", [w["account"]])


def test_search_by_customer_number_wins_over_phone():
    w = world()
    found = lookup.search(Account.objects.all(), "010007")
    assert found.kind == "number" and found.accounts == [w["account"]]


@pytest.mark.parametrize("q", ["müller metallbau", "MULLER", "Mueller Metallbau", "mueller", "Müler Metalbau", "Mülller"])
def test_name_search_tolerates_case_umlauts_and_small_typos(q):
    w = world()
    found = lookup.search(Account.objects.all(), q)
    assert found.kind == "name"
    assert w["account"] in found.accounts
    assert w["other"] not in found.accounts


def test_name_search_finds_nothing_for_unrelated_words():
    world()
    assert lookup.search(Account.objects.all(), "Zylinderkopf").accounts == []


def test_fold_spells_out_umlauts():
    assert lookup.fold("Größe & Söhne") == "groesse soehne"
