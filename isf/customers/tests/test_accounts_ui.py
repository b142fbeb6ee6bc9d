import re

import pytest

from isf.customers.tests.factories import AccountFactory, ContactFactory, OrderFactory, PhoneFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client):
    user = UserFactory(role=Role.SALES_LEAD)
    client.force_login(user)
    return user


def test_account_search_by_name_number_postcode_and_phone(client, lead):
    hit = AccountFactory(name="Huber Metallbau GmbH", erp_number="123456", postcode="90402")
    PhoneFactory(account=hit, e164="+49891234567")
    AccountFactory(name="Andere Firma KG", erp_number="999999", postcode="10115")
    for q in ["huber", "123456", "90402", "089 1234567", "(089) 123 45 67", "0049-89-1234567", "+49 89 1234567"]:
        response = client.get("/accounts/", {"q": q})
        assert response.status_code == 200
        assert b"Huber Metallbau GmbH" in response.content, q
        assert b"Andere Firma KG" not in response.content, q


def test_account_list_paginates_25_per_page(client, lead):
    for i in range(30):
        AccountFactory(name=f"Firma {i:02d}")
    first = client.get("/accounts/")
    second = client.get("/accounts/", {"page": 2})
    assert len(re.findall(rb"/accounts/\d+/", first.content)) == 25
    assert len(re.findall(rb"/accounts/\d+/", second.content)) == 5


def test_account_page_reads_in_german_and_english(client, lead):
    account = AccountFactory(name="Huber Metallbau GmbH")
    ContactFactory(account=account, last_name="Maier", buying_role="decision_maker")
    order = OrderFactory(account=account)
    add_line(order, revenue="1000.00", margin="300.00")
    de = client.get(f"/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    en = client.get(f"/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="de"' in de.content and b"Ansprechpartner" in de.content
    assert b'<html lang="en"' in en.content and b"Contacts" in en.content
    assert b"Maier" in de.content and b"Entscheider" in de.content


def test_unknown_account_is_a_404_in_the_users_language(client, lead):
    response = client.get("/accounts/999999/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert b"Seite nicht gefunden" in response.content


def test_field_rep_sees_own_and_region_accounts_only(client):
    region = RegionFactory(code="MUC")
    rep = UserFactory(role=Role.FIELD_REP, region=region)
    mine = AccountFactory(owner=rep)
    in_region = AccountFactory(region=region)
    other = AccountFactory()
    client.force_login(rep)
    assert client.get(f"/accounts/{mine.pk}/").status_code == 200
    assert client.get(f"/accounts/{in_region.pk}/").status_code == 200
    assert client.get(f"/accounts/{other.pk}/").status_code == 404


def test_margins_only_for_leads_and_owner(client):
    rep = UserFactory(role=Role.FIELD_REP)
    region = RegionFactory(code="NUE")
    rep.region = region
    rep.save()
    other_rep = UserFactory(role=Role.FIELD_REP, region=region)
    account = AccountFactory(owner=rep, region=region)
    add_line(OrderFactory(account=account), revenue="1000.00", margin="345.67")
    client.force_login(rep)
    assert b"345" in client.get(f"/accounts/{account.pk}/").content
    client.force_login(other_rep)
    body = client.get(f"/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b"345" not in body and b"Contribution margin" not in body
