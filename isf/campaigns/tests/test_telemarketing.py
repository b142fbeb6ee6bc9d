"""Telemarketing aimed at potential: a call list from the opportunity list under the consent rules, with reasons and
consent basis per entry, a deterministic control group held out, and the list's results measured against it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from isf.calls.models import CallLog
from isf.campaigns.choices import CallOutcome, CampaignKind, ConsentBasis
from isf.campaigns.errors import CampaignsError
from isf.campaigns.models import Appointment, CallAttempt, ControlAccount
from isf.campaigns.services import telemarketing as services
from isf.campaigns.services.campaigns import call_record
from isf.campaigns.telemarketing_reasons import reason_texts
from isf.campaigns.telemarketing_results import list_results
from isf.campaigns.tests.factories import make_org
from isf.customers.tests.factories import AccountFactory, OrderFactory, PhoneFactory, ProductFactory, add_line
from isf.imports.exports import read_back

pytestmark = pytest.mark.django_db
LIST_DAY = dt.date(2026, 9, 1)


@pytest.fixture
def org():
    return make_org()


def opportunity(org, name, *, revenue="1000.00", potential="100000", phone=True, **kw):
    """An SMB account with a small revenue in the 12 months before LIST_DAY against a big potential."""
    account = AccountFactory(name=name, segment=org.smb, region=org.region, owner=org.rep,
                             potential=Decimal(potential), **kw)
    if phone:
        PhoneFactory(account=account)
    order = OrderFactory(account=account, date=LIST_DAY - dt.timedelta(days=60))
    add_line(order, revenue=revenue)
    return account


@pytest.fixture
def world(org, today_is):
    """20 callable opportunities, 3 the consent rules exclude, 1 buying most of its potential, 1 KA account."""
    today_is(LIST_DAY)
    callable_ = [opportunity(org, f"Kandidat {i:02d} GmbH") for i in range(20)]
    excluded = [
        opportunity(org, "Widerspruch GmbH", opt_out_date=dt.date(2026, 3, 1)),
        opportunity(org, "Privat ohne Einwilligung", customer_type="b2c", presumed_consent=False),
        opportunity(org, "Ohne Telefon GmbH", phone=False),
    ]
    saturated = opportunity(org, "Stammkunde GmbH", revenue="80000.00")
    other = AccountFactory(name="Großkunde AG", segment=org.ka, region=org.region, potential=Decimal("900000"))
    PhoneFactory(account=other)
    return {"callable": callable_, "excluded": excluded, "saturated": saturated, "other": other}


def test_a_call_list_from_the_opportunities_applies_the_consent_rules_and_holds_out_a_control_group(org, world):
    campaign = services.telemarketing_list_create(name="Potenzial SMB Herbst", filters={"segment": ["SMB"]},
                                                  user=org.vl, agents=[org.agent])
    assert campaign.kind == CampaignKind.TELEMARKETING and campaign.control_share == 10
    assert campaign.excluded == {"opt_out": 1, "b2c_no_consent": 1, "b2b_no_presumed": 0, "no_phone": 1}
    called = set(campaign.entries.values_list("account_id", flat=True))
    held = set(ControlAccount.objects.filter(campaign=campaign).values_list("account_id", flat=True))
    assert len(held) == 2 and len(called) == 18  # 10 % of the 20 eligible
    assert called | held == {a.pk for a in world["callable"]} and not called & held
    assert world["saturated"].pk not in called | held and world["other"].pk not in called | held
    entry = campaign.entries.first()
    assert entry.consent_basis == ConsentBasis.PRESUMED
    codes = [r["code"] for r in entry.reasons]
    assert codes[:2] == ["potential", "share_of_wallet"] and entry.reasons[1]["pct"] == 1  # 1.000 of 100.000


def test_the_control_split_is_deterministic_and_takes_the_share_rounded_down():
    ids = list(range(1, 101))
    called, held = services.control_split(7, ids, 10)
    assert (called, held) == services.control_split(7, ids, 10)
    assert len(held) == 10 and sorted(called + held) == ids
    assert services.control_split(8, ids, 10)[1] != held  # another list draws other accounts
    assert len(services.control_split(7, list(range(9)), 10)[1]) == 0  # 0.9 accounts: none held out
    assert len(services.control_split(7, list(range(3)), 50)[1]) == 1


def test_explicit_consent_is_named_as_the_basis(org, world):
    private = opportunity(org, "Privat mit Einwilligung", customer_type="b2c", presumed_consent=False,
                          phone_consent=True, phone_consent_date=dt.date(2025, 2, 1))
    campaign = services.telemarketing_list_create(name="Liste", filters={"segment": ["SMB"]}, user=org.vl,
                                                  control_share=0)
    assert campaign.entries.get(account=private).consent_basis == ConsentBasis.EXPLICIT


@pytest.mark.parametrize("share, message", [(60, "between 0 and 50 %"), (-1, "between 0 and 50 %"),
                                            ("zehn", "whole percentage")])
def test_a_control_share_outside_0_to_50_is_refused_and_nothing_is_created(org, world, share, message):
    with pytest.raises(CampaignsError, match=message):
        services.telemarketing_list_create(name="Liste", filters={}, user=org.vl, control_share=share)
    assert not org.vl.__class__.objects.none().exists()
    from isf.campaigns.models import Campaign
    assert not Campaign.objects.exists()


def test_an_empty_filter_result_is_refused_with_a_clear_message(org, world):
    from isf.campaigns.models import Campaign

    with pytest.raises(CampaignsError, match="No account on the opportunity list matches"):
        services.telemarketing_list_create(name="Liste", filters={"segment": ["KA"], "min_potential": "5000000"},
                                           user=org.vl)
    assert not Campaign.objects.exists()


def test_the_missing_product_group_filter_keeps_only_accounts_without_it(org, world):
    group_product = ProductFactory(group__code="SAN", group__name="Sanitär")
    buyer = world["callable"][0]
    add_line(OrderFactory(account=buyer, date=LIST_DAY - dt.timedelta(days=30)), product=group_product,
             revenue="10.00", margin="3.00")
    campaign = services.telemarketing_list_create(name="Sanitär", filters={"missing_group": "SAN"}, user=org.vl,
                                                  control_share=0)
    on_list = set(campaign.entries.values_list("account_id", flat=True))
    # every segment: the KA account without orders is an opportunity of its own segment
    assert on_list == {a.pk for a in world["callable"][1:]} | {world["other"].pk}
    entry = campaign.entries.first()
    assert {"code": "missing_group", "group": "SAN", "pct": None} in entry.reasons
    assert "Does not buy Sanitär yet" in reason_texts(entry.reasons, figures=False)


def test_results_count_the_called_and_the_control_group_by_the_same_rules(org, world, today_is):
    campaign = services.telemarketing_list_create(name="Potenzial", filters={"segment": ["SMB"]}, user=org.vl,
                                                  agents=[org.agent])
    entries = list(campaign.entries.select_related("account").order_by("pk"))
    control = [c.account for c in campaign.control_accounts.select_related("account")]
    today_is(LIST_DAY + dt.timedelta(days=10))
    call_record(entry=entries[0], agent=org.agent, outcome=CallOutcome.SALE, order_value="2500")
    call_record(entry=entries[1], agent=org.agent, outcome=CallOutcome.NOT_REACHED)
    call_record(entry=entries[2], agent=org.agent, outcome=CallOutcome.NOT_INTERESTED)
    # in the window: the called customer orders 2.500 €, a control customer 400 €; one order after the 90 days
    add_line(OrderFactory(account=entries[0].account, date=LIST_DAY + dt.timedelta(days=12)), revenue="2500.00")
    add_line(OrderFactory(account=control[0], date=LIST_DAY + dt.timedelta(days=40)), revenue="400.00")
    add_line(OrderFactory(account=control[1], date=LIST_DAY + dt.timedelta(days=95)), revenue="9999.00")
    Appointment.objects.create(rep=org.rep, account=entries[2].account, entry=entries[2], booked_by=org.agent,
                               start=dt.datetime(2026, 9, 20, 9, tzinfo=dt.UTC),
                               end=dt.datetime(2026, 9, 20, 10, tzinfo=dt.UTC))
    results = list_results(campaign, today=LIST_DAY + dt.timedelta(days=120))
    called, held = results["called"], results["control"]
    assert (called["accounts"], called["reached"], called["orders_taken"]) == (18, 2, 1)
    assert called["orders_taken_value"] == Decimal("2500.00")
    assert (called["orders"], called["revenue"], called["appointments"]) == (1, Decimal("2500.00"), 1)
    assert (held["accounts"], held["orders"], held["revenue"], held["appointments"]) == (2, 1, Decimal("400.00"), 0)
    per_called, per_control = Decimal("2500.00") / 18, Decimal("400.00") / 2
    assert results["effect"]["revenue_per_account"] == (per_called.quantize(Decimal("0.01"))
                                                        - per_control.quantize(Decimal("0.01")))
    assert results["days"] == 90
    # the order taken reached the calls app (history, attribution) with its value
    assert CallLog.objects.get(account=entries[0].account).order_value == Decimal("2500.00")
    assert CallAttempt.objects.get(entry=entries[0]).order_value == Decimal("2500.00")


def test_an_order_value_on_another_outcome_is_refused(org, world):
    campaign = services.telemarketing_list_create(name="Liste", filters={}, user=org.vl, agents=[org.agent])
    entry = campaign.entries.first()
    with pytest.raises(CampaignsError, match="order value"):
        call_record(entry=entry, agent=org.agent, outcome=CallOutcome.REACHED, order_value="100")
    assert not CallAttempt.objects.exists()


def test_marketing_builds_the_list_and_sees_no_revenue_or_potential(client, org, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(org.marketing)
    url = reverse("campaigns:telemarketing-new")
    page = client.post(url, {"name": "Potenzial", "segment": ["SMB"], "max_share_of_wallet": "20",
                             "control_share": "10", "max_attempts": "3", "preview": "1"})
    body = page.content.decode()
    assert page.status_code == 200 and "Kandidat" in body and "Buys less than 20 % of its potential" in body
    assert "€" not in body and "100,000" not in body and "1,000" not in body
    created = client.post(url, {"name": "Potenzial", "segment": ["SMB"], "max_share_of_wallet": "20",
                                "control_share": "10", "max_attempts": "3"})
    assert created.status_code == 302
    detail = client.get(created["Location"]).content.decode()
    assert "Results against the control group" in detail and "€" not in detail
    assert 'data-testid="called-revenue"' not in detail
    campaign_id = created["Location"].rstrip("/").rsplit("/", 1)[-1]
    csv = read_back(client.get(reverse("imports:export", args=["telemarketing_results", "csv"]),
                               {"campaign": campaign_id})).decode("utf-8-sig")
    assert "revenue" not in csv and "control group" in csv


def test_the_vl_sees_the_figures_and_the_export_holds_them(client, org, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(org.vl)
    created = client.post(reverse("campaigns:telemarketing-new"),
                          {"name": "=HYPERLINK(1)", "segment": ["SMB"], "max_share_of_wallet": "20",
                           "control_share": "10", "max_attempts": "3"})
    assert created.status_code == 302
    detail = client.get(created["Location"]).content.decode()
    assert 'data-testid="called-revenue"' in detail and "Potential 100,000 € a year" in detail
    csv = read_back(client.get(reverse("imports:export", args=["telemarketing_results", "csv"]))).decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert "revenue within 90 days (EUR)" in lines[0]
    assert len(lines) == 3 and not any(cell.startswith(("=", "+", "-", "@"))
                                       for line in lines[1:] for cell in line.split(";"))


def test_bad_input_on_the_page_is_a_message_not_an_error(client, org, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(org.idl)
    url = reverse("campaigns:telemarketing-new")
    page = client.post(url, {"name": "Liste", "max_share_of_wallet": "20", "control_share": "75", "max_attempts": "3"})
    assert page.status_code == 200 and "between 0 and 50 %" in page.content.decode()
    page = client.post(url, {"name": "Liste", "min_potential": "5,000,000", "max_share_of_wallet": "20",
                             "control_share": "10", "max_attempts": "3"})
    assert "No account on the opportunity list matches" in page.content.decode()
