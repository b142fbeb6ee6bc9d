import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from isf.calls.crosssell import cross_sell_refresh
from isf.calls.models import CallLog
from isf.calls.tests.helpers import baskets, world
from isf.customers.tests.factories import OrderFactory, ProductFactory, QuoteFactory, add_line
from isf.planning.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(client):
    data = world()
    client.force_login(data["agent"])
    return data


def test_screen_pop_by_phone_shows_the_account_facts(client, w):
    QuoteFactory(account=w["account"], number="AN-OPEN-1", status="sent")
    resp = client.get(reverse("calls:screen"), {"phone": "(089) 123 45 67"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Müller Metallbau GmbH" in html
    assert "AN-OPEN-1" in html
    assert "Klaus Huber" in html
    assert "SMB-Team" in html
    assert "Anna Außendienst" in html


def test_small_revenue_big_potential_gets_a_clear_hint(client, w):
    order = OrderFactory(account=w["account"], date=dt.date.today() - dt.timedelta(days=20))
    add_line(order, revenue="3000.00", margin="900.00")
    resp = client.get(reverse("calls:screen"), {"phone": "+49 89 1234567"})
    assert resp.context["facts"]["share_of_wallet"] == pytest.approx(0.0375)
    assert resp.context["facts"]["potential_hint"]
    assert 'data-testid="potential-hint"' in resp.content.decode()


def test_caller_on_a_contacts_mobile_is_named(client, w):
    resp = client.get(reverse("calls:screen"), {"phone": "0170 1234567"})
    assert resp.context["facts"]["matched_contact"]["name"] == "Klaus Huber"


def test_unknown_number_offers_to_note_a_new_caller(client, w):
    resp = client.get(reverse("calls:screen"), {"phone": "040 9999999"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'data-testid="screen-unknown"' in html
    assert "+49409999999" in html


def test_unparseable_phone_gives_a_clear_message(client, w):
    resp = client.get(reverse("calls:screen"), {"phone": "abc"})
    assert resp.status_code == 200
    assert 'data-testid="screen-error"' in resp.content.decode()


def test_agent_recognises_a_caller_of_another_team_read_only(client, w):
    QuoteFactory(account=w["other"], number="AN-KB-7", status="sent")
    resp = client.get(reverse("calls:screen"), {"phone": "030 1111111"})
    html = resp.content.decode()
    assert resp.context["facts"]["account"]["id"] == w["other"].pk
    assert resp.context["read_only"] is True and resp.context["facts"]["read_only"] is True
    assert "Schmidt Bau KG" in html and "AN-KB-7" in html
    assert 'data-testid="read-only"' in html
    assert w["other"].get_absolute_url() not in html  # no link to the account page he may not open
    assert 'data-testid="screen-unknown"' not in html and 'data-testid="create-lead"' not in html
    assert 'data-testid="call-log-form"' in html


def test_own_teams_caller_is_not_read_only(client, w):
    resp = client.get(reverse("calls:screen"), {"phone": "089 1234567"})
    assert resp.context["read_only"] is False
    assert w["account"].get_absolute_url() in resp.content.decode()
    assert 'data-testid="read-only"' not in resp.content.decode()


def test_another_teams_account_opens_only_with_its_callers_number(client, w):
    screen = reverse("calls:screen")
    assert client.get(screen, {"account": w["other"].pk}).status_code == 404
    assert client.get(screen, {"account": w["other"].pk, "phone_hint": "089 1234567"}).status_code == 404
    resp = client.get(screen, {"account": w["other"].pk, "phone_hint": "+49301111111"})
    assert resp.status_code == 200 and resp.context["read_only"] is True
    assert client.get(reverse("customers:account-detail", args=[w["other"].pk])).status_code == 404


def test_name_search_stays_within_the_agents_accounts(client, w):
    resp = client.get(reverse("calls:screen"), {"q": "Schmidt Bau"})
    assert resp.context["found"].accounts == []
    assert "Schmidt Bau KG" not in resp.content.decode()
    # the caller's number typed into the box is an inbound call: found, read-only
    resp = client.get(reverse("calls:screen"), {"q": "030 1111111"})
    assert resp.context["facts"]["account"]["id"] == w["other"].pk and resp.context["read_only"] is True


def test_agent_logs_a_call_of_another_teams_customer(client, w):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    resp = client.post(reverse("calls:log"), {
        "account": w["other"].pk, "phone": "+49301111111", "direction": "inbound", "outcome": "info",
        "note": "Fragt nach Lieferzeit", "follow_up": "on", "follow_up_date": tomorrow.isoformat(),
    })
    assert resp.status_code == 302
    assert resp["Location"] == f"{reverse('calls:screen')}?account={w['other'].pk}&phone_hint=%2B49301111111"
    call = CallLog.objects.get()
    assert (call.account, call.agent, call.phone, call.note) == (w["other"], w["agent"], "+49301111111",
                                                                 "Fragt nach Lieferzeit")
    task = Task.objects.get(kind="call_back")
    assert (task.account, task.assignee, task.due_at.date()) == (w["other"], w["agent"], tomorrow)
    assert client.get(resp["Location"]).status_code == 200


def test_agent_cannot_log_on_another_teams_account_without_its_number(client, w):
    for phone in ("", "+49891234567"):
        resp = client.post(reverse("calls:log"), {"account": w["other"].pk, "phone": phone, "direction": "inbound",
                                                  "outcome": "info", "note": "x"})
        assert resp.status_code == 404
    assert CallLog.objects.count() == 0 and Task.objects.count() == 0


def test_field_rep_finds_only_his_own_and_his_regions_callers(client, w):
    client.force_login(w["rep"])
    resp = client.get(reverse("calls:screen"), {"phone": "089 1234567"})
    assert resp.context["facts"]["account"]["id"] == w["account"].pk and resp.context["read_only"] is False
    resp = client.get(reverse("calls:screen"), {"phone": "030 1111111"})
    html = resp.content.decode()
    assert "facts" not in resp.context and "Schmidt Bau KG" not in html
    assert resp.context["found"].known_elsewhere is True
    assert 'data-testid="create-lead"' not in html  # no lead for an existing customer
    resp = client.post(reverse("calls:log"), {"account": w["other"].pk, "phone": "+49301111111",
                                              "direction": "inbound", "outcome": "info"})
    assert resp.status_code == 404 and CallLog.objects.count() == 0


@pytest.mark.parametrize("raw", ["abc123", "abc", "123", "089 12", "call 0891234567"])
def test_junk_is_not_read_as_a_phone_number(client, w, raw):
    resp = client.get(reverse("calls:screen"), {"phone": raw})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-testid="screen-error"' in html
    assert 'data-testid="create-lead"' not in html and 'data-testid="screen-unknown"' not in html


def test_search_box_by_name_with_umlaut_spelt_out(client, w):
    resp = client.get(reverse("calls:screen"), {"q": "mueller metallbau"})
    assert resp.context["facts"]["account"]["id"] == w["account"].pk


def test_log_call_with_cross_sell_and_follow_up_in_one_post(client, w):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    resp = client.post(reverse("calls:log"), {
        "account": w["account"].pk, "phone": "+49891234567", "direction": "inbound", "outcome": "order",
        "contact": w["contact"].pk, "note": "Bestellung Dübel", "follow_up": "on", "follow_up_date": tomorrow.isoformat(),
    })
    assert resp.status_code == 302
    call = CallLog.objects.get()
    assert (call.direction, call.outcome, call.contact, call.agent.username, call.team) == (
        "inbound", "order", w["contact"], "agent", w["team_a"])
    task = Task.objects.get(kind="call_back")
    assert task.account == w["account"] and task.assignee.username == "agent"
    assert task.due_at.date() == tomorrow
    assert call.follow_up_task == task


def test_accepting_without_an_offer_is_refused_and_nothing_is_logged(client, w):
    resp = client.post(reverse("calls:log"), {"account": w["account"].pk, "direction": "inbound",
                                              "outcome": "info", "cross_sell_accepted": "on"})
    assert resp.status_code == 400
    assert CallLog.objects.count() == 0


def test_contact_of_another_account_is_refused(client, w):
    from isf.customers.tests.factories import ContactFactory

    stranger = ContactFactory(account=w["other"])
    resp = client.post(reverse("calls:log"), {"account": w["account"].pk, "direction": "inbound",
                                              "outcome": "info", "contact": stranger.pk})
    assert resp.status_code == 400
    assert CallLog.objects.count() == 0 and Task.objects.count() == 0


def test_cross_sell_suggestions_carry_a_reason(client, w):
    today = dt.date.today()
    groups, products = baskets(today)
    order = OrderFactory(account=w["account"], date=today - dt.timedelta(days=10))
    add_line(order, product=products["BEF"], line_no=1)
    add_line(order, product=products["KLB"], line_no=2)
    add_line(order, product=ProductFactory(group=groups["ASH"]), line_no=3)
    cross_sell_refresh(today=today)
    resp = client.get(reverse("calls:screen"), {"phone": "089 1234567"}, HTTP_ACCEPT_LANGUAGE="en")
    suggestions = resp.context["facts"]["cross_sell"]
    assert 1 <= len(suggestions) <= 5
    top = suggestions[0]
    assert top["code"] == "DCH"
    # 9 of the 12 accounts buying fasteners and adhesives also buy sealants (the account itself is the 13th)
    assert top["share"] == pytest.approx(9 / 13, abs=1e-3)
    assert "69 %" in top["reason"]


def test_timeline_on_the_account_page_lists_calls_orders_and_quotes_newest_first(client, w):
    acc = w["account"]
    OrderFactory(account=acc, number="A-OLD", date=dt.date.today() - dt.timedelta(days=90))
    QuoteFactory(account=acc, number="AN-NEW", date=dt.date.today() - dt.timedelta(days=2),
                 valid_until=dt.date.today() + dt.timedelta(days=28))
    client.post(reverse("calls:log"), {"account": acc.pk, "direction": "outbound", "outcome": "info", "note": "Rückfrage"})
    client.logout()
    from isf.org.tests.factories import UserFactory

    client.force_login(UserFactory(username="idl", role="idl"))
    resp = client.get(reverse("customers:account-detail", args=[acc.pk]))
    entries = resp.context["timeline"]["entries"]
    assert [e["kind"] for e in entries] == ["call", "quote", "order"]
    only = client.get(reverse("calls:timeline", args=[acc.pk]), {"kind": "order"}, HTTP_HX_REQUEST="true")
    assert only.status_code == 200
    assert "A-OLD" in only.content.decode() and "AN-NEW" not in only.content.decode()


def test_potential_hint_only_for_big_potential_and_small_share():
    from isf.calls.selectors import potential_hint

    assert potential_hint(revenue=Decimal("3000"), potential=Decimal("80000"), share=0.0375)
    assert not potential_hint(revenue=Decimal("3000"), potential=Decimal("8000"), share=0.375)
    assert not potential_hint(revenue=Decimal("60000"), potential=Decimal("80000"), share=0.75)


def test_potential_hint_formats_amounts_by_language():
    from django.utils import translation

    from isf.calls.selectors import potential_hint

    with translation.override("en"):
        en = potential_hint(revenue=Decimal("3000"), potential=Decimal("1280000"), share=0.0023)
    with translation.override("de"):
        de = potential_hint(revenue=Decimal("3000"), potential=Decimal("1280000"), share=0.0023)
    assert "buys 3,000 € a year of an estimated 1,280,000 €" in en
    assert "3.000 €" in de and "1.280.000 €" in de


def test_cross_sell_choices_are_named_in_the_page_language(client, w):
    today = dt.date.today()
    groups, products = baskets(today)
    order = OrderFactory(account=w["account"], date=today - dt.timedelta(days=10))
    add_line(order, product=products["BEF"], line_no=1)
    add_line(order, product=products["KLB"], line_no=2)
    cross_sell_refresh(today=today)
    en = client.get(reverse("calls:screen"), {"phone": "089 1234567"}, HTTP_ACCEPT_LANGUAGE="en")
    labels = [label for _v, label in en.context["form"].fields["cross_sell_group"].choices]
    assert "Sealants" in labels and "Dichtstoffe" not in labels
    assert '>Sealants</option>' in en.content.decode()
    de = client.get(reverse("calls:screen"), {"phone": "089 1234567"}, HTTP_ACCEPT_LANGUAGE="de")
    assert '>Dichtstoffe</option>' in de.content.decode() and '>Sealants</option>' not in de.content.decode()
