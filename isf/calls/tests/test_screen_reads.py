"""The customer screen's fast reads give the same facts as the plain ones they replace."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from isf.calls import sources
from isf.calls.crosssell import cross_sell_refresh, groups_bought, suggestions_for
from isf.calls.models import CallLog
from isf.calls.selectors import is_read_only, purchase_facts, screen_facts, with_screen_flags
from isf.calls.tests.helpers import baskets, world
from isf.customers.models import Account
from isf.customers.selectors import account_figures, account_visible_to, accounts_visible_to
from isf.customers.tests.factories import AccountFactory, OrderFactory, QuoteFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, UserFactory
from isf.planning.services import task_create
from isf.segmentation.models import Segment
from isf.service.models import ServiceCatalogEntry
from isf.service.selectors import catalog_for_account, catalog_names_for_account

pytestmark = pytest.mark.django_db


def test_visibility_without_a_query_matches_the_queryset_for_every_role(django_assert_num_queries):
    data = world()
    region = RegionFactory()
    segment = Segment.objects.create(code="TKA", name_de="Schlüsselkunden", name_en="Key accounts", precedence=5,
                                     team=data["team_b"])
    in_region = AccountFactory(name="Regional GmbH", region=region)
    by_segment = AccountFactory(name="Segment AG", segment=segment)
    users = [data["agent"], data["rep"], UserFactory(username="rep2", role=Role.FIELD_REP, region=region),
             UserFactory(username="agent_b", role=Role.INSIDE_AGENT, team=data["team_b"]),
             UserFactory(username="noteam", role=Role.INSIDE_AGENT, team=None),
             *[UserFactory(username=role, role=role) for role in (Role.SALES_LEAD, Role.INSIDE_LEAD, Role.MARKETING,
                                                                   Role.ADMIN)]]
    accounts = list(Account.objects.select_related("segment"))
    assert {data["account"], data["other"], in_region, by_segment} <= set(accounts)
    for user in users:
        visible = set(accounts_visible_to(user).values_list("pk", flat=True))
        with django_assert_num_queries(0):
            decided = {a.pk for a in accounts if account_visible_to(user, a)}
            read_only = {a.pk for a in accounts if is_read_only(user, a)}
        assert decided == visible, user.username
        assert read_only == {a.pk for a in accounts} - visible, user.username


def test_purchase_facts_match_the_account_figures_and_the_groups_bought():
    data = world()
    today = dt.date.today()
    groups, products = baskets(today)
    account = data["account"]
    for days, product, revenue in ((10, "BEF", "1200.50"), (200, "KLB", "99.99"), (400, "BEF", "300.00"),
                                   (700, "DCH", "50.00"), (900, "ASH", "75.25"), (1500, "SWT", "10.00")):
        order = OrderFactory(account=account, date=today - dt.timedelta(days=days))
        add_line(order, product=products[product], revenue=revenue, margin="1.00")
    cross_sell_refresh(today=today)
    figures = account_figures(account=account, today=today)
    facts = purchase_facts(account, today)
    assert facts["revenue_12m"] == figures["revenue_12m"] == Decimal("1300.49")
    assert facts["revenue_prev_12m"] == figures["revenue_prev_12m"] == Decimal("350.00")
    assert facts["last_order"] == figures["last_order"] == today - dt.timedelta(days=10)
    assert facts["share_of_wallet"] == pytest.approx(figures["share_of_wallet"])
    bought = {products[code].pk for code in ("BEF", "KLB", "DCH", "ASH")}  # SWT only before the lookback
    assert facts["products"] == bought
    assert groups_bought(account.pk, since=today - dt.timedelta(days=3 * 365)) == {
        groups[code].pk for code in ("BEF", "KLB", "DCH", "ASH")}
    with_model = screen_facts(account, today=today)["cross_sell"]
    assert [s["group_id"] for s in with_model] == [s.group_id for s in suggestions_for(account.pk, today=today)]


def test_last_order_older_than_the_lookback_is_still_shown():
    data = world()
    today = dt.date.today()
    order = OrderFactory(account=data["other"], date=today - dt.timedelta(days=2000))
    add_line(order, revenue="10.00", margin="1.00")
    facts = purchase_facts(data["other"], today)
    assert (facts["revenue_12m"], facts["last_order"], facts["products"]) == (0, today - dt.timedelta(days=2000), set())
    assert facts["last_order"] == account_figures(account=data["other"], today=today)["last_order"]


def test_screen_facts_with_the_list_flags_equal_the_plain_facts(client):
    data = world()
    account = data["account"]
    today = dt.date.today()
    QuoteFactory(account=account, number="AN-1", status="sent")
    task_create(kind="alert", title="Bestellrückgang", due_at=timezone.now(), account=account, team=data["team_a"],
                side="inside", reason="Umsatz -40 %", source="monitoring")
    sources.service_order_create(code="quote_prep", account=account, requester=data["rep"], note="Angebot", source="call")
    CallLog.objects.create(direction="inbound", started_at=timezone.now(), account=account, agent=data["agent"],
                           outcome="info", note="Rückfrage")
    plain = screen_facts(account, today=today)
    flagged_account = with_screen_flags(Account.objects.select_related("segment", "owner", "team")).get(pk=account.pk)
    assert (flagged_account.has_quotes, flagged_account.has_alerts, flagged_account.has_service_orders,
            flagged_account.has_calls, flagged_account.has_visit, flagged_account.has_complaints) == (
        True, True, True, True, False, False)
    assert screen_facts(flagged_account, today=today) == plain
    assert [q["number"] for q in plain["quotes"]] == ["AN-1"] and len(plain["alerts"]) == 1
    assert len(plain["service_orders"]) == 1
    client.force_login(data["agent"])
    resp = client.get(reverse("calls:screen"), {"phone": "089 1234567"})
    assert [c.note for c in resp.context["calls"]] == ["Rückfrage"]
    assert "AN-1" in resp.content.decode() and "Bestellrückgang" in resp.content.decode()


def test_screen_of_a_quiet_account_reads_little(client, django_assert_max_num_queries):
    data = world()
    client.force_login(data["agent"])
    client.get(reverse("calls:screen"), {"phone": "089 1234567"})
    # session, user, number, account with its list flags, order lines, contacts, catalog, product groups
    with django_assert_max_num_queries(9):
        resp = client.get(reverse("calls:screen"), {"phone": "089 1234567"})
    assert resp.status_code == 200 and resp.context["facts"]["quotes"] == []


def test_catalog_names_are_the_catalog_offered_to_the_account():
    key = Segment.objects.create(code="TKA", name_de="Schlüsselkunden", name_en="Key accounts", precedence=5)
    small = Segment.objects.create(code="TMS", name_de="Mittelstand", name_en="Mid-market", precedence=6)
    entries = list(ServiceCatalogEntry.objects.filter(active=True).order_by("sort_order", "code"))
    assert len(entries) >= 3
    entries[0].segments.set([key])
    entries[1].segments.set([key, small])
    entries[2].active = False
    entries[2].save()
    for segment in (key, small, None):
        account = AccountFactory(segment=segment)
        expected = [(e.code, e.name_de, e.name_en) for e in catalog_for_account(account)]
        assert catalog_names_for_account(account) == expected
        assert [s["code"] for s in sources.service_catalog(account)] == [e.code for e in catalog_for_account(account)]
    assert entries[0].code not in [code for code, _de, _en in catalog_names_for_account(AccountFactory(segment=small))]
