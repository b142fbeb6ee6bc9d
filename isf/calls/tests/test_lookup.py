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
