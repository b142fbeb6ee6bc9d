"""Everything a user types is escaped: markup in names, notes and imported values never runs."""

import pytest
from django.utils import timezone

from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.services import task_create

pytestmark = pytest.mark.django_db
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_typed_into_names_and_notes_is_escaped_on_every_page(client):
    lead = UserFactory(role=Role.SALES_LEAD, first_name=EVIL)
    account = AccountFactory(name=f"Firma {EVIL}", city=EVIL)
    ContactFactory(account=account, last_name=EVIL, function=EVIL)
    task = task_create(kind="care_call", title=f"Anruf {EVIL}", due_at=timezone.now(), account=account,
                       assignee=lead, reason=EVIL)
    client.force_login(lead)
    for url in ["/home/", "/accounts/", f"/accounts/{account.pk}/", "/queue/", f"/queue/{task.pk}/",
                f"/accounts/?q={EVIL}", f"/call/?q={account.erp_number}"]:
        body = client.get(url, follow=True).content
        assert b"<script>alert" not in body, url
        assert b"<img src=x onerror" not in body, url


def test_imported_markup_is_escaped(client, tmp_path):
    from django.core.management import call_command

    csv = tmp_path / "kunden.csv"
    csv.write_text(f"erp_number;name;postcode;city\n777001;{EVIL.replace(';', ',')};80331;München\n", encoding="utf-8")
    call_command("import", "accounts", str(csv))
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    body = client.get("/accounts/", {"q": "777001"}).content
    assert b"777001" in body
    assert b"<script>alert" not in body
